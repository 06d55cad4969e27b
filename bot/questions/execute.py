"""``answer``: parse a chat question, run it against storage, and word the reply.

Only the repository functions of ARCHITECTURE.md are used. Aggregates read one column of cells per
metric cell with ``cell_values`` (never every report's JSON), single values read one report's cells with
``report_cells``. Blank is not 0: a blank cell is said to be blank, a missing report is said to be
missing, and a report with validation errors carries a warning under its number.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.questions import replies as R
from bot.questions.about_office import (
    answer_breakdown,
    answer_change,
    answer_compare,
    answer_overview,
    answer_value,
)
from bot.questions.aggregates import answer_aggregate
from bot.questions.history import answer_history, answer_years
from bot.questions.parse import parse_question
from bot.questions.query import Answer, Query
from bot.questions.review import answer_rectify
from bot.questions.status import (
    answer_count,
    answer_errors,
    answer_findings,
    answer_missing,
    answer_offices,
    answer_submitted,
    answer_submitted_one,
)
from storage import repo

log = logging.getLogger(__name__)

_TZ = ZoneInfo("Asia/Shanghai")






def _today(today: date | None) -> date:
    return today or datetime.now(_TZ).date()


#: Seconds a chat's office list is reused between questions (saves a query per question). A question
#: that finds no office with a cached list is parsed again with a fresh one, so an office whose first
#: report just arrived is still found; ``forget_offices`` drops the cache at once.
OFFICE_TTL = 10.0
_OFFICES: dict[tuple[str, int], tuple[float, list]] = {}
_LOADING: dict[tuple[str, int], asyncio.Future] = {}


def _cache_key(db: object, chat_id: int) -> tuple[str, int]:
    url = getattr(db, "url", None)
    return (repr(url) if url is not None else f"id:{id(db)}", chat_id)


async def _offices(db: object, chat_id: int, *, fresh: bool = False) -> tuple[list, bool]:
    """The chat's offices and whether they came from the cache."""
    key = _cache_key(db, chat_id)
    now = time.monotonic()
    hit = _OFFICES.get(key)
    if hit is not None and not fresh and now - hit[0] < OFFICE_TTL:
        return hit[1], True
    # questions of one chat arriving together share one query instead of each reading the list
    # (``fresh`` starts its own: it must see what was stored after the cached list was read)
    loading = _LOADING.get(key)
    if fresh or loading is None or loading.get_loop() is not asyncio.get_running_loop():
        loading = asyncio.ensure_future(repo.find_offices(db, chat_id=chat_id))
        _LOADING[key] = loading
        loading.add_done_callback(lambda done, key=key: _LOADING.pop(key, None) if _LOADING.get(key) is done else None)
    offices = await asyncio.shield(loading)
    if len(_OFFICES) > 2000:
        _OFFICES.clear()
    _OFFICES[key] = (now, offices)
    return offices, False


def forget_offices(chat_id: int | None = None) -> None:
    """Drop cached office lists (of one chat, or all): call after a rename, merge or new alias."""
    for key in [k for k in _OFFICES if chat_id is None or k[1] == chat_id]:
        _OFFICES.pop(key, None)
    for key in [k for k in _LOADING if chat_id is None or k[1] == chat_id]:
        _LOADING.pop(key, None)  # a read already under way may predate the change: do not share it


def _might_name_a_new_office(query: Query) -> bool:
    """A question whose office was not found exactly: a report that arrived after the cached list was read
    may hold the very name (「鹿三」 guessed as 鹿山 while 鹿三街道's first report just came in)."""
    return query.kind in ("unknown", "no_office", "choose") or query.guessed or (
        query.kind == "aggregate" and query.implicit and not query.offices)


async def answer(db: object, *, chat_id: int, text: str, today: date | None = None) -> Answer:
    """Answer one chat question from the stored reports of ``chat_id``. Never raises."""
    today = _today(today)
    try:
        offices, cached = await _offices(db, chat_id)
        from bot.questions.people import answer_people  # 「鹿山的联系人是谁」「张三负责哪个单位」

        people = await answer_people(db, chat_id=chat_id, text=text, offices=offices)
        if people is not None:
            return people
        query = parse_question(text, offices=offices, today=today)
        if cached and _might_name_a_new_office(query):
            offices, _ = await _offices(db, chat_id, fresh=True)
            query = parse_question(text, offices=offices, today=today)
        return await run_query(db, chat_id=chat_id, query=query, offices=offices, today=today)
    except Exception:  # noqa: BLE001 - the user gets a short sentence, the log gets the trace
        log.exception("question failed: %r", text)
        lang = "en" if text.isascii() else "zh"
        msg = "抱歉，查询时出了问题，请稍后再试。" if lang == "zh" else "Sorry, something went wrong. Please try again."
        return Answer(msg, lang, True, [])


async def run_query(db: object, *, chat_id: int, query: Query, offices: list, today: date) -> Answer:
    """Dispatch a parsed query to the function for its kind."""
    lang = query.lang
    if query.kind == "choose":
        names = [o.name for o in query.choices]
        text = "有几个单位都符合，您问的是哪一个？" if lang == "zh" else "Several offices match. Which one do you mean?"
        return Answer(text, lang, True, names)
    if query.kind == "unknown" and query.chatter:
        return Answer(R.chatter(lang), lang, False, [], chatter=True)
    if query.kind == "unknown":
        return Answer(await _not_understood(db, chat_id, query, offices), lang, False, [])
    if query.kind == "hello":
        return Answer(await _examples(db, chat_id, lang, offices, reply=R.hello), lang, True, [])
    if query.kind == "aggregate" and query.implicit and len(offices) == 1:
        query.kind, query.offices = "value", [offices[0]]
    handler = {
        "value": answer_value,
        "overview": answer_overview,
        "aggregate": answer_aggregate,
        "compare": answer_compare,
        "change": answer_change,
        "count": answer_count,
        "errors": answer_errors,
        "findings": answer_findings,
        "missing": answer_missing,
        "submitted": answer_submitted,
        "submitted_one": answer_submitted_one,
        "breakdown": answer_breakdown,
        "history": answer_history,
        "years": answer_years,
        "no_office": _no_office,
        "offices": answer_offices,
        "rectify": answer_rectify,
    }[query.kind]
    text = await handler(db, chat_id, query, today)
    if query.guessed and query.offices:  # 「六山」: a near miss is answered for 鹿山, and says so
        text = R.guessed(query.offices[0], lang) + "\n" + text
    return Answer(text, lang, True, [])


async def _not_understood(db: object, chat_id: int, query: Query, offices: list) -> str:
    """Not understood: say so (and which words), then the nearest question that works, then examples.

    The nearest question keeps what was read — the office, the year, the number asked for — so
    「平潭2016年主动公开多少」 suggests 「平潭2016年收到多少申请？」, never answers a different question."""
    lang = query.lang
    held = await repo.years(db, chat_id=chat_id) if offices else []
    office = query.offices[0] if query.offices else next((o for o in offices if o.short_name), None)
    short = office.short_name or office.name if office is not None else ""
    year = query.year or (held[-1] if held else 2021)
    if query.offices and not query.year:  # the office's own latest year, where its question would work
        latest = await repo.get_report(db, chat_id=chat_id, office_id=query.offices[0].id)
        year = latest.year if latest is not None and latest.year else year
    nearest = R.nearest(lang, short, year, query.metric) if query.offices or query.metric else ""
    return R.not_understood(lang, short, held[-1] if held else 2021, nearest=nearest, unread=query.unread)


async def _examples(db: object, chat_id: int, lang: str, offices: list, reply: Any = R.not_understood) -> str:
    """The not-understood (or hello) reply, with an office and a year of this chat so the first example
    works."""
    held = await repo.years(db, chat_id=chat_id) if offices else []
    short = next((o.short_name for o in offices if o.short_name), "")
    return reply(lang, short, held[-1] if held else 2021)


async def _no_office(db: object, chat_id: int, query: Query, today: date) -> str:
    offices, _ = await _offices(db, chat_id)
    names = [o.short_name or o.name for o in offices]
    if query.lang == "en":
        text = f"No office called “{query.unknown_name}” in this chat."
        return text + (f"\nOffices here: {R.join_names(names, 'en', 8)}" if names else "")
    text = f"本群没有“{query.unknown_name}”的报告。"
    return text + (f"\n已有单位：{R.join_names(names, 'zh', 8)}" if names else "")

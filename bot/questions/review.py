"""「谁还需要整改」: the offices whose current report still has confirmed findings (issue 21).

The states come from :func:`storage.review.review_status`; the wording from :mod:`bot.review.texts`.
"""

from __future__ import annotations

from datetime import date

from bot.questions.numbers import latest_year
from bot.questions.query import Query
from bot.review.texts import office_fix_state, who_must_fix


async def answer_rectify(db: object, chat_id: int, query: Query, today: date) -> str:
    """Offices in 需整改 (with their confirmed findings count), then how many are 待审 / 已整改 / 通过; for
    named offices, each one's own state."""
    from storage import review

    year = query.year or await latest_year(db, chat_id)
    if year is None:
        return "还没有收到任何报告。" if query.lang == "zh" else "No reports have been received yet."
    statuses = await review.review_status(db, chat_id=chat_id, year=year)
    if query.offices:  # 「青石山需要整改吗」: the named offices' own state
        return office_fix_state(statuses, query.offices, year, query.lang)
    return who_must_fix(statuses, year, query.lang)

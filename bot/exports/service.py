"""The exports as the chat and the CLI ask for them: read the stored reports, build a file or a text.

Everything here is read-only. Each function picks the year (the latest one with reports when none is
given), loads the current report of every office, and hands plain :class:`ExportItem` lists to the pure
builders (:mod:`xlsx`, :mod:`tables_csv`, :mod:`chart`, :mod:`digest`). An empty chat raises
:class:`NothingToExport` carrying the Chinese message to send instead of an empty file.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

from bot.exports.chart import chart_for, office_years_figure, parse_metric, to_png
from bot.exports.digest import digest_text, empty_message
from bot.exports.rows import ExportItem, StatusLine
from bot.exports.tables_csv import summary_csv
from bot.exports.xlsx import build_workbook
from bot.review import fingerprints
from bot.review.texts import summary_line
from storage import repo, review
from storage.types import OfficeInfo, StoredReport

#: matplotlib's rcParams (fonts) are process-global: draw one chart at a time.
_CHART_LOCK = threading.Lock()

_YEAR = re.compile(r"^(?:19|20)\d{2}$")


class NothingToExport(Exception):
    """No report to export; ``message`` is the short Chinese reply for the chat (``message_en`` English)."""

    def __init__(self, message: str, message_en: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en or message

    def text(self, lang: str = "zh") -> str:
        """The reply in the user's language."""
        return self.message_en if lang == "en" else self.message


@dataclass(frozen=True)
class ExportFile:
    """A file ready to send: its name (Chinese, with the year), bytes and a one-line caption."""

    filename: str
    data: bytes
    caption: str = ""


@dataclass(frozen=True)
class ChartRequest:
    """What ``/chart`` was asked for: a year, a metric key, or an office name (year-over-year)."""

    year: int | None = None
    metric: str = "applications"
    office: str | None = None


def parse_year(text: str) -> int | None:
    """``2021`` / ``2021年`` / ``2021年度`` → 2021; anything else → ``None``."""
    word = text.strip().removesuffix("年度").removesuffix("年")
    return int(word) if _YEAR.match(word) else None


def parse_chart_args(args: Sequence[str]) -> ChartRequest:
    """``/chart [year] [metric | office]`` in any order; unknown words are taken as an office name."""
    year: int | None = None
    metric = "applications"
    office_words: list[str] = []
    for word in args:
        if year is None and parse_year(word) is not None:
            year = parse_year(word)
        elif parse_metric(word) is not None:
            metric = parse_metric(word) or metric
        elif word.strip():
            office_words.append(word.strip())
    return ChartRequest(year=year, metric=metric, office=" ".join(office_words) or None)


async def resolve_year(db: Any, *, chat_id: int | None, year: int | None) -> int | None:
    """The year asked for, or the latest year with reports in the chat (``None`` when there are none)."""
    if year is not None:
        return year
    known = await repo.years(db, chat_id=chat_id)
    return max(known) if known else None


async def _item(db: Any, stored: StoredReport) -> ExportItem:
    report = await repo.load_report(db, report_id=stored.id)
    findings = list(report.findings) or await repo.report_findings(db, report_id=stored.id)
    # a finding an admin dismissed as 不是问题 no longer counts (issue 21; storage.review)
    dismissed = (await review.dismissed_fingerprints(db, report_ids=[stored.id]))[stored.id]
    if dismissed:
        findings = [f for f, fp in zip(findings, fingerprints(findings), strict=True) if fp not in dismissed]
    return ExportItem(
        office=stored.office.name,
        short_name=stored.office.short_name or stored.office.name,
        kind=stored.office.kind,
        year=stored.year,
        verdict=stored.verdict,
        report=report,
        findings=findings,
    )


async def collect(db: Any, *, chat_id: int | None, year: int | None) -> tuple[int | None, list[ExportItem]]:
    """(year, items): the current report of every office for the (resolved) year."""
    year = await resolve_year(db, chat_id=chat_id, year=year)
    if year is None:
        return None, []
    stored = await repo.list_reports(db, chat_id=chat_id, year=year)
    return year, [await _item(db, s) for s in stored]


async def _require(db: Any, *, chat_id: int | None, year: int | None) -> tuple[int, list[ExportItem]]:
    resolved, items = await collect(db, chat_id=chat_id, year=year)
    if resolved is None or not items:
        raise NothingToExport(empty_message(year), empty_message(year, "en"))
    return resolved, items


async def _with_status(db: Any, *, chat_id: int, year: int | None
                       ) -> tuple[int, list[ExportItem], list[StatusLine]]:
    """The chat's items and its 报送情况 lines, from :mod:`bot.documents.collect` (states, rulings, contacts).

    Findings an admin dismissed are left out of the items (so out of 问题清单) and listed with their
    reasons in 报送情况 instead.
    """
    from bot.documents.collect import collect as collect_rows
    from bot.documents.collect import status_lines

    resolved = await resolve_year(db, chat_id=chat_id, year=year)
    if resolved is None:
        raise NothingToExport(empty_message(year), empty_message(year, "en"))
    data = await collect_rows(db, chat_id=chat_id, year=resolved)
    items = data.export_items()
    if not items:
        raise NothingToExport(empty_message(resolved), empty_message(resolved, "en"))
    return resolved, items, status_lines(data)


def draw_png(build: Callable[[], Figure]) -> bytes:
    """Build a figure and render it to PNG, one chart at a time (blocking: call in a worker thread)."""
    with _CHART_LOCK:
        return to_png(build())


async def _png(build: Callable[[], Figure]) -> bytes:
    """Draw and render a chart in a worker thread (matplotlib is CPU-bound and would stall the bot)."""
    return await asyncio.to_thread(draw_png, build)


def export_filename(year: int, fmt: str) -> str:
    """``年报汇总_2021.xlsx`` — what the clerk sees in the chat and in the download folder."""
    return f"年报汇总_{year}.{fmt}"


async def export_file(
    db: Any, *, chat_id: int | None, year: int | None = None, fmt: str = "xlsx"
) -> ExportFile:
    """The workbook (``fmt="xlsx"``) or the 汇总 CSV (``fmt="csv"``) for a year, named with the year."""
    if fmt == "xlsx" and chat_id is not None:
        resolved, items, status = await _with_status(db, chat_id=chat_id, year=year)
    else:
        (resolved, items), status = await _require(db, chat_id=chat_id, year=year), None
    # building a workbook of a hundred offices takes a moment: keep the event loop free meanwhile
    if fmt == "xlsx":
        data = await asyncio.to_thread(build_workbook, items, status)
    else:
        data = await asyncio.to_thread(summary_csv, items)
    caption = f"{resolved}年度年报汇总：{len(items)}个单位"
    if fmt == "xlsx":
        caption += "（汇总、报送情况、表2至表4明细、问题清单）" if status is not None else "（汇总、表2至表4明细、问题清单）"
    return ExportFile(export_filename(resolved, fmt), data, caption)


async def workbook(db: Any, *, chat_id: int | None, year: int | None = None) -> bytes:
    """The .xlsx workbook bytes (ARCHITECTURE.md); raises :class:`NothingToExport` when empty."""
    return (await export_file(db, chat_id=chat_id, year=year, fmt="xlsx")).data


async def csv_bytes(db: Any, *, chat_id: int | None, year: int | None = None) -> bytes:
    """The 汇总 CSV bytes (UTF-8 with BOM); raises :class:`NothingToExport` when empty."""
    return (await export_file(db, chat_id=chat_id, year=year, fmt="csv")).data


async def office_matches(db: Any, *, chat_id: int | None, name: str) -> list[OfficeInfo]:
    """The offices a person may mean: the exact name/alias if it is in this chat, else partial matches."""
    exact = await repo.resolve_office(db, name=name)
    offices = await repo.find_offices(db, chat_id=chat_id)
    if exact is not None and (chat_id is None or any(o.id == exact.id for o in offices)):
        return [exact]
    return [o for o in offices if name in o.name or name in o.short_name or any(name in a for a in o.aliases)]


async def find_office(db: Any, *, chat_id: int | None, name: str) -> OfficeInfo | None:
    """The one office a person means, ``None`` when no office or several match."""
    hits = await office_matches(db, chat_id=chat_id, name=name)
    return hits[0] if len(hits) == 1 else None


async def chart_file(db: Any, *, chat_id: int | None, request: ChartRequest) -> ExportFile:
    """The PNG for a /chart request; raises :class:`NothingToExport` with a helpful message."""
    if request.office:
        hits = await office_matches(db, chat_id=chat_id, name=request.office)
        if len(hits) > 1:
            names = "、".join(o.short_name or o.name for o in hits[:6])
            raise NothingToExport(
                f"“{request.office}”对应多个单位：{names}。请写得更具体，例如 /chart {hits[0].name}",
                f"“{request.office}” matches several offices: {names}. Please be more specific.",
            )
        office = hits[0] if hits else None
        if office is None:
            raise NothingToExport(
                f"没有找到单位“{request.office}”。请发送单位简称，例如 /chart 鹿山。",
                f"No office called “{request.office}” in this chat. Try its short name, e.g. /chart 鹿山.",
            )
        stored = [s for s in await repo.list_reports(db, chat_id=chat_id) if s.office.id == office.id]
        if request.year is not None:
            stored = [s for s in stored if s.year is not None and s.year <= request.year]
        if not stored:
            raise NothingToExport(f"{office.name}还没有年报。", f"No annual reports from {office.name} yet.")
        items = [await _item(db, s) for s in stored]
        png = await _png(lambda: office_years_figure(items))
        years = sorted({s.year for s in stored if s.year is not None})
        caption = f"{office.name} 历年申请情况（{'、'.join(map(str, years))}）"
        return ExportFile(f"图表_{office.short_name or office.name}.png", png, caption)
    resolved, items = await _require(db, chat_id=chat_id, year=request.year)
    png = await _png(lambda: chart_for(request.metric, items, year=resolved))
    captions = {"applications": "各单位新收申请", "outcomes": "办理结果构成", "appeals": "行政复议、行政诉讼"}
    return ExportFile(
        f"图表_{resolved}_{request.metric}.png", png, f"{resolved}年度{captions.get(request.metric, '')}"
    )


async def chart_png(
    db: Any, *, chat_id: int | None, year: int | None = None, what: str | None = None
) -> bytes:
    """The chart bytes (ARCHITECTURE.md); ``what`` is a metric word or an office name."""
    request = parse_chart_args([w for w in (str(year) if year else "", what or "") if w])
    return (await chart_file(db, chat_id=chat_id, request=request)).data


async def digest(db: Any, *, chat_id: int, year: int | None = None, lang: str = "zh") -> str:
    """The /summary text for a chat and year; the empty-chat message when there is nothing yet."""
    resolved, items = await collect(db, chat_id=chat_id, year=year)
    if resolved is None:
        return empty_message(year, lang)
    status = await repo.submission_status(db, chat_id=chat_id, year=resolved)
    roster = await repo.roster(db, chat_id=chat_id)
    if not items and not roster:
        return empty_message(resolved, lang)
    # submission_status is roster ∪ reporters: an office that reported without being on the roster counts too
    missing = [o.short_name or o.name for o, stored in status if stored is None]
    text = digest_text(
        items, year=resolved, missing=missing, roster_size=len(status) if roster else 0, lang=lang
    )
    rectify = summary_line(await review.review_status(db, chat_id=chat_id, year=resolved), lang)
    if rectify and items:  # 整改 counts above the closing 「明细表格…」 line
        head, _, last = text.rpartition("\n")
        text = f"{head}\n{rectify}\n{last}" if head else f"{rectify}\n{last}"
    return text

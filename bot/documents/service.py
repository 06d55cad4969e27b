"""The documents as the chat and the CLI ask for them: find the office or year, build off the event loop.

Every builder here is blocking (python-docx, matplotlib, LibreOffice), so each runs in a worker thread;
the bot keeps answering meanwhile. A request that cannot be met raises :class:`NoDocument` carrying the
one-line Chinese reply to send instead of a file.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.documents.bulletin import build_bulletin, bulletin_filename
from bot.documents.collect import STATE_FIX, STATE_PENDING, OfficeRow, collect, collect_office, latest_year
from bot.documents.notice import build_notice, notice_filename, resubmit_by
from bot.documents.pdf import docx_to_pdf, pdf_available
from bot.exports.service import ExportFile, office_matches


class NoDocument(Exception):
    """Nothing to build; ``message`` is the short Chinese reply for the chat."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Bulletin:
    """The 通报 as .docx, its PDF when LibreOffice made one, and a note when it could not."""

    docx: ExportFile
    pdf: ExportFile | None
    note: str = ""


async def office_row(db: Any, *, chat_id: int, name: str, year: int | None = None) -> OfficeRow:
    """The office a person typed (exact name or alias, else a unique partial match) with its report."""
    hits = await office_matches(db, chat_id=chat_id, name=name)
    if len(hits) > 1:
        names = "、".join(o.short_name or o.name for o in hits[:6])
        raise NoDocument(f"“{name}”对应多个单位：{names}。请写得更具体，例如 /notice {hits[0].short_name or hits[0].name}")
    if not hits:
        raise NoDocument(f"本群没有单位“{name}”。请发送单位简称，例如 /notice 鹿山")
    office = hits[0]
    row = await collect_office(db, chat_id=chat_id, office_id=office.id, year=year)
    if row is None:
        when = f"{year}年度" if year else ""
        raise NoDocument(f"{office.name}还没有报送{when}年报，无法生成整改通知。")
    return row


async def notice_for(db: Any, *, chat_id: int, row: OfficeRow, issuer: str, today: date) -> ExportFile:
    """The 整改通知 of an office's current report; :class:`NoDocument` when there is nothing to fix."""
    if not row.to_fix:
        dismissed = f"（{len(row.dismissed)}个疑似问题经核实不是问题）" if row.dismissed else ""
        raise NoDocument(f"{row.name}{row.year}年度报告没有需要整改的错误{dismissed}，不需要整改通知。")
    due = await resubmit_by(db, chat_id=chat_id, office_kind=row.office.kind, year=row.year, today=today,
                            office_id=row.office.id)
    data = await asyncio.to_thread(build_notice, row, due=due, issuer=issuer, today=today)
    caption = (f"{row.name}{row.year}年度年报整改通知：{len(row.to_fix)}个问题，"
               f"请于{due.day.month}月{due.day.day}日前重新报送")
    return ExportFile(notice_filename(row), data, caption)


async def notice_file(db: Any, *, chat_id: int, name: str, year: int | None = None, issuer: str,
                      today: date) -> ExportFile:
    """``/notice 鹿山 [年度]``: the notice for the office's report of that year (latest when none)."""
    row = await office_row(db, chat_id=chat_id, name=name, year=year)
    return await notice_for(db, chat_id=chat_id, row=row, issuer=issuer, today=today)


async def notice_for_report(db: Any, *, chat_id: int, report_id: int, issuer: str, today: date) -> ExportFile:
    """The notice for the report a verdict button points at (must be this chat's current version)."""
    from storage import repo

    current = {s.id: s for s in await repo.list_reports(db, chat_id=chat_id)}
    stored = current.get(report_id)
    if stored is None:
        history = {s.id for s in await repo.list_reports(db, chat_id=chat_id, include_history=True)}
        raise NoDocument("这份报告已有新版本，请对最新版本生成整改通知：/notice 单位简称" if report_id in history
                         else "找不到这份报告，可能已被删除。")
    if stored.year is None:
        raise NoDocument("这份报告的年份不明：请在标题中写明“20XX年度”后重新发送，再生成整改通知。")
    row = await collect_office(db, chat_id=chat_id, office_id=stored.office.id, year=stored.year)
    if row is None:
        raise NoDocument("找不到这份报告，可能已被删除。")
    return await notice_for(db, chat_id=chat_id, row=row, issuer=issuer, today=today)


async def bulletin_files(db: Any, *, chat_id: int, year: int | None = None, issuer: str, today: date,
                         pdf: bool = True) -> Bulletin:
    """``/report_doc [年度]``: the 通报 .docx and, where LibreOffice is installed, its PDF."""
    resolved = await latest_year(db, chat_id=chat_id, year=year)
    if resolved is None:
        raise NoDocument("本群还没有年报，无法生成通报。把年报文件直接发到群里即可。")
    data = await collect(db, chat_id=chat_id, year=resolved)
    if not data.received:
        raise NoDocument(f"本群还没有{resolved}年度年报，无法生成通报。")
    docx = await asyncio.to_thread(build_bulletin, data, issuer=issuer, today=today)
    caption = (f"{resolved}年度年报情况通报：已报送{len(data.received)}/{len(data.rows)}个单位，"
               f"需整改{data.count(STATE_FIX)}个、待审{data.count(STATE_PENDING)}个")
    files = Bulletin(ExportFile(bulletin_filename(resolved), docx, caption), None)
    if not pdf:
        return files
    if not pdf_available():
        return Bulletin(files.docx, None, "本机未安装 LibreOffice，只生成了 Word 版（PDF 需安装 libreoffice-writer）。")
    made = await asyncio.to_thread(docx_to_pdf, docx, name=f"bulletin-{resolved}")
    if made is None:
        return Bulletin(files.docx, None, "PDF 转换失败或超时，只发送 Word 版。")
    return Bulletin(files.docx, ExportFile(bulletin_filename(resolved, "pdf"), made, f"{resolved}年度年报情况通报（PDF）"))

"""Telegram-free services shared by the handlers, the CLI and the console.

``ingest`` is the one path a file takes into the database: read it in the worker pool (with a hard
timeout), fetch the same office's report for the year before, validate, store. ``verdict_reply`` turns
the outcome into the short Chinese-first message a civil servant reads on a phone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.report import Finding, Report
from storage import repo

if TYPE_CHECKING:
    from bot.reading.api import OcrNotice
from storage.db import Database
from storage.types import StoreResult

log = logging.getLogger(__name__)

#: Dates (DL-01 "received") are judged in China time unless told otherwise.
DEFAULT_TZ = ZoneInfo("Asia/Shanghai")

Progress = Callable[[int, int], Awaitable[object]]


@dataclass
class IngestOutcome:
    """One document of an upload: the report and what storing it did, or why it could not be read."""

    filename: str
    report: Report | None
    stored: StoreResult | None
    error: object | None  # bot.reading.ReadError (kept loose so this module imports without the reader)

    @property
    def ok(self) -> bool:
        """True when the document was read (and stored, or recognised as a duplicate)."""
        return self.error is None and self.report is not None

    @property
    def unnamed(self) -> bool:
        """True when the report names no office and is stored under a placeholder: ask the sender."""
        return (self.ok and self.stored is not None
                and self.stored.report.office.name.startswith(UNNAMED))


#: The placeholder an unnamed report's office is stored under until its sender names it (never the file name):
#: 「未注明单位（037.txt·3fa2c1）」, one per document (storage.repo.unnamed_office_name).
UNNAMED = repo.UNNAMED


def unnamed_label(report: Report) -> str:
    """The placeholder office name of a report that names none."""
    return repo.unnamed_office_name(report)


async def ingest(
    db: Database,
    *,
    chat_id: int,
    filename: str,
    data: bytes,
    sender_id: int | None = None,
    sender_name: str | None = None,
    file_unique_id: str | None = None,
    timeout: float = 20,
    progress: Progress | None = None,
    received: date | None = None,
    on_ocr: OcrNotice | None = None,
) -> list[IngestOutcome]:
    """Read → previous year → validate → store, one outcome per document (a .zip gives several).

    ``progress(done, total)`` is awaited after each document of a multi-document upload (a failing
    callback is logged, never fatal). ``received`` is the arrival date for DL-01 (default: today in
    China). Database errors propagate; unreadable files become outcomes with ``error`` set.
    ``on_ocr(name, pages, pictures)`` is called before a picture or scan is read by OCR (it takes seconds).
    A photo of a single table is validated but not stored (it is not a report of an office and year).
    """
    from bot.reading.api import batch_size, read_batch

    received = received or datetime.now(DEFAULT_TZ).date()
    outcomes: list[IngestOutcome] = []
    total = batch_size(filename, data)
    done = 0
    # member by member: each is read, validated and stored before the next is unpacked (a batch of 50
    # reports never sits in memory at once)
    async for result in read_batch(filename, data, timeout=timeout, on_ocr=on_ocr):
        done += 1
        total = max(total, done)
        if result.report is None or result.error is not None:
            outcomes.append(IngestOutcome(result.filename, result.report, None, result.error))
        else:
            report = result.report
            if not (report.office.name or "").strip():  # the body names nobody: a placeholder, then ask
                from bot.report import Office

                report.office = Office(unnamed_label(report), "", report.office.kind or "其他")
            await _validate(db, chat_id=chat_id, report=report, received=received)
            if is_table_photo(report):
                outcomes.append(IngestOutcome(result.filename, report, None, None))
                continue
            stored = await repo.store_report(
                db,
                chat_id=chat_id,
                report=report,
                sender_id=sender_id,
                sender_name=sender_name,
                file_unique_id=file_unique_id,
            )
            outcomes.append(IngestOutcome(result.filename, report, stored, None))
            if stored.status != "duplicate":
                await _announce_if_complete(db, chat_id=chat_id, year=report.year)
        if progress is not None and total > 1:
            try:
                await progress(done, total)
            except Exception:  # a failed "3/10…" edit must not lose the upload
                log.warning("progress callback failed", exc_info=True)
    return outcomes


def is_table_photo(report: Report) -> bool:
    """A photo of one table, not of a report (see bot/validation/uncertain.py)."""
    from bot.validation.uncertain import is_fragment

    return is_fragment(report)


async def _announce_if_complete(db: Database, *, chat_id: int, year: int | None) -> None:
    """Let the reminders know a report arrived, so a completed roster gets its 全部提交 at the next tick
    rather than on the next ladder day. A reminder problem must never fail the upload."""
    from bot.deadlines import report_stored

    try:
        await report_stored(db, chat_id=chat_id, year=year)
    except Exception:
        log.exception("reminder check after upload failed (chat %s, year %s)", chat_id, year)


async def _validate(db: Database, *, chat_id: int, report: Report, received: date) -> None:
    from bot.validation import validate

    office_name = (report.office.name or "").strip() or Path(report.source.filename).stem
    previous = await repo.previous_report(db, chat_id=chat_id, office_name=office_name, year=report.year)
    try:
        validate(report, previous, received=received)
    except Exception:  # a validator bug must not lose the file: keep what the reader found
        log.exception("validation failed for %s", report.source.filename)
        report.findings = list(report.ingest_findings)


# -- naming an unnamed report ------------------------------------------------------------------------


@dataclass
class Naming:
    """What naming did: the office the report now belongs to, whether it joined an existing one, and the
    report re-validated under that office (``report``/``stored``; ``None`` if re-validation failed)."""

    office: object  # storage.types.OfficeInfo
    year: int | None
    joined: bool
    report: Report | None = None
    stored: object | None = None  # storage.types.StoredReport
    #: The office's report of the year after, when this chat holds one: checked again against this one
    #: (``before`` as it was, ``after`` re-validated).
    following: tuple[object, object] | None = None


def name_guess(filename: str) -> str:
    """An office name the file's own name suggests (「青石山街道2021年报.docx」 → 青石山街道), or ''.

    Only ever offered as a button for the sender to confirm — never stored on its own."""
    from bot.reading.meta import office_from_title

    stem = Path(filename).stem
    if not re.search(r"[\u4e00-\u9fff]{2}", stem):
        return ""
    name = office_from_title(re.sub(r"[_\-\s]+", " ", stem)).name
    return name if re.search(r"[\u4e00-\u9fff]{2}", name) and len(name) <= 30 else ""


#: A message that is an office's name and nothing else (「临安区青山湖街道」), not a question.
_NAME_SHAPE = re.compile(r"^[\u4e00-\u9fff（）()·]{2,30}(?:街道办事处|街道|办事处|人民政府|政府|镇|乡|局|委员会|委|办公室|"
                         r"办公厅|中心|厅|院|管委会|实验区|开发区|新区)$")


def looks_like_office_name(text: str) -> bool:
    """True for a message that is just an office's name (「临安区青山湖街道」), not a question about one."""
    return bool(_NAME_SHAPE.match((text or "").strip()))


async def name_candidates(db: Database, *, chat_id: int, report_id: int) -> list[object]:
    """Offices the unnamed report may be from: this chat's offices with no report for its year (roster
    offices first), at most 6."""
    stored = await _unnamed_report(db, chat_id=chat_id, report_id=report_id)
    if stored is None:
        return []
    roster = {o.id for o in await repo.roster(db, chat_id=chat_id)}
    status = await repo.submission_status(db, chat_id=chat_id, year=stored.year) if stored.year else []
    missing = [o for o, s in status if s is None and not o.name.startswith(UNNAMED)]
    missing.sort(key=lambda o: (o.id not in roster, o.name))
    return missing[:6]


async def _unnamed_report(db: Database, *, chat_id: int, report_id: int) -> object | None:
    for stored in await repo.list_reports(db, chat_id=chat_id, include_history=True):
        if stored.id == report_id and stored.office.name.startswith(UNNAMED):
            return stored
    return None


async def name_report(db: Database, *, chat_id: int, report_id: int, name: str,
                      user_id: int | None = None) -> Naming | None:
    """The sender's answer to 「这是哪个单位的报告？」: the unnamed report's office becomes ``name``.

    An office this chat already has under that name, short name or alias (or one known by that exact
    name or alias) takes the report in — it becomes that office's current report for its year, since it
    is the newest upload; otherwise the placeholder office is renamed. ``None`` when the report is not
    an unnamed one of this chat (already named, deleted, another chat's)."""
    from bot.reading.meta import office_kind, short_name
    from storage.aliases import normalise

    stored = await _unnamed_report(db, chat_id=chat_id, report_id=report_id)
    name = re.sub(r"\s+", "", name or "").strip("“”\"'「」《》。，,.")
    if stored is None or not name:
        return None
    placeholder = stored.office
    key = normalise(name)
    here = [o for o in await repo.find_offices(db, chat_id=chat_id) if o.id != placeholder.id]
    target = next((o for o in here if key in {normalise(o.name), normalise(o.short_name),
                                               *(normalise(a) for a in o.aliases)}), None)
    if target is None:
        known = await repo.resolve_office(db, name=name)
        target = known if known is not None and known.id != placeholder.id else None
    if target is not None:
        await repo.merge_offices(db, keep_id=target.id, merge_id=placeholder.id, merged_is_newer=True)
        office, joined = target, True
    else:
        await repo.rename_office(db, office_id=placeholder.id, new_name=name, short_name=short_name(name),
                                 kind=office_kind(name))
        office, joined = await repo.resolve_office(db, name=name), False
    await repo.audit(db, chat_id=chat_id, user_id=user_id, action="name_report",
                     detail=f"{placeholder.name} → {name}")
    from bot.questions import forget_offices

    forget_offices(chat_id)
    report, revalidated = await revalidate(db, chat_id=chat_id, stored=stored, office=office)
    following = None
    if stored.year and report is not None:  # next year's report had no last year to compare with either
        after = await repo.get_report(db, chat_id=chat_id, office_id=office.id, year=stored.year + 1)
        if after is not None:
            following = (after, (await revalidate(db, chat_id=chat_id, stored=after, office=office))[1])
    return Naming(office, stored.year, joined, report, revalidated, following)


async def revalidate(db: Database, *, chat_id: int, stored: object, office: object) -> tuple[Report | None, object]:
    """Validate a stored report again now that its office is known, as the upload would have: under that
    office's name and kind, with that office's report of the year before in this chat (the cross-year
    rules), judged on the day it arrived. The new findings, verdict and counts replace the old ones.

    Returns the report and its updated row, or ``(None, stored)`` when that failed (the naming stands;
    the old findings stay, and the failure is logged)."""
    from bot.report import Office

    try:
        report = await repo.load_report(db, report_id=stored.id)
        report.office = Office(office.name, office.short_name, office.kind or "其他")
        received = stored.received_at.astimezone(DEFAULT_TZ).date()
        await _validate(db, chat_id=chat_id, report=report, received=received)
        return report, await repo.replace_validation(db, report_id=stored.id, report=report)
    except Exception:
        log.exception("re-validating report %s after naming failed", stored.id)
        return None, stored


# -- replies ---------------------------------------------------------------------------------------

_EMOJI = {"通过": "✅", "有警告": "⚠️", "有错误": "❌"}
_VERDICT_EN = {"通过": "passed", "有警告": "warnings", "有错误": "errors"}


def _emoji(verdict: str) -> str:
    try:
        from bot.validation import verdict_emoji

        return verdict_emoji(verdict)
    except Exception:  # validation not importable: same mapping
        return _EMOJI.get(verdict, "❔")


def _n(value: float | int | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _sum(*values: float | int | None) -> float | int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def key_numbers(report: Report, lang: str = "zh") -> str:
    """新收/办结/结转 (表3 总计) and 复议/诉讼 (表4 总计), blanks as —."""
    new = report.t3("new_received")
    done = report.t3("total_processed")
    forward = report.t3("carried_forward")
    review = report.t4("review")
    lawsuits = _sum(report.t4("litigation_direct"), report.t4("litigation_after_review"))
    if lang == "en":
        return (
            f"new {_n(new)}, processed {_n(done)}, carried forward {_n(forward)}; "
            f"reviews {_n(review)}, lawsuits {_n(lawsuits)}"
        )
    return f"新收{_n(new)}件，办结{_n(done)}件，结转{_n(forward)}件；复议{_n(review)}件，诉讼{_n(lawsuits)}件"


def _top_findings(report: Report, lang: str, limit: int = 3) -> str:
    try:
        from bot.validation import summarize

        return summarize(report, lang=lang, limit=limit).strip()
    except Exception:  # summarize missing or failing: a plain list
        log.warning("summarize failed", exc_info=True)
        verdict = _VERDICT_EN.get(report.verdict, report.verdict) if lang == "en" else report.verdict
        return "\n".join([verdict, *(_finding_line(f, lang) for f in report.findings[:limit])])


def _finding_line(finding: Finding, lang: str) -> str:
    mark = {"error": "❌", "warning": "⚠️", "info": "ℹ️"}.get(finding.severity, "•")
    text = finding.message_en if lang == "en" and finding.message_en else finding.message
    return f"{mark} {finding.code} {text}"


def _office_label(report: Report, outcome: IngestOutcome) -> str:
    if outcome.stored is not None:
        return outcome.stored.report.office.name
    return report.office.name or Path(outcome.filename).stem


def error_message(outcome: IngestOutcome, lang: str = "zh") -> str:
    """Why a file could not be read, in the sender's language."""
    en = lang == "en"
    return getattr(outcome.error, "message_en" if en else "message", "") or (
        "cannot read the file." if en else "无法读取该文件。")


def verdict_reply(outcome: IngestOutcome, lang: str = "zh") -> str:
    """The chat reply for one document: ✅/⚠️/❌ office year, key numbers, top findings, version note."""
    en = lang == "en"
    if outcome.error is not None or outcome.report is None:
        code = getattr(outcome.error, "code", "ING-01")
        message = error_message(outcome, lang)
        return (
            f"❌ {outcome.filename}：{message}（{code}）"
            if not en
            else f"❌ {outcome.filename}: {message} ({code})"
        )
    report = outcome.report
    stored = outcome.stored
    year = report.year
    if stored is not None and stored.status == "duplicate":
        old = stored.report
        when = old.received_at.astimezone(DEFAULT_TZ).strftime("%Y-%m-%d")
        office = old.office.name
        yr = f"{old.year}年度" if old.year else "年度未知"
        if en:
            return f"ℹ️ {office} {old.year or '?'}: this file was already received on {when} (v{old.version}); not stored again."
        return f"ℹ️ {office} {yr}：该文件已收到过（{when}，第{old.version}版），未重复保存。"
    verdict = report.verdict
    emoji = _emoji(verdict)
    if is_table_photo(report):
        return _table_photo_reply(report, emoji, lang)
    head_year = (f"{year}" if en else f"{year}年度") if year else ("year unknown" if en else "年度未识别")
    lines = [f"{emoji} {_office_label(report, outcome)} {head_year}"]
    if report.applications is not None or report.appeals is not None:
        lines.append(key_numbers(report, lang))
    summary = _top_findings(report, lang)
    if summary.startswith(emoji):  # the verdict emoji already leads the first line
        summary = summary[len(emoji) :].lstrip()
    lines.append(summary)
    if stored is not None and stored.status == "new_version":
        n = stored.report.version
        before = stored.previous
        had = ""
        if before is not None and (before.errors, before.warnings) != (stored.report.errors, stored.report.warnings):
            # the office fixed (or broke) something: what the last version had, to compare at a glance
            had = (f"; it had {before.errors} error(s), {before.warnings} warning(s)" if en
                   else f"；上一版错误{before.errors}项、警告{before.warnings}项")
        lines.append(f"Updated to version {n} (earlier version kept{had})." if en else f"已更新为第{n}版（旧版已保留{had}）。")
        # rulings carried over from the last version (storage.review): dismissed findings no longer count
        raw = sum(1 for f in report.findings if f.severity in ("error", "warning"))
        dismissed = raw - (stored.report.errors + stored.report.warnings)
        if dismissed > 0:
            lines.append(f"{dismissed} finding(s) were dismissed on the last version and recur: they do not count."
                         if en else f"其中{dismissed}条问题上一版已标为不是问题，沿用该裁定，不计入结论。")
    if year is None and stored is not None:  # stored as 「年份不明」: how to fix it and how to remove it
        short = report.office.short_name or report.office.name or outcome.filename
        lines.append(f"Year not recognised: put “20XX年度” in the title and send it again; remove this copy with "
                     f"/delete {short} unknown." if en else
                     f"未能识别年度：请在标题写明“20XX年度”后重新发送；这份可用 /delete {short} 年份不明 删除。")
    return "\n".join(lines)


def naming_reply(naming: Naming, lang: str = "zh") -> str:
    """The answer to a name: where the report now belongs, then its verdict as re-validated under that
    office (the cross-year findings an unnamed upload could not have), like the upload's reply."""
    office, year = naming.office, naming.year
    if lang == "en":
        joined = " (added to that office's reports here)" if naming.joined else ""
        head = f"✅ Recorded as the {year or '?'} report of {office.name}{joined}."
    else:
        joined = "（并入本群已有的该单位）" if naming.joined else ""
        head = f"✅ 已记为“{office.name}”的{year or '年份不明'}{'年度' if year else ''}报告{joined}。"
    if naming.report is None or naming.stored is None:
        return head
    outcome = IngestOutcome(naming.stored.filename, naming.report, StoreResult("new", naming.stored), None)
    text = head + "\n" + verdict_reply(outcome, lang)
    if naming.following is not None:
        before, after = naming.following
        if (before.verdict, before.errors, before.warnings) != (after.verdict, after.errors, after.warnings):
            text += (f"\nThe {after.year} report, checked against this one: {_emoji(after.verdict)} "
                     f"{after.errors} error(s), {after.warnings} warning(s) (/report {office.short_name or office.name} "
                     f"{after.year})." if lang == "en" else
                     f"\n{after.year}年度报告已与本报告核对：{_emoji(after.verdict)} {after.verdict}，错误{after.errors}项、"
                     f"警告{after.warnings}项（/report {office.short_name or office.name} {after.year}）。")
    return text


def _table_photo_reply(report: Report, emoji: str, lang: str) -> str:
    """A photo of one table: which table, its own checks, and what needs the whole report."""
    en = lang == "en"
    note = next((f for f in report.findings if f.code == "OCR-02"), None)
    tables = [n for n, t in (("表2", report.proactive), ("表3", report.applications), ("表4", report.appeals)) if t]
    which = "、".join(tables) or "表格"
    shown = which.replace("表", "table ") if en else which
    lines = [f"{emoji} 📷 {'Photo of ' + shown if en else '照片：' + shown}"]
    if report.applications is not None or report.appeals is not None:
        lines.append(key_numbers(report, lang))
    summary = _top_findings(report, lang)
    if summary.startswith(emoji):
        summary = summary[len(emoji):].lstrip()
    lines.append(summary)
    if note is not None and note.message not in summary and note.message_en not in summary:
        lines.append(note.message_en if en and note.message_en else note.message)
    lines.append("(Not stored: send the whole report to file it.)" if en else "（未保存：发送完整年报才会归档。）")
    return "\n".join(lines)

"""What each roster office owes this chat for a report year, and by when — the one place that knows it.

The chat's dates come from :mod:`bot.deadlines.filing` (条例 第四十九条, the 街道 setting and the chat's
internal stages); on top of them an office may have its own terms for one year (storage/obligations.py):

* an **extension** (``/deadline 鹿山 延期至 2月5日 原因``): it is not late until its own date, and a
  reminder names it apart (「已延期：鹿山（至2月5日）」) instead of among the missing;
* an **exemption** (``/roster 免报 五星 2026 已撤并``): it owes nothing that year, is never named as
  missing, and does not count in the roster total.

Every reminder (``ticker.roster_progress``), 「谁还没交」, ``/roster``, ``/deadline`` and the status
answers read :func:`owed` so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.deadlines.filing import DuePlan, due_plan
from storage import obligations as store

EXTENSION = store.EXTENSION
EXEMPTION = store.EXEMPTION


def md(day: date) -> str:
    """``2月5日``."""
    return f"{day.month}月{day.day}日"


def has_errors(report: Any) -> bool:
    """A stored report that still has errors to fix (same test as the reminders)."""
    verdict = str(getattr(report, "verdict", "") or "")
    return bool(getattr(report, "errors", 0)) or verdict in ("error", "有错误", "❌")


@dataclass(frozen=True)
class Owed:
    """One roster office's obligation for a report year in one chat."""

    office: Any  # storage.types.OfficeInfo
    report_year: int
    chat_due: date  # the date the chat set for offices of this kind
    due: date  # this office's own date (its extension), else ``chat_due``
    exempt: bool
    extended: bool
    reason: str
    report: Any  # storage.types.StoredReport | None

    @property
    def name(self) -> str:
        return self.office.short_name or self.office.name

    @property
    def missing(self) -> bool:
        """Owes a report and none arrived."""
        return not self.exempt and self.report is None

    @property
    def failing(self) -> bool:
        """Sent a report that still has errors."""
        return not self.exempt and self.report is not None and has_errors(self.report)

    def waiting(self, today: date) -> bool:
        """Missing but on an extension that has not run out: not late, named apart."""
        return self.missing and self.extended and today <= self.due

    def late(self, today: date) -> bool:
        return self.missing and today > self.due

    def note(self, today: date | None = None) -> str:
        """「已延期至2月5日（原因）」 / 「2026年度免报（已撤并）」 / ''; given ``today``, an extension that ran
        out without a report says so: 「延期至2月5日，已逾期3天（原因）」 (late, whatever week it is)."""
        why = f"（{self.reason}）" if self.reason else ""
        if self.exempt:
            return f"{self.report_year}年度免报{why}"
        if self.extended and today is not None and self.late(today):
            return f"延期至{md(self.due)}，已逾期{(today - self.due).days}天{why}"
        if self.extended:
            return f"已延期至{md(self.due)}{why}"
        return ""


async def owed(db: Any, *, chat_id: int, plan: DuePlan, kinds: frozenset[str] | None = None) -> list[Owed] | None:
    """The roster offices (of ``kinds``, when given) and what each owes for ``plan.report_year``.

    None when the chat has no roster at all (nobody can be "missing" from a list that does not exist).
    """
    from storage import repo

    roster = await repo.roster(db, chat_id=chat_id)
    if not roster:
        return None
    if kinds is not None:
        roster = [o for o in roster if o.kind in kinds]
    if not roster:
        return []
    year = plan.report_year
    reports = {o.id: r for o, r in await repo.submission_status(db, chat_id=chat_id, year=year)}
    terms = await store.obligations(db, chat_id=chat_id, report_year=year)
    out = []
    for office in roster:
        term = terms.get(office.id)
        chat_due = plan.due_for(office.kind or "其他")
        extended = term is not None and term.kind == EXTENSION and term.due is not None
        out.append(Owed(office=office, report_year=year, chat_due=chat_due,
                        due=term.due if extended and term and term.due else chat_due,
                        exempt=term is not None and term.kind == EXEMPTION, extended=extended,
                        reason=term.reason if term else "", report=reports.get(office.id)))
    return out


async def owed_now(db: Any, *, chat_id: int, today: date, year: int | None = None,
                   kinds: frozenset[str] | None = None) -> tuple[DuePlan, list[Owed] | None]:
    """:func:`owed` for the report year being filed around ``today`` (or ``year``)."""
    plan = await due_plan(db, chat_id=chat_id, today=today, year=year)
    return plan, await owed(db, chat_id=chat_id, plan=plan, kinds=kinds)


def waiting_names(rows: list[Owed], today: date) -> list[str]:
    """「鹿山（至2月5日）」 for each office on a running extension, for the reminders' 「已延期」 line."""
    return [f"{r.name}（至{md(r.due)}）" for r in rows if r.waiting(today)]


def late_extended_names(rows: list[Owed], today: date, *, after_days: int = 0) -> list[str]:
    """「鹿山（至2月5日，已逾期3天）」 for each office whose extension ran out more than ``after_days`` ago
    without a report: it stays 逾期 in every later reminder of the year, after the statutory overdue week
    too (``after_days``: its own overdue week, whose reminders name it already)."""
    return [f"{r.name}（至{md(r.due)}，已逾期{(today - r.due).days}天）" for r in rows
            if r.extended and r.late(today) and (today - r.due).days > after_days]


def on_roster(rows: list[Owed] | None, name: str) -> list[Owed]:
    """The roster offices ``name`` can mean: an exact name, short name or alias first, else a substring."""
    if not rows:
        return []
    key = name.replace(" ", "")

    def names(r: Owed) -> list[str]:
        return [n for n in (r.office.name, r.office.short_name, *(r.office.aliases or [])) if n]

    exact = [r for r in rows if key in names(r)]
    return exact or [r for r in rows if any(key in n or (len(n) >= 2 and n in key) for n in names(r))]


async def office_note(db: Any, *, chat_id: int, office_id: int, today: date, year: int | None = None) -> str:
    """「已延期至2月5日（原因）」 / 「2026年度免报（已撤并）」 for one office in the year being filed (or
    ``year``), '' when it simply owes the chat's date — for status answers about that office."""
    _, rows = await owed_now(db, chat_id=chat_id, today=today, year=year)
    row = next((r for r in rows or [] if r.office.id == office_id), None)
    return row.note(today) if row is not None else ""

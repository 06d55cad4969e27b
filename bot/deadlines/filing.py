"""Which report year is due now, by when, and for whom — one answer for every reply that needs it.

/deadline, /roster, 「谁还没交」「X交了吗」 and the reminders all ask :func:`due_plan` (or the pure
:func:`plan_for`), so a chat that moved its 街道/乡镇 to 3月31日 (``/deadline 街道 3月31日``) sees 3月31日
everywhere, and every reply counts the same report year.

条例 第四十九条: departments (and by default 街道/乡镇) report by 1月31日; a government's own report —
and 街道/乡镇 in a chat that set it so — by 3月31日 of the following year.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from bot.deadlines.config import SETTING_TOWNSHIP
from bot.deadlines.ladder import KIND_DEPT, KIND_GOV, filing_year

TOWNSHIP_KINDS = frozenset({"街道", "乡镇"})
#: Chat setting of multi-stage internal deadlines (bot/deadlines/stages.py): office kind → "MM-DD".
SETTING_STAGES = "deadline_stages"
#: Every office kind (bot/report.py Office.kind).
OFFICE_KINDS = ("部门", "街道", "乡镇", "区县政府", "其他")


def township_late(township_deadline: str | None) -> bool:
    """True when 街道/乡镇 report by 3月31日 (with the government) rather than 1月31日."""
    return (township_deadline or "").replace("/", "-").strip() in ("03-31", "3-31")


def deadline_kind(office_kind: str, township_deadline: str | None = "01-31") -> str:
    """The statutory deadline (``dept`` 1月31日 or ``gov`` 3月31日) an office of ``office_kind`` reports by."""
    if office_kind == "区县政府" or (office_kind in TOWNSHIP_KINDS and township_late(township_deadline)):
        return KIND_GOV
    return KIND_DEPT


def statutory_due(kind: str, report_year: int) -> date:
    """The date of the ``dept``/``gov`` deadline for reports about ``report_year``."""
    return date(report_year + 1, 3, 31) if kind == KIND_GOV else date(report_year + 1, 1, 31)


def office_due(office_kind: str, report_year: int, township_deadline: str | None = "01-31") -> date:
    """When an office of ``office_kind`` must have filed its ``report_year`` report."""
    return statutory_due(deadline_kind(office_kind, township_deadline), report_year)


def who_label(kind: str, township_deadline: str | None = "01-31") -> str:
    """For whom a statutory deadline is, as the chat configured it: 「部门、街道/乡镇」 or 「部门」 …"""
    late = township_late(township_deadline)
    if kind == KIND_GOV:
        return "本级政府、街道/乡镇" if late else "本级政府"
    return "部门" if late else "部门、街道/乡镇"


def statutory_title(kind: str, report_year: int, township_deadline: str | None = "01-31") -> str:
    """The title of a statutory deadline in this chat (the stored title is the 1月31日-township default)."""
    return f"{report_year}年度政府信息公开工作年度报告报送（{who_label(kind, township_deadline)}）"


@dataclass(frozen=True)
class DuePlan:
    """The report year being filed now in one chat, and the date each kind of office reports by."""

    report_year: int
    township_deadline: str
    #: the chat's internal stages, ((office kind, "MM-DD"), …): that kind owes this chat by that date
    stages: tuple[tuple[str, str], ...] = ()

    def due_for(self, office_kind: str) -> date:
        for kind, md in self.stages:
            if kind == office_kind:
                return date(self.report_year + 1, int(md[:2]), int(md[3:]))
        return office_due(office_kind, self.report_year, self.township_deadline)

    def kinds_for(self, kind: str) -> frozenset[str]:
        """The office kinds a ``dept``/``gov`` deadline is about in this chat."""
        return frozenset(k for k in OFFICE_KINDS if deadline_kind(k, self.township_deadline) == kind)


def plan_for(today: date, township_deadline: str | None = None, *, year: int | None = None) -> DuePlan:
    """The pure decision: ``year`` when asked for one, else the report year being filed around ``today``."""
    return DuePlan(year if year is not None else filing_year(today), township_deadline or default_township())


def default_township() -> str:
    """The process default (NIANBAO_TOWNSHIP_DEADLINE, checked at start by bot.config), else 01-31."""
    value = os.environ.get("NIANBAO_TOWNSHIP_DEADLINE", "").strip()
    return value if value in ("01-31", "03-31") else "01-31"


async def chat_township(db: Any, chat_id: int, default: str | None = None) -> str:
    """The chat's 街道/乡镇 deadline (``/deadline 街道 3月31日``), else the process default."""
    from storage import repo

    try:
        value = await repo.get_chat_setting(db, chat_id=chat_id, key=SETTING_TOWNSHIP, default=None)
    except Exception:  # a chat without a workspace row yet  # noqa: BLE001
        value = None
    return str(value or default or default_township())


async def due_plan(db: Any, *, chat_id: int, today: date, year: int | None = None,
                   default_township: str | None = None) -> DuePlan:
    """Which report year is due now in this chat, and by when for each kind of office (its stages too)."""
    from bot.deadlines.stages import chat_stages

    plan = plan_for(today, await chat_township(db, chat_id, default_township), year=year)
    stages = await chat_stages(db, chat_id)
    return replace(plan, stages=tuple(sorted(stages.items()))) if stages else plan

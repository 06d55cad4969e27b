"""The one definition of what a ruling means for a finding, and how a contact is named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.report import Finding
from bot.review.states import CONFIRMED, DISMISSED
from storage.types import Contact, ReviewedFinding, Ruling


def _reviewed(severity: str, decision: str | None) -> ReviewedFinding:
    ruling = None if decision is None else Ruling(
        id=1, report_id=1, fingerprint="fp", decision=decision, reason="", user_id=1, user_name="李科长",
        at=datetime(2022, 2, 24, tzinfo=UTC))
    return ReviewedFinding(Finding("T3-01", severity, "总计不等于各项之和"), "fp", ruling)


@pytest.mark.parametrize(("severity", "decision", "to_fix", "dismissed"), [
    ("error", None, True, False),         # an error stands until it is dismissed
    ("error", CONFIRMED, True, False),
    ("error", DISMISSED, False, True),
    ("warning", None, False, False),      # a warning is asked for only once confirmed
    ("warning", CONFIRMED, True, False),
    ("warning", DISMISSED, False, True),
    ("info", None, False, False),
])
def test_to_fix_and_dismissed(severity: str, decision: str | None, to_fix: bool, dismissed: bool) -> None:
    found = _reviewed(severity, decision)
    assert (found.to_fix, found.dismissed) == (to_fix, dismissed)


def test_a_contact_is_named_by_display_name_else_by_id() -> None:
    assert Contact(-1, 7, 20, "zs", "张三").name == "张三"
    assert Contact(-1, 7, 21, None, "").name == "21"
    assert Contact(-1, 7, None, None, "王小明").name == "王小明"

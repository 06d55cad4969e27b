"""Every registered rule fires on a report built to break it, and stays quiet on correct reports."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.validation import RULES, validate
from tests.bot.validation.cases import FIRES
from tests.support.factories import make_report

CODES = [r.code for r in RULES]


def test_every_rule_has_a_firing_case() -> None:
    assert sorted(set(CODES) - set(FIRES)) == []
    assert sorted(set(FIRES) - set(CODES)) == []


@pytest.mark.parametrize("code", sorted(FIRES))
def test_rule_fires(code: str) -> None:
    report, kwargs = FIRES[code]()
    findings = validate(report, **kwargs)
    hits = [f for f in findings if f.code == code]
    assert hits, f"{code} did not fire; got {[f.code for f in findings]}"
    for f in hits:
        assert f.message and f.message_en and f.where
        assert f.severity in ("error", "warning", "info")


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("fmt,year", [("2021", 2021), ("2021", 2023), ("2019", 2020)])
def test_correct_reports_have_no_findings(seed: int, fmt: str, year: int) -> None:
    report = make_report(seed, fmt=fmt, year=year)
    findings = validate(report, received=date(year + 1, 1, 20), today=date(year + 1, 2, 1))
    assert [(f.code, f.message) for f in findings] == []
    assert report.verdict == "通过"


@pytest.mark.parametrize("seed", range(6))
def test_chained_years_are_quiet(seed: int) -> None:
    """A report whose 上年结转 continues last year's 结转 column by column passes every XY rule."""
    prev = make_report(seed, year=2020)
    cur = make_report(seed + 50, year=2021, carried_over=0)
    forward = prev.applications["carried_forward"]
    for i, v in enumerate(forward):
        diff = v.value - cur.applications["carried_over"][i].value
        for row in ("carried_over", "total_processed", "granted"):
            cur.applications[row][i].value += diff
    prev.proactive["normative_documents"]["in_force"].value = (
        cur.t2("normative_documents", "in_force")
        - cur.t2("normative_documents", "issued")
        + cur.t2("normative_documents", "repealed")
    )
    cur.prose = []
    findings = validate(cur, prev)
    assert [(f.code, f.message) for f in findings] == []


def test_rule_codes_unique_and_severities_valid() -> None:
    assert len(CODES) == len(set(CODES))
    assert all(r.severity in ("error", "warning", "info") and r.title for r in RULES)


@pytest.mark.parametrize("code", sorted(FIRES))
def test_every_finding_says_where_and_what_to_change(code: str) -> None:
    """On a phone a finding must say where (table, row, column, section or the quoted sentence) and
    what to change or why it matters — never only the bare fact."""
    report, kwargs = FIRES[code]()
    findings = [f for f in validate(report, **kwargs) if f.code == code]
    assert findings
    for f in findings:
        assert f.where.strip(), f
        assert re.search(r"(?<!申)请|应|须|建议|是否|关注|已按|已忽略|已自动|无需", f.message), f.message
        assert "\n" not in f.message

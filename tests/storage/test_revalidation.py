"""A stored report's new validation replaces its findings, verdict and counts in the same row (SQLite and
PostgreSQL: the ``db`` fixture runs each test on both)."""

from __future__ import annotations

import pytest

from bot.report import Finding
from storage import repo
from tests.support.factories import make_report

CHAT = -100321


async def test_replace_validation_rewrites_findings_verdict_and_counts_in_place(db):
    report = make_report(1)
    report.findings = [Finding("T3-05", "warning", "空白单元格", "表3")]
    stored = (await repo.store_report(db, chat_id=CHAT, report=report)).report
    assert (stored.verdict, stored.errors, stored.warnings) == ("有警告", 0, 1)

    report.findings = [Finding("XY-01", "error", "上年结转与上年不符", "表3 上年结转·总计", left=0, right=4, delta=-4),
                       Finding("XY-05", "info", "上年问题未提及", "正文 五")]
    after = await repo.replace_validation(db, report_id=stored.id, report=report)

    assert (after.id, after.version, after.is_current) == (stored.id, 1, True)
    assert (after.verdict, after.errors, after.warnings, after.infos) == ("有错误", 1, 0, 1)
    assert [(f.code, f.left, f.right) for f in await repo.report_findings(db, report_id=stored.id)] == [
        ("XY-01", 0, 4), ("XY-05", None, None)]
    assert [f.code for f in (await repo.load_report(db, report_id=stored.id)).findings] == ["XY-01", "XY-05"]
    assert len(await repo.list_reports(db, chat_id=CHAT, include_history=True)) == 1


async def test_replace_validation_of_an_unknown_report_changes_nothing(db):
    stored = (await repo.store_report(db, chat_id=CHAT, report=make_report(1))).report
    with pytest.raises(LookupError):
        await repo.replace_validation(db, report_id=stored.id + 999, report=make_report(2))
    assert (await repo.list_reports(db, chat_id=CHAT))[0].verdict == stored.verdict


async def test_a_dismissed_finding_that_recurs_still_does_not_count(db):
    from bot.review import fingerprints

    report = make_report(1)
    report.findings = [Finding("T3-05", "warning", "空白单元格", "表3")]
    stored = (await repo.store_report(db, chat_id=CHAT, report=report)).report
    [fp] = fingerprints(report.findings)
    await repo.rule_finding(db, chat_id=CHAT, report_id=stored.id, fingerprint=fp, decision="dismissed",
                            reason="模板如此", user_id=1)

    report.findings = [Finding("T3-05", "warning", "空白单元格", "表3"),
                       Finding("XY-01", "error", "上年结转与上年不符", "表3 上年结转·总计", left=0, right=4, delta=-4)]
    after = await repo.replace_validation(db, report_id=stored.id, report=report)
    assert (after.verdict, after.errors, after.warnings) == ("有错误", 1, 0)  # the dismissed warning stays out

"""Rulings and 整改 states on SQLite and PostgreSQL (the ``db`` fixture runs each test on both)."""

from __future__ import annotations

import pytest

from bot.report import Finding
from bot.review import ReviewState, fingerprint
from storage import repo, review
from storage.review import RulingRefused
from tests.support.factories import make_report

CHAT = -100321
OTHER = -100654
SUM = Finding("T3-01", "error", "总计不等于各项之和", "表3 “办理结果·总计”", left=42, right=40, delta=2)
BLANK = Finding("T3-05", "error", "表3有空白单元格", "表3 “予以公开·自然人”")
PROSE = Finding("STR-02", "warning", "正文数字与表格不符", "第5行")
HINT = Finding("INFO-01", "info", "提示", "")


async def store(db, *findings, seed=1, chat=CHAT):
    report = make_report(seed)
    report.findings = list(findings)
    return (await repo.store_report(db, chat_id=chat, report=report, sender_id=1)).report


async def rule(db, stored, finding, decision, reason="", chat=CHAT, user=7):
    return await review.rule_finding(db, chat_id=chat, report_id=stored.id, fingerprint=fingerprint(finding),
                                     decision=decision, reason=reason, user_id=user, user_name="张三")


async def test_dismissal_changes_the_effective_verdict_and_keeps_findings(db):
    stored = await store(db, SUM, BLANK, PROSE, HINT)
    assert (stored.verdict, stored.errors, stored.warnings) == ("有错误", 2, 1)
    ruling = await rule(db, stored, SUM, "dismissed", "合计口径含上年结转，属正确")
    assert ruling.dismissed and ruling.user_name == "张三" and not ruling.carried
    after = await repo.get_report(db, chat_id=CHAT, office_id=stored.office.id, year=2021)
    assert (after.verdict, after.errors, after.warnings, after.infos) == ("有错误", 1, 1, 1)
    await rule(db, stored, BLANK, "dismissed", "确为无数据")
    await rule(db, stored, PROSE, "dismissed", "正文写的是上年数")
    after = await repo.get_report(db, chat_id=CHAT, office_id=stored.office.id, year=2021)
    assert (after.verdict, after.errors, after.warnings) == ("通过", 0, 0)
    assert len(await repo.report_findings(db, report_id=stored.id)) == 4  # originals kept
    # changing one's mind: confirming again makes it count again
    await rule(db, stored, SUM, "confirmed")
    after = await repo.get_report(db, chat_id=CHAT, office_id=stored.office.id, year=2021)
    assert (after.verdict, after.errors) == ("有错误", 1)
    rulings = await review.rulings_for_report(db, report_id=stored.id)
    assert rulings[fingerprint(SUM)].decision == "confirmed" and len(rulings) == 3
    listed = await review.reviewed_findings(db, chat_id=CHAT, report_id=stored.id)
    assert [f.finding.code for f in listed] == ["T3-01", "T3-05", "STR-02", "INFO-01"]
    assert listed[1].ruling.reason == "确为无数据" and listed[3].ruling is None
    log = await repo.audit_log(db, chat_id=CHAT)
    assert [e.action for e in log[:4]] == ["rule"] * 4
    assert "不是问题" in log[-1].detail and "T3-01" in log[-1].detail and "张三" in log[-1].detail


async def test_bad_rulings_change_nothing(db):
    stored = await store(db, SUM, HINT)
    elsewhere = await store(db, SUM, chat=OTHER)
    cases = [
        ({"chat": OTHER}, "not_found"),  # this report, ruled from another chat (forged button)
        ({"reason": "x" * 501}, "too_long"),
        ({"reason": ""}, "no_reason"),  # 不是问题 needs a reason
    ]
    for kw, why in cases:
        args = {"reason": "理由", **kw}
        with pytest.raises(RulingRefused) as refused:
            await rule(db, stored, SUM, "dismissed", args["reason"], chat=args.get("chat", CHAT))
        assert refused.value.reason == why
    with pytest.raises(RulingRefused, match="no_finding"):
        await rule(db, stored, BLANK, "confirmed")
    with pytest.raises(RulingRefused, match="no_finding"):
        await rule(db, stored, HINT, "dismissed", "info 不裁定")
    with pytest.raises(RulingRefused, match="bad_decision"):
        await rule(db, stored, SUM, "maybe")
    await repo.delete_report(db, chat_id=CHAT, office_id=stored.office.id, year=2021, user_id=1)
    with pytest.raises(RulingRefused, match="deleted"):
        await rule(db, stored, SUM, "confirmed")
    assert await review.rulings_for_report(db, report_id=stored.id) == {}
    assert await review.reviewed_findings(db, chat_id=CHAT, report_id=stored.id) is None
    assert await review.reviewed_findings(db, chat_id=CHAT, report_id=elsewhere.id) is None
    assert not [e for e in await repo.audit_log(db, chat_id=CHAT) if e.action == "rule"]
    # exactly 500 characters is allowed
    assert (await rule(db, elsewhere, SUM, "dismissed", "理" * 500, chat=OTHER)).reason == "理" * 500


async def test_rulings_carry_over_and_the_review_loop(db):
    v1 = await store(db, SUM, BLANK, PROSE)
    office = v1.office.id
    assert (await review.review_states(db, chat_id=CHAT, year=2021)) == {office: ReviewState.PENDING}
    await rule(db, v1, SUM, "confirmed", "请核对合计")
    await rule(db, v1, BLANK, "dismissed", "确无数据")
    await rule(db, v1, PROSE, "confirmed")
    [status] = await review.review_status(db, chat_id=CHAT, year=2021)
    assert (status.state, status.confirmed, status.dismissed, status.unruled) == ("需整改", 2, 1, 0)
    v2 = await store(db, BLANK, PROSE, seed=2)  # SUM fixed; BLANK and PROSE recur
    with pytest.raises(RulingRefused, match="old_version"):
        await rule(db, v1, SUM, "dismissed", "旧版")
    assert (v2.verdict, v2.errors, v2.warnings) == ("有警告", 0, 1)  # the dismissal carried over at once
    rulings = await review.rulings_for_report(db, report_id=v2.id)
    assert {fp: r.decision for fp, r in rulings.items()} == {fingerprint(BLANK): "dismissed",
                                                             fingerprint(PROSE): "confirmed"}
    assert all(r.carried for r in rulings.values()) and rulings[fingerprint(BLANK)].reason == "确无数据"
    assert (await review.review_states(db, chat_id=CHAT, year=2021))[office] is ReviewState.MUST_FIX
    v3 = await store(db, BLANK, seed=3)  # PROSE fixed too
    assert (v3.verdict, v3.errors, v3.warnings) == ("通过", 0, 0)
    assert (await review.review_states(db, chat_id=CHAT, year=2021))[office] is ReviewState.FIXED
    # a new problem in a later version waits for a ruling
    v4 = await store(db, BLANK, Finding("T3-01", "error", "总计不等", "表3 “办理结果·总计”", 50, 40, 10), seed=4)
    assert v4.errors == 1
    assert (await review.review_states(db, chat_id=CHAT, year=2021))[office] is ReviewState.PENDING
    # another chat's office-year is not touched by these rulings
    elsewhere = await store(db, BLANK, chat=OTHER)
    assert elsewhere.errors == 1 and await review.rulings_for_report(db, report_id=elsewhere.id) == {}
    assert await review.review_states(db, chat_id=OTHER, year=2021) == {elsewhere.office.id: ReviewState.PENDING}


async def test_clean_report_passes_and_nothing_is_empty(db):
    stored = await store(db, HINT)
    assert await review.review_states(db, chat_id=CHAT, year=2021) == {stored.office.id: ReviewState.PASSED}
    assert await review.review_status(db, chat_id=CHAT, year=2020) == []
    assert await review.review_status(db, chat_id=CHAT, year=None) == []  # 年份不明 only, not every year
    assert await review.review_status(db, chat_id=-1, year=2021) == []


async def test_rulings_survive_a_chat_migration_into_an_existing_workspace(db):
    target = -100999
    await repo.ensure_workspace(db, chat_id=CHAT)
    stored = await store(db, SUM, chat=target)  # the new id got a report (and a ruling) first
    await rule(db, stored, SUM, "dismissed", "核实无误", chat=target)
    await repo.migrate_chat(db, old_chat_id=CHAT, new_chat_id=target)
    assert (await review.rulings_for_report(db, report_id=stored.id))[fingerprint(SUM)].reason == "核实无误"
    [after] = await repo.list_reports(db, chat_id=target)
    assert after.errors == 0

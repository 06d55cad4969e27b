"""collect: one row per roster office with its report, derived 整改 state, findings and contact."""

from __future__ import annotations

from dataclasses import replace

from bot.documents.collect import (
    STATE_FIX,
    STATE_MISSING,
    STATE_PASSED,
    STATE_PENDING,
    collect,
    collect_office,
    dismissed_text,
    status_lines,
)
from bot.report import Finding
from bot.review import fingerprint
from bot.review.states import CONFIRMED, DISMISSED
from storage import repo
from tests.bot.documents.conftest import CHAT, MISSING, file_reports, rule, ruling


async def test_every_roster_office_with_state_findings_and_contact(db) -> None:
    await file_reports(db)
    data = await collect(db, chat_id=CHAT, year=2021)
    rows = {r.short: r for r in data.rows}
    assert set(rows) == {"鹿山", "青石山", "红旗", "白云"}
    # nothing ruled yet: every office with an error or warning waits for review
    assert rows["鹿山"].state == STATE_PENDING and rows["青石山"].state == STATE_PENDING
    assert rows["白云"].state == STATE_MISSING and rows["白云"].stored is None and rows["白云"].name == MISSING
    lushan = rows["鹿山"]
    assert [f.finding.code for f in lushan.to_fix] == ["T3-01", "T3-03"]
    assert [c.name for c in lushan.contacts] == ["王小明"] and lushan.contacts[0].user_id == 21
    assert rows["白云"].contacts == []
    assert len(data.received) == 3 and [r.short for r in data.missing] == ["白云"]
    assert {it.short_name for it in data.export_items()} == {"鹿山", "青石山", "红旗"}
    # the same rows again: the fingerprints are stable
    again = {r.short: r for r in (await collect(db, chat_id=CHAT, year=2021)).rows}
    assert [f.fingerprint for f in again["鹿山"].findings] == [f.fingerprint for f in lushan.findings]


async def test_rulings_and_states_come_from_the_review(db) -> None:
    await file_reports(db)
    await rule(db, "鹿山", "T3-01", CONFIRMED)
    await rule(db, "鹿山", "T3-03", DISMISSED, "总计按口径填写")
    for code in {f.code for s in await repo.list_reports(db, chat_id=CHAT) if s.office.short_name == "红旗"
                 for f in await repo.report_findings(db, report_id=s.id) if f.severity != "info"}:
        await rule(db, "红旗", code, DISMISSED, "不影响")
    rows = {r.short: r for r in (await collect(db, chat_id=CHAT, year=2021)).rows}
    assert rows["鹿山"].state == STATE_FIX and rows["红旗"].state == STATE_PASSED
    assert [f.finding.code for f in rows["鹿山"].to_fix] == ["T3-01"]
    [dismissed] = rows["鹿山"].dismissed
    assert dismissed.ruling.reason == "总计按口径填写" and dismissed.ruling.user_name == "李科长"
    assert "T3-03" in dismissed_text(rows["鹿山"]) and "总计按口径填写（李科长）" in dismissed_text(rows["鹿山"])


async def test_one_office_and_status_lines(filed) -> None:
    office = await repo.resolve_office(filed, name="富阳区鹿山街道")
    assert office is not None
    row = await collect_office(filed, chat_id=CHAT, office_id=office.id)
    assert row is not None and row.year == 2021 and row.stored is not None and row.stored.version == 1
    assert await collect_office(filed, chat_id=CHAT, office_id=office.id, year=2019) is None
    assert await collect_office(filed, chat_id=-1, office_id=office.id) is None  # another chat
    data = await collect(filed, chat_id=CHAT, year=2021)
    lines = {line.office: line for line in status_lines(data)}
    assert lines["富阳区鹿山街道"].state == STATE_PENDING and lines["富阳区鹿山街道"].contact == "王小明"
    assert lines["富阳区鹿山街道"].received is not None and lines["富阳区鹿山街道"].received.tzinfo is None
    assert lines[MISSING].verdict == "" and lines[MISSING].received is None and lines[MISSING].version is None


def test_fingerprint_is_code_place_and_numbers_not_wording() -> None:
    a = Finding("T3-01", "error", "表3“自然人”列不平", "表3 “自然人”列", left=5, right=3, delta=2)
    assert fingerprint(a) == fingerprint(replace(a, message="另一种说法"))
    assert fingerprint(a) != fingerprint(replace(a, right=4, delta=1))
    assert fingerprint(a) != fingerprint(replace(a, where="表3 “法人”列"))
    assert fingerprint(a) != fingerprint(replace(a, code="T3-02"))


async def test_a_dismissed_finding_is_not_to_fix_and_is_listed_with_its_reason(filed) -> None:
    office = await repo.resolve_office(filed, name="富阳区鹿山街道")
    row = await collect_office(filed, chat_id=CHAT, office_id=office.id)
    first = row.findings[0]
    row.findings[0] = replace(first, ruling=ruling(DISMISSED, "该列为口径调整", "李科长"))
    assert first.finding.code not in [f.finding.code for f in row.to_fix]
    assert "该列为口径调整（李科长）" in dismissed_text(row) and first.finding.code in dismissed_text(row)
    assert first.finding not in row.export_item().findings


async def test_an_office_contact_replaces_the_sender(filed) -> None:
    from storage import contacts

    office = await repo.resolve_office(filed, name="富阳区鹿山街道")
    await contacts.bind_contact(filed, chat_id=CHAT, office_id=office.id, user_id=77, username="zhangsan",
                                display_name="张三", bound_by=1)
    rows = {r.short: r for r in (await collect(filed, chat_id=CHAT, year=2021)).rows}
    assert [(c.user_id, c.name) for c in rows["鹿山"].contacts] == [(77, "张三")]
    assert [c.name for c in rows["青石山"].contacts] == ["王小明"]  # no contact bound: the sender

"""Repository functions on SQLite and PostgreSQL (the ``db`` fixture runs each test on both)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.report import Finding
from storage import repo
from tests.support.factories import make_report

CHAT = -100123
OTHER = -100456


async def test_store_new_then_duplicate_then_new_version(db):
    first = make_report(1)
    r1 = await repo.store_report(
        db, chat_id=CHAT, report=first, sender_id=7, sender_name="张三", file_unique_id="u1"
    )
    assert r1.status == "new"
    assert r1.previous is None
    assert (r1.report.version, r1.report.is_current, r1.report.year) == (1, True, 2021)
    assert r1.report.office.name == "富阳区鹿山街道"
    assert (r1.report.sender_id, r1.report.sender_name) == (7, "张三")
    assert r1.report.received_at.tzinfo is not None

    again = await repo.store_report(db, chat_id=CHAT, report=make_report(1))
    assert again.status == "duplicate"
    assert again.report.id == r1.report.id
    assert len(await repo.list_reports(db, chat_id=CHAT, include_history=True)) == 1

    r2 = await repo.store_report(db, chat_id=CHAT, report=make_report(2))
    assert r2.status == "new_version"
    assert r2.report.version == 2
    assert r2.previous is not None and r2.previous.id == r1.report.id

    current = await repo.list_reports(db, chat_id=CHAT)
    assert [s.id for s in current] == [r2.report.id]
    history = await repo.report_history(db, chat_id=CHAT, office_id=r1.report.office.id, year=2021)
    assert [(h.version, h.is_current) for h in history] == [(1, False), (2, True)]


async def test_same_file_in_another_chat_is_stored_separately(db):
    a = await repo.store_report(db, chat_id=CHAT, report=make_report(1))
    b = await repo.store_report(db, chat_id=OTHER, report=make_report(1))
    assert (a.status, b.status) == ("new", "new")
    assert a.report.office.id == b.report.office.id  # offices are shared, reports are per chat


async def test_workspace_isolation_and_admin_view(db):
    await repo.store_report(db, chat_id=CHAT, report=make_report(1))
    await repo.store_report(
        db, chat_id=OTHER, report=make_report(2, office="富阳区银湖街道", short_name="银湖", year=2022)
    )
    mine = await repo.list_reports(db, chat_id=CHAT)
    assert [s.office.name for s in mine] == ["富阳区鹿山街道"]
    assert {s.workspace_chat_id for s in mine} == {CHAT}
    everything = await repo.list_reports(db, chat_id=None)
    assert len(everything) == 2
    assert await repo.years(db, chat_id=CHAT) == [2021]
    assert await repo.years(db, chat_id=OTHER) == [2022]
    assert await repo.years(db, chat_id=None) == [2021, 2022]
    assert [o.name for o in await repo.find_offices(db, chat_id=CHAT)] == ["富阳区鹿山街道"]
    assert len(await repo.find_offices(db, chat_id=None)) == 2
    assert await repo.find_offices(db, chat_id=999) == []
    office = (await repo.find_offices(db, chat_id=OTHER))[0]
    assert await repo.get_report(db, chat_id=CHAT, office_id=office.id) is None


async def test_cells_and_findings_are_queryable(db):
    report = make_report(4)
    report.applications["granted"][2].value = None  # a blank cell stays NULL, not 0
    report.applications["granted"][2].raw = ""
    report.findings = [
        Finding("T3-05", "warning", "表3有1个空白单元格", "表3 （一）予以公开"),
        Finding("T3-01", "error", "本年新收+上年结转≠总计+结转", "表3 总计", "A1 broken", 10, 12, -2),
    ]
    stored = (await repo.store_report(db, chat_id=CHAT, report=report)).report
    assert (stored.errors, stored.warnings, stored.infos, stored.verdict) == (1, 1, 0, "有错误")

    cells = await repo.report_cells(db, report_id=stored.id)
    assert len(cells) == len(report.cells())
    assert cells[("t3", "new_received", "total")] == report.t3("new_received")
    assert cells[("t3", "granted", "research")] is None
    assert cells[("t4", "review", "total")] == report.t4("review")
    assert cells[("t2", "licensing", "value")] == report.t2("licensing")

    findings = await repo.report_findings(db, report_id=stored.id)
    assert [f.code for f in findings] == ["T3-01", "T3-05"]  # errors first
    assert (findings[0].left, findings[0].right, findings[0].delta) == (10, 12, -2)
    assert findings[0].message_en == "A1 broken"

    loaded = await repo.load_report(db, report_id=stored.id)
    assert loaded.to_json() == report.to_json()
    assert loaded.applications["granted"][0].where == report.applications["granted"][0].where
    assert loaded.section_text == report.section_text
    with pytest.raises(LookupError):
        await repo.load_report(db, report_id=stored.id + 999)


async def test_cell_values_across_offices(db):
    a, b = make_report(1), make_report(2, office="富阳区银湖街道", short_name="银湖")
    b.applications = None  # 表3 absent → value None, report still listed
    await repo.store_report(db, chat_id=CHAT, report=a)
    await repo.store_report(db, chat_id=CHAT, report=b)
    await repo.store_report(
        db, chat_id=OTHER, report=make_report(3, office="富阳区春江街道", short_name="春江")
    )
    values = await repo.cell_values(db, chat_id=CHAT, year=2021, table="t3", row="new_received", col="total")
    assert [(s.office.name, v) for s, v in values] == [
        ("富阳区银湖街道", None),
        ("富阳区鹿山街道", a.t3("new_received")),
    ] or [(s.office.name, v) for s, v in values] == [
        ("富阳区鹿山街道", a.t3("new_received")),
        ("富阳区银湖街道", None),
    ]
    assert (
        len(await repo.cell_values(db, chat_id=None, year=2021, table="t4", row="review", col="total")) == 3
    )
    assert (
        await repo.cell_values(db, chat_id=CHAT, year=2020, table="t3", row="new_received", col="total") == []
    )


async def test_get_report_latest_year_and_previous_report(db):
    r20 = make_report(1, year=2020)
    r21 = make_report(2, year=2021)
    await repo.store_report(db, chat_id=CHAT, report=r20)
    s21 = (await repo.store_report(db, chat_id=CHAT, report=r21)).report
    latest = await repo.get_report(db, chat_id=CHAT, office_id=s21.office.id)
    assert latest is not None and latest.year == 2021
    assert (await repo.get_report(db, chat_id=CHAT, office_id=s21.office.id, year=2020)).year == 2020
    assert await repo.get_report(db, chat_id=CHAT, office_id=s21.office.id, year=2019) is None

    prev = await repo.previous_report(db, chat_id=CHAT, office_name="富阳区鹿山街道", year=2021)
    assert prev is not None and prev.year == 2020
    assert prev.t3("carried_forward") == r20.t3("carried_forward")
    assert (await repo.previous_report(db, chat_id=CHAT, office_name="鹿山", year=2021)).year == 2020
    assert await repo.previous_report(db, chat_id=OTHER, office_name="富阳区鹿山街道", year=2021) is None
    assert await repo.previous_report(db, chat_id=CHAT, office_name="富阳区鹿山街道", year=2020) is None
    assert await repo.previous_report(db, chat_id=CHAT, office_name="不存在街道", year=2021) is None


async def test_soft_delete_and_restore(db):
    s1 = (await repo.store_report(db, chat_id=CHAT, report=make_report(1))).report
    s2 = (await repo.store_report(db, chat_id=CHAT, report=make_report(2))).report
    office = s1.office.id
    assert await repo.delete_report(db, chat_id=CHAT, office_id=office, year=2021, user_id=42) == 1
    assert await repo.list_reports(db, chat_id=CHAT) == []
    assert await repo.get_report(db, chat_id=CHAT, office_id=office, year=2021) is None
    assert await repo.years(db, chat_id=CHAT) == []
    history = await repo.report_history(db, chat_id=CHAT, office_id=office, year=2021)
    assert [h.deleted_at is not None for h in history] == [False, True]
    assert await repo.delete_report(db, chat_id=CHAT, office_id=office, year=2021, user_id=42) == 0

    assert await repo.restore_report(db, chat_id=CHAT, office_id=office, year=2021, user_id=42) == 1
    back = await repo.get_report(db, chat_id=CHAT, office_id=office, year=2021)
    assert back is not None and back.id == s2.id and back.deleted_at is None
    actions = [e.action for e in await repo.audit_log(db, chat_id=CHAT)]
    assert actions[:2] == ["restore_report", "delete_report"]
    assert await repo.restore_report(db, chat_id=CHAT, office_id=office, year=2021, user_id=42) == 0


async def test_resend_after_delete_then_restore_keeps_one_current(db):
    s1 = (await repo.store_report(db, chat_id=CHAT, report=make_report(1))).report
    await repo.delete_report(db, chat_id=CHAT, office_id=s1.office.id, year=2021, user_id=1)
    again = await repo.store_report(db, chat_id=CHAT, report=make_report(1))
    assert again.status == "new" and again.report.version == 2
    # the deleted copy of the same file is not brought back next to its re-sent twin
    assert await repo.restore_report(db, chat_id=CHAT, office_id=s1.office.id, year=2021, user_id=1) == 0
    current = await repo.list_reports(db, chat_id=CHAT)
    assert [s.id for s in current] == [again.report.id]


async def test_office_resolution_by_alias_and_pinyin(db):
    stored = (await repo.store_report(db, chat_id=CHAT, report=make_report(1))).report
    for name in (
        "富阳区鹿山街道",
        "鹿山街道",
        "鹿山",
        "鹿山街道办事处",
        "鹿山街",
        "lushan",
        "Lu Shan",
        "ＬＵＳＨＡＮ",
    ):
        found = await repo.resolve_office(db, name=name)
        assert found is not None and found.id == stored.office.id, name
    assert await repo.resolve_office(db, name="银湖") is None
    assert await repo.resolve_office(db, name="") is None
    await repo.add_alias(db, office_id=stored.office.id, alias="鹿山办")
    assert (await repo.resolve_office(db, name="鹿山办")).id == stored.office.id
    # a report that names the office by an alias lands on the same office
    short = make_report(2, office="鹿山街道办事处")
    assert (await repo.store_report(db, chat_id=CHAT, report=short)).status == "new_version"


async def test_ambiguous_alias_resolves_to_nothing(db):
    await repo.store_report(db, chat_id=CHAT, report=make_report(1, office="富阳区鹿山街道"))
    await repo.store_report(db, chat_id=CHAT, report=make_report(2, office="西湖区鹿山街道"))
    assert await repo.resolve_office(db, name="鹿山") is None
    assert (await repo.resolve_office(db, name="西湖区鹿山街道")).name == "西湖区鹿山街道"
    assert len(await repo.list_reports(db, chat_id=CHAT)) == 2


async def test_report_without_office_name_is_unnamed_not_named_after_its_file(db):
    report = make_report(1)
    report.office.name = ""
    report.source.filename, report.source.sha256 = "001.txt", ""  # the digest of its content then
    stored = (await repo.store_report(db, chat_id=CHAT, report=report)).report
    assert stored.office.name == f"未注明单位（001.txt·{repo.report_sha256(report)[:6]}）"
    other = make_report(2)  # another office's unnamed 001.txt: another office, not its second version
    other.office.name = ""
    other.source.filename, other.source.sha256 = "001.txt", ""
    second = (await repo.store_report(db, chat_id=CHAT, report=other)).report
    assert second.office.id != stored.office.id and second.version == 1


async def test_rename_keeps_history_and_old_name(db):
    stored = (await repo.store_report(db, chat_id=CHAT, report=make_report(1))).report
    await repo.rename_office(db, office_id=stored.office.id, new_name="富阳区鹿山新区街道")
    office = await repo.resolve_office(db, name="富阳区鹿山街道")
    assert office is not None and office.name == "富阳区鹿山新区街道"
    assert (await repo.resolve_office(db, name="鹿山新区")).id == office.id
    assert (await repo.get_report(db, chat_id=CHAT, office_id=office.id)).id == stored.id
    other = (await repo.store_report(db, chat_id=CHAT, report=make_report(2, office="富阳区银湖街道"))).report
    with pytest.raises(ValueError):
        await repo.rename_office(db, office_id=other.office.id, new_name="富阳区鹿山新区街道")


async def test_merge_moves_reports_aliases_and_roster(db):
    keep = (await repo.store_report(db, chat_id=CHAT, report=make_report(1, office="富阳区银湖街道"))).report
    gone20 = (await repo.store_report(db, chat_id=CHAT, report=make_report(2, year=2020))).report
    gone21 = (await repo.store_report(db, chat_id=CHAT, report=make_report(3))).report
    await repo.roster_add(db, chat_id=OTHER, name="富阳区鹿山街道")
    await repo.merge_offices(db, keep_id=keep.office.id, merge_id=gone21.office.id)

    assert (await repo.resolve_office(db, name="鹿山")).id == keep.office.id
    assert (await repo.resolve_office(db, name="富阳区鹿山街道")).id == keep.office.id
    current = await repo.list_reports(db, chat_id=CHAT)
    assert {(s.office.id, s.year) for s in current} == {(keep.office.id, 2021), (keep.office.id, 2020)}
    assert {s.id for s in current} == {keep.id, gone20.id}  # the kept office's 2021 stays current
    history = await repo.report_history(db, chat_id=CHAT, office_id=keep.office.id, year=2021)
    assert {h.id for h in history} == {keep.id, gone21.id}
    assert sorted(h.version for h in history) == [1, 2]  # the moved version continues the numbering
    assert [o.id for o in await repo.roster(db, chat_id=OTHER)] == [keep.office.id]
    names = [o.name for o in await repo.find_offices(db, chat_id=None)]
    assert names == ["富阳区银湖街道"]
    with pytest.raises(ValueError):
        await repo.merge_offices(db, keep_id=keep.office.id, merge_id=keep.office.id)


async def test_rename_may_set_short_name_and_kind(db):
    report = make_report(1, office="未注明单位（037.txt·abc123）", short_name="", kind="其他")
    stored = (await repo.store_report(db, chat_id=CHAT, report=report)).report
    await repo.rename_office(db, office_id=stored.office.id, new_name="临安区青山湖街道", short_name="青山湖",
                             kind="街道")
    office = await repo.resolve_office(db, name="青山湖")
    assert (office.id, office.name, office.short_name, office.kind) == (stored.office.id, "临安区青山湖街道", "青山湖", "街道")


async def test_merge_of_a_newer_upload_keeps_it_current(db):
    """An unnamed upload its sender names as an office that already has that year: the upload is newer."""
    old = (await repo.store_report(db, chat_id=CHAT, report=make_report(1))).report
    unnamed = make_report(2, office="未注明单位（001.txt·abc123）", short_name="", kind="其他")
    new = (await repo.store_report(db, chat_id=CHAT, report=unnamed)).report
    await repo.merge_offices(db, keep_id=old.office.id, merge_id=new.office.id, merged_is_newer=True)
    [current] = await repo.list_reports(db, chat_id=CHAT)
    assert (current.id, current.office.id, current.version) == (new.id, old.office.id, 2)
    history = await repo.report_history(db, chat_id=CHAT, office_id=old.office.id, year=2021)
    assert [(h.id, h.is_current) for h in history] == [(old.id, False), (new.id, True)]


async def test_roster_and_submission_status(db):
    await repo.store_report(db, chat_id=CHAT, report=make_report(1))
    added = await repo.roster_add(db, chat_id=CHAT, name="富阳区银湖街道", user_id=5)
    assert added.kind == "街道" and added.short_name == "银湖"
    again = await repo.roster_add(db, chat_id=CHAT, name="银湖街道")  # alias → same office, no dup
    assert again.id == added.id
    town = await repo.roster_add(db, chat_id=CHAT, name="富阳区新登镇", kind=None)
    assert town.kind == "乡镇"
    assert [o.name for o in await repo.roster(db, chat_id=CHAT)] == ["富阳区新登镇", "富阳区银湖街道"]

    status = await repo.submission_status(db, chat_id=CHAT, year=2021)
    assert [(o.name, s is not None) for o, s in status] == [
        ("富阳区新登镇", False),
        ("富阳区银湖街道", False),
        ("富阳区鹿山街道", True),
    ]
    assert await repo.submission_status(db, chat_id=OTHER, year=2021) == []
    assert await repo.roster_remove(db, chat_id=CHAT, office_id=town.id, user_id=5) is True
    assert await repo.roster_remove(db, chat_id=CHAT, office_id=town.id) is False
    assert [o.name for o in await repo.roster(db, chat_id=CHAT)] == ["富阳区银湖街道"]
    assert {o.name for o in await repo.find_offices(db, chat_id=CHAT)} == {"富阳区银湖街道", "富阳区鹿山街道"}


async def test_a_roster_typed_short_is_claimed_by_the_report_with_the_full_name(db):
    # the roster is typed before any file arrives, without the district; the reports carry it
    lushan = await repo.roster_add(db, chat_id=CHAT, name="鹿山街道")
    qss = await repo.roster_add(db, chat_id=CHAT, name="青石山街道")
    elsewhere = await repo.roster_add(db, chat_id=OTHER, name="东湖街道")
    stored = await repo.store_report(db, chat_id=CHAT, report=make_report(1))  # 富阳区鹿山街道
    assert stored.report.office.id == lushan.id
    assert stored.report.office.name == "富阳区鹿山街道" and stored.report.office.region == "富阳区"
    assert "鹿山街道" in stored.report.office.aliases  # what the roster was typed as still finds it
    status = await repo.submission_status(db, chat_id=CHAT, year=2021)
    assert [(o.name, s is not None) for o, s in status] == [("青石山街道", False), ("富阳区鹿山街道", True)]
    assert (await repo.resolve_office(db, name="鹿山街道")).id == lushan.id
    # another chat's roster is not claimed: its 东湖街道 may be another city's
    other = await repo.store_report(db, chat_id=CHAT, report=make_report(2, office="示范区东湖街道",
                                                                          short_name="东湖"))
    assert other.report.office.id not in (elsewhere.id, qss.id, lushan.id)
    assert [o.name for o in await repo.roster(db, chat_id=OTHER)] == ["东湖街道"]


async def test_a_short_roster_entry_follows_an_office_another_chat_stored_first(db):
    typed = await repo.roster_add(db, chat_id=CHAT, name="鹿山街道")  # before 鹿山 existed anywhere
    await repo.store_report(db, chat_id=OTHER, report=make_report(1))  # 富阳区鹿山街道, in another chat
    mine = await repo.store_report(db, chat_id=CHAT, report=make_report(2))
    assert mine.report.office.id != typed.id  # the office the other chat created
    status = await repo.submission_status(db, chat_id=CHAT, year=2021)
    assert [(o.name, s is not None) for o, s in status] == [("富阳区鹿山街道", True)]  # not 未交 under 鹿山街道
    assert [o.name for o in await repo.roster(db, chat_id=CHAT)] == ["富阳区鹿山街道"]


async def test_roster_name_two_cities_share_is_settled_by_the_chat(db):
    mine = await repo.store_report(db, chat_id=CHAT, report=make_report(1))  # 富阳区鹿山街道
    theirs = await repo.store_report(db, chat_id=OTHER, report=make_report(2, office="铁岭市鹿山街道"))
    assert mine.report.office.id != theirs.report.office.id
    assert (await repo.roster_add(db, chat_id=CHAT, name="鹿山街道")).id == mine.report.office.id
    assert (await repo.roster_add(db, chat_id=OTHER, name="鹿山街道")).id == theirs.report.office.id
    # a report titled without its city: the chat's own 鹿山 it is, not a third office
    bare = make_report(3, office="鹿山街道办事处")
    assert (await repo.store_report(db, chat_id=CHAT, report=bare)).report.office.id == mine.report.office.id


async def test_workspaces_settings_and_migration(db):
    await repo.ensure_workspace(db, chat_id=CHAT, title="富阳区政务公开群")
    await repo.ensure_workspace(db, chat_id=CHAT)  # idempotent
    await repo.ensure_workspace(db, chat_id=OTHER, kind="supergroup")
    assert await repo.list_workspaces(db) == sorted([CHAT, OTHER])
    await repo.set_chat_active(db, chat_id=OTHER, active=False)
    assert await repo.list_workspaces(db) == [CHAT]
    assert await repo.list_workspaces(db, active_only=False) == sorted([CHAT, OTHER])

    assert await repo.get_chat_setting(db, chat_id=CHAT, key="lang", default="zh") == "zh"
    await repo.set_chat_setting(db, chat_id=CHAT, key="lang", value="en")
    await repo.set_chat_setting(db, chat_id=CHAT, key="quiet", value={"from": "22:00", "to": "08:00"})
    assert await repo.get_chat_setting(db, chat_id=CHAT, key="lang") == "en"
    assert await repo.get_chat_setting(db, chat_id=CHAT, key="quiet") == {"from": "22:00", "to": "08:00"}
    await repo.set_chat_setting(db, chat_id=CHAT, key="lang", value=None)
    assert await repo.get_chat_setting(db, chat_id=CHAT, key="lang") is None
    assert await repo.get_chat_setting(db, chat_id=12345, key="lang", default="zh") == "zh"

    await repo.store_report(db, chat_id=CHAT, report=make_report(1))
    await repo.migrate_chat(db, old_chat_id=CHAT, new_chat_id=-1009999)
    moved = await repo.list_reports(db, chat_id=-1009999)
    assert len(moved) == 1 and moved[0].workspace_chat_id == -1009999
    assert await repo.list_reports(db, chat_id=CHAT) == []
    assert await repo.get_chat_setting(db, chat_id=-1009999, key="quiet") == {"from": "22:00", "to": "08:00"}


async def test_migrate_chat_into_existing_workspace_merges(db):
    await repo.store_report(db, chat_id=CHAT, report=make_report(1))
    await repo.roster_add(db, chat_id=CHAT, name="富阳区银湖街道")
    await repo.roster_add(db, chat_id=-1007, name="富阳区银湖街道")
    await repo.store_report(db, chat_id=-1007, report=make_report(2, office="富阳区春江街道", year=2022))
    await repo.migrate_chat(db, old_chat_id=CHAT, new_chat_id=-1007)
    assert {s.office.name for s in await repo.list_reports(db, chat_id=-1007)} == {
        "富阳区鹿山街道",
        "富阳区春江街道",
    }
    assert [o.name for o in await repo.roster(db, chat_id=-1007)] == ["富阳区银湖街道"]
    assert CHAT not in await repo.list_workspaces(db, active_only=False)


async def test_audit_log(db):
    await repo.audit(db, chat_id=CHAT, user_id=1, action="set_deadline", detail="2026-01-31")
    await repo.audit(db, chat_id=OTHER, user_id=2, action="export")
    await repo.audit(db, chat_id=None, user_id=3, action="merge_offices", detail="1←2")
    log = await repo.audit_log(db, chat_id=CHAT)
    assert [(e.chat_id, e.user_id, e.action, e.detail) for e in log] == [
        (CHAT, 1, "set_deadline", "2026-01-31")
    ]
    assert log[0].at.tzinfo is not None and log[0].at <= datetime.now(UTC)
    everything = await repo.audit_log(db, chat_id=None, limit=10)
    assert [e.action for e in everything] == ["merge_offices", "export", "set_deadline"]
    assert len(await repo.audit_log(db, chat_id=None, limit=2)) == 2


async def test_report_with_unknown_year(db):
    report = make_report(1)
    report.year = None
    stored = await repo.store_report(db, chat_id=CHAT, report=report)
    assert stored.report.year is None
    second = make_report(2)
    second.year = None
    assert (await repo.store_report(db, chat_id=CHAT, report=second)).status == "new_version"
    assert await repo.years(db, chat_id=CHAT) == []
    assert await repo.previous_report(db, chat_id=CHAT, office_name="鹿山", year=None) is None


async def test_store_reports_bulk_matches_single_store(db):
    reports = [
        make_report(1),
        make_report(2, office="富阳区银湖街道", short_name="银湖"),
        make_report(1),  # same file again in the same call
        make_report(3),  # corrected 鹿山 → version 2
        make_report(4, year=2020),
    ]
    results = await repo.store_reports(db, chat_id=CHAT, reports=reports, chunk=2)
    assert [r.status for r in results] == ["new", "new", "duplicate", "new_version", "new"]
    assert results[2].report.id == results[0].report.id
    assert results[3].previous.id == results[0].report.id and results[3].report.version == 2
    current = await repo.list_reports(db, chat_id=CHAT)
    assert len(current) == 3
    cells = await repo.report_cells(db, report_id=results[3].report.id)
    assert cells[("t3", "new_received", "total")] == make_report(3).t3("new_received")
    again = await repo.store_reports(db, chat_id=CHAT, reports=[make_report(2, office="富阳区银湖街道")])
    assert again[0].status == "duplicate"
    assert await repo.store_reports(db, chat_id=CHAT, reports=[]) == []


async def test_oversized_texts_do_not_fail_the_upload(db):
    report = make_report(1, office="某" * 300 + "街道")
    report.source.kind = "x" * 40
    stored = await repo.store_report(db, chat_id=CHAT, report=report, sender_name="名" * 400)
    assert stored.status == "new"
    assert len(stored.report.office.name) == 255
    assert len(stored.report.sender_name) == 255
    again = await repo.store_report(db, chat_id=CHAT, report=make_report(2, office="某" * 300 + "街道"))
    assert again.status == "new_version"  # the same (truncated) office

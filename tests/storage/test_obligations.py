"""storage/obligations.py on SQLite and PostgreSQL: extensions, exemptions, one-time link codes, audit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from storage import obligations as store
from storage import repo

CHILD, SUPERVISOR, OTHER = -1001, -1002, -1003


async def _office(db, name="富阳区鹿山街道"):
    await repo.ensure_workspace(db, chat_id=CHILD, title="富阳区政务公开群")
    return await repo.roster_add(db, chat_id=CHILD, name=name, kind="街道", user_id=1)


async def test_extension_replaces_exemption_and_lifting_is_audited(db):
    office = await _office(db)
    ext = await store.set_obligation(db, chat_id=CHILD, office_id=office.id, report_year=2025, kind="extension",
                                     due=date(2026, 2, 5), reason="报告审批中", user_id=7)
    assert (ext.kind, ext.due, ext.reason, ext.created_by) == ("extension", date(2026, 2, 5), "报告审批中", 7)
    # one row per office and year: an exemption replaces the extension
    await store.set_obligation(db, chat_id=CHILD, office_id=office.id, report_year=2025, kind="exemption",
                               reason="已撤并", user_id=7)
    terms = await store.obligations(db, chat_id=CHILD, report_year=2025)
    assert list(terms) == [office.id] and terms[office.id].kind == "exemption" and terms[office.id].due is None
    assert await store.obligations(db, chat_id=CHILD, report_year=2024) == {}  # per year
    assert await store.obligations(db, chat_id=OTHER, report_year=2025) == {}  # per chat
    # lifting the wrong kind changes nothing; the right one removes it once
    assert not await store.clear_obligation(db, chat_id=CHILD, office_id=office.id, report_year=2025,
                                            kind="extension", user_id=7)
    assert await store.clear_obligation(db, chat_id=CHILD, office_id=office.id, report_year=2025,
                                        kind="exemption", user_id=7)
    assert not await store.clear_obligation(db, chat_id=CHILD, office_id=office.id, report_year=2025,
                                            kind="exemption", user_id=7)
    actions = [e.action for e in await repo.audit_log(db, chat_id=CHILD)]
    assert actions[:3] == ["obligation_exemption_lifted", "obligation_exemption", "obligation_extension"]


async def test_an_extension_needs_a_date_and_an_exemption_none(db):
    office = await _office(db)
    with pytest.raises(ValueError):
        await store.set_obligation(db, chat_id=CHILD, office_id=office.id, report_year=2025, kind="extension")
    with pytest.raises(ValueError):
        await store.set_obligation(db, chat_id=CHILD, office_id=office.id, report_year=2025, kind="exemption",
                                   due=date(2026, 2, 5))
    assert await store.obligations(db, chat_id=CHILD, report_year=2025) == {}


async def test_link_code_is_used_once_and_every_bad_use_changes_nothing(db):
    now = datetime(2026, 1, 5, 2, tzinfo=UTC)
    await repo.ensure_workspace(db, chat_id=SUPERVISOR, title="区政府办")
    await store.create_link_code(db, child_chat_id=CHILD, code="K7M2QX9P", expires_at=now + timedelta(hours=24))
    assert (await store.confirm_link(db, code="AAAAAAAA", supervisor_chat_id=SUPERVISOR, user_id=2, now=now))[0] \
        == "unknown"
    assert (await store.confirm_link(db, code="K7M2QX9P", supervisor_chat_id=CHILD, user_id=2, now=now))[0] \
        == "same_chat"
    late = now + timedelta(hours=25)
    assert (await store.confirm_link(db, code="K7M2QX9P", supervisor_chat_id=SUPERVISOR, user_id=2, now=late))[0] \
        == "expired"
    assert await store.supervisor_of(db, child_chat_id=CHILD) is None
    result, link = await store.confirm_link(db, code="k7m2qx9p", supervisor_chat_id=SUPERVISOR, user_id=2, now=now)
    assert result == "ok" and link is not None and link.active and link.supervisor_chat_id == SUPERVISOR
    assert (await store.confirm_link(db, code="K7M2QX9P", supervisor_chat_id=OTHER, user_id=3, now=now))[0] == "used"
    assert (await store.supervisor_of(db, child_chat_id=CHILD)).supervisor_chat_id == SUPERVISOR
    assert [c.child_chat_id for c in await store.children_of(db, supervisor_chat_id=SUPERVISOR)] == [CHILD]
    # a second code for an already linked child cannot link it elsewhere
    await store.create_link_code(db, child_chat_id=CHILD, code="Z9Y8X7W6", expires_at=now + timedelta(hours=24))
    assert (await store.confirm_link(db, code="Z9Y8X7W6", supervisor_chat_id=OTHER, user_id=3, now=now))[0] \
        == "already_linked"
    # the table keeps only the hash of a code
    assert link.id and store.code_hash("k7m2qx9p") == store.code_hash("K7M2QX9P")
    ended = await store.unlink(db, chat_id=SUPERVISOR, user_id=2)
    assert [e.id for e in ended] == [link.id] and ended[0].unlinked_at is not None
    assert await store.unlink(db, chat_id=CHILD, user_id=2) == []
    assert await store.active_links(db) == []
    child_log = [e.action for e in await repo.audit_log(db, chat_id=CHILD)]
    assert "link_code" in child_log and "link_confirmed" in child_log and "link_removed" in child_log
    assert "link_confirmed" in [e.action for e in await repo.audit_log(db, chat_id=SUPERVISOR)]


async def test_a_new_code_retires_the_unused_one(db):
    now = datetime.now(UTC)
    await store.create_link_code(db, child_chat_id=CHILD, code="AAAA2222", expires_at=now + timedelta(hours=24))
    await store.create_link_code(db, child_chat_id=CHILD, code="BBBB3333", expires_at=now + timedelta(hours=24))
    assert (await store.confirm_link(db, code="AAAA2222", supervisor_chat_id=SUPERVISOR, user_id=2))[0] == "expired"
    assert (await store.confirm_link(db, code="BBBB3333", supervisor_chat_id=SUPERVISOR, user_id=2))[0] == "ok"


async def test_links_follow_a_group_that_became_a_supergroup(db):
    now = datetime.now(UTC)
    await store.create_link_code(db, child_chat_id=-1, code="CCCC4444", expires_at=now + timedelta(hours=1))
    assert (await store.confirm_link(db, code="CCCC4444", supervisor_chat_id=-2, user_id=2))[0] == "ok"
    await store.migrate_chat(db, old_chat_id=-1, new_chat_id=-1001)
    await store.migrate_chat(db, old_chat_id=-2, new_chat_id=-1002)
    link = await store.supervisor_of(db, child_chat_id=-1001)
    assert link is not None and link.supervisor_chat_id == -1002
    assert await store.supervisor_of(db, child_chat_id=-1) is None

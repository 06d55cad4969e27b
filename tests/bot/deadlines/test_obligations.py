"""Extensions and exemptions across the January 2026 ladder (tick against a real database, day by day),
and the commands that set them."""

from __future__ import annotations

from datetime import date

import time_machine

from bot.deadlines import office_terms
from bot.deadlines.obligations import owed_now
from bot.deadlines.ticker import roster_progress, tick
from storage import obligations as store
from storage import repo
from tests.support.factories import make_report

from .helpers import CONFIG, Recorder, fast_limiter, local, run_days

CHAT = -1001234567
JAN_10 = date(2026, 1, 10)


async def _roster(db):
    await repo.ensure_workspace(db, chat_id=CHAT, title="富阳区政府办")
    await repo.roster_add(db, chat_id=CHAT, name="杭州市富阳区财政局", kind="部门")
    await repo.roster_add(db, chat_id=CHAT, name="富阳区鹿山街道", kind="街道")
    await repo.roster_add(db, chat_id=CHAT, name="富阳区东洲街道", kind="街道")
    await repo.roster_add(db, chat_id=CHAT, name="富阳区五星街道", kind="街道")


async def _submit(db, office, short, kind, seed):
    report = make_report(seed, office=office, short_name=short, kind=kind, year=2025)
    await repo.store_report(db, chat_id=CHAT, report=report)


async def test_extension_is_named_apart_until_its_own_date_and_an_exempt_office_never(sqlite_db):
    db = sqlite_db
    await _roster(db)
    assert "已设为免报" in await office_terms.exemption_command(
        db, chat_id=CHAT, words=["五星", "2025", "已撤并"], lift=False, today=JAN_10, user_id=1)
    assert "已延期" in await office_terms.extension_command(
        db, chat_id=CHAT, text="鹿山 延期至 2月5日 报告审批中", today=JAN_10, user_id=1)
    send = Recorder()

    async def uploads(day):
        if day == date(2026, 1, 20):
            await _submit(db, "杭州市富阳区财政局", "财政局", "部门", 1)
        if day == date(2026, 1, 25):
            await _submit(db, "富阳区东洲街道", "东洲", "街道", 2)
        if day == date(2026, 2, 9):
            await _submit(db, "富阳区鹿山街道", "鹿山", "街道", 3)

    await run_days(db, send, date(2026, 1, 11), date(2026, 2, 12), hook=uploads)
    texts = {when.date(): t for when, _, t in send.sent}
    assert all("五星" not in t for t in texts.values())  # exempt: never named, not counted
    assert "未提交（2/3）：东洲、杭州市富阳区财政局" in texts[date(2026, 1, 16)]
    assert "已延期：鹿山（至2月5日）" in texts[date(2026, 1, 16)]
    # after the others filed only the extension is left: named apart, not "missing", not complete
    jan28 = texts[date(2026, 1, 28)]
    assert "未提交" not in jan28 and "已延期：鹿山（至2月5日）" in jan28 and "全部提交" not in jan28
    assert "未提交" not in texts[date(2026, 2, 5)]  # its own date: not late yet
    assert "未提交（1/3）：鹿山" in texts[date(2026, 2, 6)] and "已延期" not in texts[date(2026, 2, 6)]
    assert all("全部提交" not in t for t in texts.values())  # the overdue week was over when 鹿山 filed


async def test_roster_progress_and_owed_agree(sqlite_db):
    db = sqlite_db
    await _roster(db)
    await store.set_obligation(db, chat_id=CHAT, office_id=(await repo.resolve_office(db, name="富阳区五星街道")).id,
                               report_year=2025, kind="exemption", reason="已撤并")
    office = await repo.resolve_office(db, name="富阳区鹿山街道")
    await store.set_obligation(db, chat_id=CHAT, office_id=office.id, report_year=2025, kind="extension",
                               due=date(2026, 2, 5), reason="")
    # exempt: not counted; extended: not missing until its own date, then missing
    total, missing, errors = await roster_progress(db, chat_id=CHAT, year=2025, kinds=None, today=JAN_10)
    assert (total, sorted(e.name for e in missing), errors) == (3, ["东洲", "杭州市富阳区财政局"], [])
    total, missing, _ = await roster_progress(db, chat_id=CHAT, year=2025, kinds=None, today=date(2026, 2, 6))
    assert (total, sorted(e.name for e in missing)) == (3, ["东洲", "杭州市富阳区财政局", "鹿山"])
    assert await roster_progress(db, chat_id=CHAT, year=2025, kinds=frozenset({"区县政府"})) == (0, [], [])
    plan, rows = await owed_now(db, chat_id=CHAT, today=JAN_10)
    assert plan.report_year == 2025
    five = next(r for r in rows if r.name == "五星")
    assert five.exempt and not five.missing and five.note() == "2025年度免报（已撤并）"


async def test_bad_input_changes_nothing(sqlite_db):
    db = sqlite_db
    await _roster(db)

    async def ext(text):
        return await office_terms.extension_command(db, chat_id=CHAT, text=text, today=JAN_10, user_id=1)

    assert "不在本群应报名单上" in await ext("银湖 延期至 2月5日")
    assert "不是将来的日期" in await ext("鹿山 延期至 2026-01-05")
    assert "没有2月30日这一天" in await ext("鹿山 延期至 2月30日")
    assert "不晚于" in await ext("鹿山 延期至 1月20日")
    assert "富阳区鹿山街道 没有2025年度的延期" in await ext("鹿山 取消延期")
    assert "街道" in await ext("街道 延期至 2月5日")  # 「街道」 matches three offices: which one?
    await _submit(db, "富阳区东洲街道", "东洲", "街道", 2)

    async def exempt(*words, lift=False):
        return await office_terms.exemption_command(db, chat_id=CHAT, words=list(words), lift=lift, today=JAN_10,
                                                    user_id=1)

    assert "已提交2025年度报告" in await exempt("东洲", "2025")
    assert "年度不对" in await exempt("五星", "2099")
    assert "没有免报" in await exempt("五星", "2025", lift=True)
    assert "不在本群应报名单上" in await exempt("银湖", "2025")
    assert await store.obligations(db, chat_id=CHAT, report_year=2025) == {}
    assert not [e for e in await repo.audit_log(db, chat_id=CHAT) if e.action.startswith("obligation")]


async def test_extension_with_time_machine_clock(sqlite_db):
    """tick() reading the real clock: before the office's own date it is 「已延期」, the day after it is late."""
    db = sqlite_db
    await _roster(db)
    await office_terms.extension_command(db, chat_id=CHAT, text="鹿山 延期至 2月3日", today=JAN_10, user_id=1)
    send = Recorder()
    for day in (date(2026, 2, 2), date(2026, 2, 3), date(2026, 2, 4)):
        with time_machine.travel(local(day.year, day.month, day.day, 9, 0, 20), tick=False):
            send.now = local(day.year, day.month, day.day, 9)
            await tick(db, send, config=CONFIG, limiter=fast_limiter())
    texts = {when.date(): t for when, _, t in send.sent}
    assert "已延期：鹿山（至2月3日）" in texts[date(2026, 2, 2)] and "鹿山" not in texts[date(2026, 2, 2)].split("\n")[1]
    assert "已延期：鹿山（至2月3日）" in texts[date(2026, 2, 3)]
    assert "鹿山" in texts[date(2026, 2, 4)].split("\n")[1] and "已延期" not in texts[date(2026, 2, 4)]


def test_a_chat_deadline_whose_title_says_extension_is_not_an_office_extension():
    assert office_terms.is_extension("鹿山 延期至 2月5日 原因") and office_terms.is_extension("鹿山 取消延期")
    assert not office_terms.is_extension("1月15日 报送延期至说明")
    assert not office_terms.is_extension("2027-01-15 提交区政府办")

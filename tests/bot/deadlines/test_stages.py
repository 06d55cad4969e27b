"""Multi-stage internal deadlines (/deadline 阶段 部门 1月20日): the stage's own ladder about that kind only,
and the date every answer uses for that kind."""

from __future__ import annotations

from datetime import date

from bot.deadlines import service
from bot.deadlines.filing import due_plan
from storage import reminders as store
from storage import repo

from .helpers import CONFIG, Recorder, local, run_days

CHAT = -1001234567


async def _setup(db):
    await repo.ensure_workspace(db, chat_id=CHAT, title="富阳区政府办")
    await repo.roster_add(db, chat_id=CHAT, name="杭州市富阳区财政局", kind="部门")
    await repo.roster_add(db, chat_id=CHAT, name="富阳区鹿山街道", kind="街道")


JAN_2 = local(2026, 1, 2, 10)


async def _cmd(db, args):
    return await service.deadline_command(db, chat_id=CHAT, args=args, user_id=1, now=JAN_2, config=CONFIG)


async def test_a_stage_has_its_own_ladder_about_its_kind_only(sqlite_db):
    db = sqlite_db
    await _setup(db)
    assert "1月20日前提交" in await _cmd(db, "阶段 部门 1月20日")
    plan = await due_plan(db, chat_id=CHAT, today=date(2026, 1, 2))
    assert plan.due_for("部门") == date(2026, 1, 20) and plan.due_for("街道") == date(2026, 1, 31)
    listing = await _cmd(db, "")
    assert "[阶段] 2025年度年报报送（部门，本群内部截止）" in listing
    send = Recorder()
    await run_days(db, send, date(2026, 1, 3), date(2026, 1, 22))
    stage = [(w.date(), t) for w, _, t in send.sent if "本群内部截止" in t]
    assert [d for d, _ in stage] == [date(2026, 1, 6), date(2026, 1, 13), date(2026, 1, 16), date(2026, 1, 19),
                                     date(2026, 1, 20), date(2026, 1, 21), date(2026, 1, 22)]
    assert all("财政局" in t and "鹿山" not in t for _, t in stage)
    assert "未提交（1/1）" in stage[0][1]


async def test_stage_bad_input_and_removal(sqlite_db):
    db = sqlite_db
    await _setup(db)
    assert "要早于部门的法定截止日1月31日" in await _cmd(db, "阶段 部门 2月5日")
    assert "没有2月30日这一天" in await _cmd(db, "阶段 部门 2月30日")
    assert "用法" in await _cmd(db, "阶段 科室 1月20日")
    assert "看不懂" in await _cmd(db, "阶段 部门 下周")
    assert "没有设置阶段截止日" in await _cmd(db, "阶段")
    await _cmd(db, "阶段 部门 1月20日")
    assert "部门 1月20日" in await _cmd(db, "阶段")
    assert "已取消部门的阶段截止日" in await _cmd(db, "阶段 部门 取消")
    live = [d for d in await store.list_deadlines(db, chat_id=CHAT) if d.kind.startswith("s:")]
    assert live == []  # the stage's deadline and its reminders are cancelled
    assert "deadline_stage" in [e.action for e in await repo.audit_log(db, chat_id=CHAT)]

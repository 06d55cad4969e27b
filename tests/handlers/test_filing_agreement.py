"""/deadline, /roster, 「谁还没交」 and the reminders agree on the report year due now, by when, for whom."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.deadlines.filing import plan_for
from bot.deadlines.ladder import filing_year
from storage import repo
from tests.support.factories import make_report

GROUP, EMPTY_ROSTER = -100881, -100882
ADMIN, MEMBER = 1, 5


def today():
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


async def test_a_chat_that_moved_townships_to_march_sees_march_everywhere(start_bot):
    year = filing_year(today())
    async with start_bot(sequential=True) as h:
        tg = h.tg
        tg.group(GROUP, admins=[ADMIN])
        await tg.send_command(GROUP, "roster", "add", "青石山街道办事处、富阳区民政局", user_id=ADMIN)
        await tg.send_command(GROUP, "deadline", "街道", "3月31日", user_id=ADMIN)
        await tg.send_command(GROUP, "deadline", user_id=MEMBER)
        await tg.send_command(GROUP, "roster", user_id=MEMBER)
        await tg.send_command(GROUP, "ask", "谁还没交", user_id=MEMBER)
        texts = (await tg.wait_messages(GROUP, 5))[-3:]
    listing, roster, missing = (m["text"] for m in texts)

    january = [line for line in listing.splitlines() if "1月31日" in line and "[法定]" in line]
    march = [line for line in listing.splitlines() if "3月31日" in line and "[法定]" in line]
    assert january and march, listing
    assert all("街道" not in line for line in january), listing  # 街道 no longer listed for 1月31日
    assert all("街道/乡镇" in line for line in march), listing
    assert "街道/乡镇年报截止：3月31日" in listing

    assert f"{year}年度" in roster and f"{year}年度" in missing  # one report year in every reply
    assert "未交 青石山街道办事处（3月31日截止）" in roster, roster
    assert "未交 富阳区民政局（1月31日截止）" in roster, roster
    assert "3月31日截止" in missing and "1月31日截止" in missing, missing  # each office by its own date
    assert "名册共2个" in missing


async def test_an_empty_roster_never_says_everyone_submitted(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(EMPTY_ROSTER, admins=[ADMIN])
        year = filing_year(today())
        for seed, name in enumerate(["富阳区鹿山街道", "富阳区五星街道", "富阳区银湖街道"], start=1):
            await repo.store_report(db, chat_id=EMPTY_ROSTER, report=make_report(seed=seed, office=name, year=year))
        await tg.send_command(EMPTY_ROSTER, "ask", "谁还没交", user_id=MEMBER)
        [reply] = await tg.wait_messages(EMPTY_ROSTER, 1)
    assert "都已提交" not in reply["text"], reply["text"]
    assert "还没有应交单位名册" in reply["text"] and "已收到3个单位" in reply["text"]
    assert "/roster add" in reply["text"]


def test_the_one_rule_for_who_reports_by_when():
    default, late = plan_for(today(), "01-31", year=2025), plan_for(today(), "03-31", year=2025)
    assert default.due_for("街道").isoformat() == "2026-01-31" and late.due_for("乡镇").isoformat() == "2026-03-31"
    assert default.due_for("部门") == late.due_for("部门") == default.due_for("其他")
    assert late.due_for("区县政府").isoformat() == "2026-03-31"
    assert late.kinds_for("gov") == {"区县政府", "街道", "乡镇"}
    assert re.search(r"2025年度.*本级政府、街道/乡镇", __import__("bot.deadlines.filing", fromlist=["x"])
                     .statutory_title("gov", 2025, "03-31"))

"""A report whose year cannot be read: labelled 「年份不明」 (never 「None年」), and it can be fixed and deleted."""

from __future__ import annotations

import re

from storage import repo
from tests.handlers.conftest import GLOBAL_ADMIN, seed_files

GROUP = -100991


def without_year() -> bytes:
    text = seed_files()[1].read_text(encoding="utf-8")
    return re.sub(r"20\d\d年度?", "", text).encode()


async def test_a_report_without_a_year_is_labelled_and_can_be_deleted(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[GLOBAL_ADMIN])
        await tg.send_document(GROUP, "鹿山年报.txt", without_year(), user_id=GLOBAL_ADMIN)
        [verdict] = await tg.wait_messages(GROUP, 1, timeout=30)
        await tg.send_command(GROUP, "reports", user_id=GLOBAL_ADMIN)
        await tg.send_command(GROUP, "report", "鹿山", "年份不明", user_id=GLOBAL_ADMIN)
        await tg.send_command(GROUP, "delete", "鹿山", "年份不明", user_id=GLOBAL_ADMIN)
        texts = [m["text"] for m in await tg.wait_messages(GROUP, 4)]
        assert await repo.list_reports(db, chat_id=GROUP) == []
        await tg.send_command(GROUP, "restore", "鹿山", "年份不明", user_id=GLOBAL_ADMIN)
        texts.append((await tg.wait_messages(GROUP, 5))[-1]["text"])
        assert [r.year for r in await repo.list_reports(db, chat_id=GROUP)] == [None]
    everything = "\n".join([verdict["text"], *texts])
    assert "None" not in everything, everything
    assert "年度未识别" in verdict["text"] and "/delete 鹿山 年份不明" in verdict["text"]
    listing, shown, deleted, restored = texts[1:]
    assert "鹿山 年份不明" in listing
    assert "📄 富阳区鹿山街道 年份不明" in shown and "20XX年度" in shown
    assert "已删除 富阳区鹿山街道 年份不明报告（1 份）" in deleted and "/restore 鹿山 年份不明" in deleted
    assert "已恢复" in restored


async def test_deleting_the_yearless_report_leaves_the_dated_one(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[GLOBAL_ADMIN])
        await tg.send_document(GROUP, "鹿山年报.txt", without_year(), user_id=GLOBAL_ADMIN)
        await tg.send_document(GROUP, "鹿山2021年报.txt", seed_files()[1].read_bytes(), user_id=GLOBAL_ADMIN)
        await tg.send_command(GROUP, "delete", "鹿山", "年份不明", user_id=GLOBAL_ADMIN)
        await tg.wait_messages(GROUP, 3, timeout=30)
        assert [r.year for r in await repo.list_reports(db, chat_id=GROUP)] == [2021]

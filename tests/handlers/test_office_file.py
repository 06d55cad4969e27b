"""The bot's own workbook sent back to it gets one short reply (it was 12, one per XML member)."""

from __future__ import annotations

from tests.bot.reading.test_office_files import own_export


async def test_an_xlsx_sent_to_the_bot_is_one_short_reply(start_bot):
    async with start_bot(sequential=True) as h:
        tg = h.tg
        chat = tg.private(31)
        await tg.send_document(chat, "年报汇总_2021.xlsx", own_export(), user_id=31)
        await tg.send_command(chat, "reports", user_id=31)  # a later update: everything before it is done
        texts = [m["text"] for m in await tg.wait_messages(chat, 2, timeout=30)]
    reply, reports = texts
    assert reply.startswith("❌") and "不支持该文件类型" in reply, reply
    assert len(reply) < 120 and "还没有收到报告" in reports

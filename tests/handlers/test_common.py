"""Replies never exceed 4096 characters: split at line breaks, or attached as a file when huge."""

from __future__ import annotations

from bot.report import Finding
from handlers.common import split_text
from storage import repo
from tests.support.factories import make_report


def test_split_text_keeps_lines_and_limits():
    lines = [f"{i:04d} " + "表3有空白单元格" * 20 for i in range(300)]
    text = "\n".join(lines)
    parts = split_text(text)
    assert all(0 < len(p) <= 4096 for p in parts)
    assert "\n".join(parts) == text
    assert split_text("x" * 9000) == ["x" * 4096, "x" * 4096, "x" * 808]
    assert split_text("") == [""]


async def findings_button_press(tg, db, chat, count: int):
    report = make_report()
    report.findings = [
        Finding("T3-05", "warning", f"第{i}处：" + "表3单元格为空，无数据请填0。" * 8, f"表3 第{i}行")
        for i in range(count)
    ]
    await repo.store_report(db, chat_id=chat, report=report)
    await tg.send_command(chat, "report", "鹿山", "2021")
    [summary] = await tg.wait_messages(chat, 1)
    button = summary["reply_markup"]["inline_keyboard"][0][0]
    await tg.press(chat, summary["message_id"], button["callback_data"])


async def test_long_findings_list_is_split(harness):
    tg = harness.tg
    chat = tg.private(51)
    await findings_button_press(tg, harness.db, chat, 60)  # about 7,000 characters
    await tg.wait_for(lambda: any("第59处" in t for t in tg.texts(chat)))
    parts = tg.texts(chat)[1:]
    assert len(parts) >= 2 and all(len(p) <= 4096 for p in parts)
    assert sum(p.count("T3-05") for p in parts) == 60


async def test_huge_findings_list_is_attached_as_a_file(harness):
    tg = harness.tg
    chat = tg.private(52)
    await findings_button_press(tg, harness.db, chat, 400)
    await tg.wait_calls("sendDocument")
    document = tg.bot_messages(chat)[-1]
    content = tg.file_bytes(document).decode("utf-8")
    assert content.count("T3-05") == 400
    assert all(len(t) <= 4096 for t in tg.texts(chat))

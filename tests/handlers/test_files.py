"""Files sent in chat: every real seed in a group and in private, bad files, versions, a .zip batch."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.reading import read_path
from storage import repo
from tests.handlers.conftest import seed_files

GROUP = -100555
SEEDS = seed_files()


def expected(path):
    """Office short name and year the reader finds in a seed."""
    [result] = read_path(path)
    return result.report.office.short_name, result.report.year


@pytest.mark.parametrize("kind", ["group", "private"])
@pytest.mark.parametrize("path", SEEDS, ids=[p.name[:3] for p in SEEDS])
async def test_each_seed_gets_a_verdict_and_the_findings_button(harness, path, kind):
    tg, db = harness.tg, harness.db
    chat = tg.group(GROUP, admins=[1]) if kind == "group" else tg.private(21)
    await tg.send_document(chat, path.name, path.read_bytes(), user_id=21)
    [verdict] = await tg.wait_messages(chat, 1)
    short, year = expected(path)
    text = verdict["text"]
    assert text[0] in "✅⚠❌"
    assert short in text and str(year) in text
    assert "新收" in text and len(text) < 4096
    [stored] = await repo.list_reports(db, chat_id=chat)
    assert stored.year == year and stored.sender_id == 21
    if stored.errors + stored.warnings + stored.infos:
        button = verdict["reply_markup"]["inline_keyboard"][0][0]
        await tg.press(chat, verdict["message_id"], button["callback_data"], user_id=21)
        messages = await tg.wait_messages(chat, 2)
        findings = await repo.report_findings(db, report_id=stored.id)
        assert f"共 {len(findings)} 条" in messages[-1]["text"]
        assert all(f.code in messages[-1]["text"] for f in findings)


async def test_same_file_twice_is_stored_once_new_version_says_so(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        chat = tg.group(GROUP, admins=[1])
        data = SEEDS[1].read_bytes()
        await tg.send_document(chat, "鹿山.txt", data, user_id=1)
        await tg.send_document(chat, "鹿山-再发.txt", data, user_id=2)
        edited = data + "\n（2022年1月修订）\n".encode()
        await tg.send_document(chat, "鹿山-修订版.txt", edited, user_id=1)
        messages = await tg.wait_messages(chat, 3)
        assert "未重复保存" in messages[1]["text"]
        assert "第2版" in messages[2]["text"]
        history = await repo.list_reports(db, chat_id=chat, include_history=True)
        assert len(history) == 2 and sum(r.is_current for r in history) == 1


async def test_bad_files_get_a_short_reason(harness):
    tg = harness.tg
    chat = tg.private(22)
    await tg.send_document(chat, "坏文件.docx", b"this is not a zip at all")
    await tg.send_document(chat, "空.txt", b"")
    messages = await tg.wait_messages(chat, 2)
    for message in messages:
        assert message["text"].startswith("❌")
        assert "Traceback" not in message["text"] and len(message["text"]) < 500


async def test_unrelated_file_in_group_is_ignored_but_private_is_answered(start_bot):
    async with start_bot(sequential=True) as h:
        tg = h.tg
        chat = tg.group(GROUP, admins=[1])
        await tg.send_document(chat, "照片.jpg", b"\xff\xd8\xff\xe0 jpeg", user_id=1)
        await tg.send_command(chat, "help", user_id=1)
        await tg.wait_messages(chat, 1)
        assert len(tg.texts(chat)) == 1 and tg.calls_to("getFile") == []
        await tg.send_document(tg.private(23), "照片.jpg", b"\xff\xd8\xff\xe0 jpeg")
        [reply] = await tg.wait_messages(23, 1)
        assert reply["text"].startswith("❌")


async def test_zip_batch_one_progress_message_and_a_summary_table(harness):
    tg, db = harness.tg, harness.db
    chat = tg.group(GROUP, admins=[1])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in SEEDS:
            archive.writestr(path.name, path.read_bytes())
    await tg.send_document(chat, "全区年报.zip", buffer.getvalue(), user_id=1)
    await tg.wait_for(lambda: any("共" in t and "份" in t for t in tg.texts(chat)))
    [message] = tg.bot_messages(chat)  # ONE message, edited in place
    table = message["text"]
    assert tg.calls_to("editMessageText")
    # the head counts each kind of row, ⚠️ too: the three numbers add up to the files
    rows = table.splitlines()[1:]
    ok, warned, bad = (sum(r.startswith(mark) for r in rows) for mark in ("✅", "⚠️", "❌"))
    assert warned and ok + warned + bad == len(SEEDS)
    assert f"共 {len(SEEDS)} 份，✅ {ok} 份通过，⚠️ {warned} 份有警告，❌ {bad} 份有错误或无法读取" in table, table
    for path in SEEDS:
        short, year = expected(path)
        assert f"{short} {year}年" in table
    assert len(await repo.list_reports(db, chat_id=chat)) == len(SEEDS)


async def test_zip_batch_in_english_for_an_english_speaker(harness):
    tg = harness.tg
    chat = tg.private(88)
    tg.languages[88] = "en"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(SEEDS[1].name, SEEDS[1].read_bytes())
        archive.writestr("notes.xlsx", b"PK\x03\x04 not a report")
    await tg.send_document(chat, "reports.zip", buffer.getvalue(), user_id=88)
    await tg.wait_for(lambda: any("file(s)" in t for t in tg.texts(chat)))
    [message] = tg.bot_messages(chat)
    table = message["text"]
    assert table.startswith("📦 reports.zip: 2 file(s), ✅ 0 passed, ⚠️ 1 with warnings, ❌ 1 with errors or unreadable"), table
    short, year = expected(SEEDS[1])
    assert f"{short} {year}: 0 error(s)" in table and "❌ notes.xlsx: This file type is not supported" in table
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in table.replace(short, "")), table


async def test_file_sent_as_reply_to_the_bot_reaches_it(harness):
    tg = harness.tg
    chat = tg.group(GROUP, admins=[1])
    await tg.send_command(chat, "help", user_id=1)
    [help_message] = await tg.wait_messages(chat, 1)
    await tg.send_document(chat, SEEDS[0].name, SEEDS[0].read_bytes(), user_id=1,
                           reply_to=help_message["message_id"])
    messages = await tg.wait_messages(chat, 2)
    assert "青石山" in messages[-1]["text"]

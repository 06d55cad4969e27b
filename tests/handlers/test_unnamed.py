"""A report whose body names no office (issue 24 item 6): stored under a placeholder, never under its file
name, and its sender is asked — by buttons (the file name's suggestion, this chat's offices still
missing) or by replying with the name."""

from __future__ import annotations

from bot.reading import read_bytes
from bot.report import Value
from storage import repo
from tests.bot.reading.test_office_names import EXAMPLES, unnamed_report

GROUP = -100777


async def test_unnamed_report_is_named_by_replying(harness):
    tg, db = harness.tg, harness.db
    chat = tg.private(41)
    await tg.send_document(chat, "037.txt", unnamed_report(), user_id=41)
    verdict, question = await tg.wait_messages(chat, 2)
    assert "未注明单位（037.txt" in verdict["text"] and "2021年度" in verdict["text"]
    assert "没有写明是哪个单位" in question["text"] and "编号 R" in question["text"]
    sent = [c for c in tg.calls_to("sendMessage") if "编号 R" in c.params["text"]]
    assert sent[-1].params["reply_markup"]["force_reply"] is True  # nothing to offer: a reply prompt
    [stored] = await repo.list_reports(db, chat_id=chat)
    assert "037" != stored.office.name and stored.office.name.startswith("未注明单位")

    await tg.send_text(chat, "临安区青山湖街道", user_id=41, reply_to=question["message_id"])
    messages = await tg.wait_messages(chat, 3)
    named = messages[-1]["text"].split("\n")
    assert named[0] == "✅ 已记为“临安区青山湖街道”的2021年度报告。"
    assert "临安区青山湖街道 2021年度" in named[1]  # the verdict again, under its name
    [stored] = await repo.list_reports(db, chat_id=chat)
    assert (stored.office.name, stored.office.short_name, stored.office.kind) == ("临安区青山湖街道", "青山湖", "街道")

    await tg.send_text(chat, "青山湖收到多少申请", user_id=41)  # the name now answers questions
    messages = await tg.wait_messages(chat, 4)
    assert messages[-1]["text"].startswith("3件") and "临安区青山湖街道" in messages[-1]["text"]


async def test_unnamed_report_in_a_group_offers_the_roster_office_and_joins_it(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[1])
        await tg.send_command(GROUP, "roster", "add 富阳区鹿山街道 五星办事处", user_id=1)
        await tg.wait_messages(GROUP, 1)
        await tg.send_document(GROUP, "鹿山街道2021年报.txt", unnamed_report(), user_id=2)
        messages = await tg.wait_messages(GROUP, 3)
        question = messages[-1]
        buttons = [b["text"] for row in question["reply_markup"]["inline_keyboard"] for b in row]
        # the office the file name points to first, then the rest of the roster still missing
        assert buttons == ["富阳区鹿山街道", "五星办事处"]
        pick = question["reply_markup"]["inline_keyboard"][0][0]
        await tg.press(GROUP, question["message_id"], pick["callback_data"], user_id=2)
        edit = await tg.wait_calls("editMessageText")
        assert edit[-1].params["text"].split("\n")[0] == "✅ 已记为“富阳区鹿山街道”的2021年度报告（并入本群已有的该单位）。"
        [stored] = await repo.list_reports(db, chat_id=GROUP)
        assert stored.office.name == "富阳区鹿山街道"
        await tg.send_command(GROUP, "ask", "2021年谁还没交", user_id=2)
        messages = await tg.wait_messages(GROUP, 4)
        assert "五星办事处" in messages[-1]["text"] and "富阳区鹿山街道" not in messages[-1]["text"]
        # the button again: already named, nothing changes
        await tg.press(GROUP, question["message_id"], pick["callback_data"], user_id=2)
        await tg.wait_calls("answerCallbackQuery", 2)
        assert "已经有单位名称" in tg.calls_to("answerCallbackQuery")[-1].params["text"]


async def test_a_file_name_suggestion_is_offered_not_taken(harness):
    tg, db = harness.tg, harness.db
    chat = tg.private(43)
    await tg.send_document(chat, "青山湖街道2021年报.txt", unnamed_report(), user_id=43)
    _, question = await tg.wait_messages(chat, 2)
    [stored] = await repo.list_reports(db, chat_id=chat)
    assert stored.office.name.startswith("未注明单位")  # not named until the sender says so
    [[button]] = question["reply_markup"]["inline_keyboard"]
    assert button["text"] == "是“青山湖街道”"
    await tg.press(chat, question["message_id"], button["callback_data"], user_id=43)
    edit = await tg.wait_calls("editMessageText")
    assert edit[-1].params["text"].split("\n")[0] == "✅ 已记为“青山湖街道”的2021年度报告。"


async def test_two_unnamed_files_of_the_same_name_are_two_reports(harness):
    tg, db = harness.tg, harness.db
    chat = tg.private(42)
    await tg.send_document(chat, "001.txt", unnamed_report(), user_id=42)
    await tg.wait_messages(chat, 2)
    other = unnamed_report().replace("3件".encode(), "3件。".encode(), 1)
    await tg.send_document(chat, "001.txt", other, user_id=42)
    await tg.wait_messages(chat, 4)
    reports = await repo.list_reports(db, chat_id=chat)
    assert len(reports) == 2 and len({r.office.id for r in reports}) == 2
    assert all(r.version == 1 for r in reports)


async def test_in_private_a_name_typed_next_names_it_and_a_question_is_still_a_question(harness):
    tg, db = harness.tg, harness.db
    chat = tg.private(44)
    await tg.send_document(chat, "037.txt", unnamed_report(), user_id=44)
    await tg.wait_messages(chat, 2)
    await tg.send_text(chat, "有哪些单位", user_id=44)  # not a name: answered as a question
    messages = await tg.wait_messages(chat, 3)
    assert messages[-1]["text"].startswith("本群共1个单位")
    await tg.send_text(chat, "临安区锦城街道", user_id=44)  # typed, not a reply (as in the console)
    messages = await tg.wait_messages(chat, 4)
    assert messages[-1]["text"].startswith("✅ 已记为“临安区锦城街道”的2021年度报告。\n")
    [stored] = await repo.list_reports(db, chat_id=chat)
    assert stored.office.name == "临安区锦城街道"
    await tg.send_text(chat, "临安区锦城街道", user_id=44)  # named already: now it is a question again
    messages = await tg.wait_messages(chat, 5)
    assert "临安区锦城街道" in messages[-1]["text"] and "已记为" not in messages[-1]["text"]


def _last_year_carrying_forward(count: int):
    """富阳区鹿山街道's 2020 report: the 2021 seed a year earlier, carrying ``count`` applications forward."""
    [result] = read_bytes("鹿山2020.txt", (EXAMPLES / "001_4a81d0f783bbd2ce.txt").read_bytes())
    report = result.report
    assert report is not None and report.office.name == "富阳区鹿山街道"
    report.year = 2020
    report.source.sha256 = "2020" * 16
    report.applications["carried_forward"] = [Value(0)] * 6 + [Value(count)]
    return report


async def test_naming_runs_the_cross_year_rules_with_last_years_report(start_bot):
    """Unnamed, the 2021 report had no last year to compare with; named 富阳区鹿山街道, whose 2020 report
    here carried 4 applications forward, its 上年结转 of 0 disagrees: XY-01 appears and is stored."""
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[1])
        await repo.store_report(db, chat_id=GROUP, report=_last_year_carrying_forward(4))
        await tg.send_document(GROUP, "2021年报.txt", unnamed_report(), user_id=2)
        verdict, question = await tg.wait_messages(GROUP, 2)
        assert "XY-01" not in verdict["text"]
        [unnamed] = [r for r in await repo.list_reports(db, chat_id=GROUP) if r.year == 2021]
        before = await repo.report_findings(db, report_id=unnamed.id)
        assert not any(f.code.startswith("XY") for f in before)

        await tg.send_text(GROUP, "富阳区鹿山街道", user_id=2, reply_to=question["message_id"])
        messages = await tg.wait_messages(GROUP, 3)
        reply = messages[-1]
        lines = reply["text"].split("\n")
        assert lines[0] == "✅ 已记为“富阳区鹿山街道”的2021年度报告（并入本群已有的该单位）。"
        assert lines[1].startswith("❌ 富阳区鹿山街道 2021年度")
        assert "XY-01" in reply["text"] and "上年结转" in reply["text"]
        # stored: the same row (not a new version), its findings, verdict and counts replaced
        [named] = [r for r in await repo.list_reports(db, chat_id=GROUP) if r.year == 2021]
        assert (named.id, named.version, named.office.name) == (unnamed.id, 1, "富阳区鹿山街道")
        after = await repo.report_findings(db, report_id=named.id)
        [xy] = [f for f in after if f.code == "XY-01"]
        assert (xy.severity, xy.left, xy.right) == ("error", 0, 4)
        assert named.verdict == "有错误" and named.errors == unnamed.errors + 1
        assert (await repo.load_report(db, report_id=named.id)).office.name == "富阳区鹿山街道"
        # the button under the reply lists the new findings
        button = reply["reply_markup"]["inline_keyboard"][0][0]
        assert button["text"] == f"查看全部问题（{len(after)}）"

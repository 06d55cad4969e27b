"""The review loop end to end: the real bot, the fake Bot API, a real report file with errors (issue 21).

Upload → 「查看全部问题」 → an admin dismisses one finding (reason typed as a reply) and confirms one →
「谁还需要整改」, /summary → a corrected version arrives → 已整改; plus the bad inputs (a member, a forged
button from another chat, a reason over 500 characters, a deleted report) which change nothing.
"""

from __future__ import annotations

import re

from bot.review import ReviewState
from storage import repo, review
from tests.support.factories import make_report
from tests.support.render import render_txt

GROUP, OTHER_GROUP = -100919, -100929
ADMIN, MEMBER = 1, 5


def broken_file() -> bytes:
    """鹿山 2021 with two wrong 表3 cells: T3-01, T3-02, two T3-03 errors and a TXT-01 warning."""
    report = make_report(1)
    for row, col, delta in (("granted", 0, 5), ("new_received", 6, 2)):
        cells = report.applications[row]
        value = cells[col].value + delta
        cells[col] = type(cells[col])(value, raw=str(value))
    return render_txt(report).encode("utf-8")


def corrected_file() -> bytes:
    return render_txt(make_report(1)).encode("utf-8")


def buttons(message: dict) -> list[dict]:
    return [b for row in (message.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]


def ruling_button(message: dict, code: str, label: str) -> dict:
    """The 确认 / 不是问题 button of the first finding with ``code`` in a list message."""
    number = next(m.group(1) for m in re.finditer(r"^(\d+)\. \S+ (\S+)", message["text"], re.M) if m.group(2) == code)
    return next(b for b in buttons(message) if b["text"].lstrip("✔ ") == f"{number} {label}")


async def upload_and_open_list(tg, user_id=ADMIN, chat=GROUP):
    """Send the broken file; press 「查看全部问题」 as ``user_id``; return (verdict, list message)."""
    before = len(tg.bot_messages(chat))
    await tg.send_document(chat, "鹿山街道2021年报.txt", broken_file(), user_id=ADMIN)
    verdict = (await tg.wait_messages(chat, before + 1))[-1]
    assert verdict["text"].startswith("❌")
    see_all, notice = buttons(verdict)  # 查看全部问题 and 生成整改通知 (handlers/documents.py)
    assert notice["text"] == "生成整改通知"
    await tg.press(chat, verdict["message_id"], see_all["callback_data"], user_id=user_id)
    listed = (await tg.wait_messages(chat, before + 2))[-1]
    assert re.search(r"共 [56] 条", listed["text"])  # 6 with DL-03 (a 2021 report sent years later)
    return verdict, listed


async def dismiss_by_reply(tg, chat, listed, code, reason):
    """Press 不是问题 on ``code`` and reply to the prompt with ``reason``."""
    count = len(tg.bot_messages(chat))
    await tg.press(chat, listed["message_id"], ruling_button(listed, code, "不是问题")["callback_data"], user_id=ADMIN)
    prompt = (await tg.wait_messages(chat, count + 1))[-1]
    await tg.send_text(chat, reason, user_id=ADMIN, reply_to=prompt["message_id"])
    await tg.wait_messages(chat, count + 2)
    return tg.messages[(chat, listed["message_id"])]


async def test_the_full_review_loop(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[ADMIN])
        _, member_list = await upload_and_open_list(tg, user_id=MEMBER)
        assert not any(b["callback_data"].startswith("rv:") for b in buttons(member_list))  # members see no rulings
        [stored] = await repo.list_reports(db, chat_id=GROUP)
        late = any(f.code == "DL-03" for f in await repo.report_findings(db, report_id=stored.id))
        assert (stored.verdict, stored.errors, stored.warnings) == ("有错误", 4, 1 + late)
        office = stored.office.id
        assert await review.review_states(db, chat_id=GROUP, year=2021) == {office: ReviewState.PENDING}

        # the admin's list carries 确认 / 不是问题 for each of the 5 errors and warnings
        verdict = tg.bot_messages(GROUP)[0]
        await tg.press(GROUP, verdict["message_id"], buttons(verdict)[0]["callback_data"], user_id=ADMIN)
        listed = (await tg.wait_messages(GROUP, 3))[-1]
        assert len(buttons(listed)) == 2 * (5 + late)

        # 不是问题 on the TXT-01 warning: the bot asks for the reason; the admin replies
        dismiss = ruling_button(listed, "TXT-01", "不是问题")
        await tg.press(GROUP, listed["message_id"], dismiss["callback_data"], user_id=ADMIN)
        prompt = (await tg.wait_messages(GROUP, 4))[-1]
        assert "不是问题的理由" in prompt["text"] and "编号 R" in prompt["text"]
        assert await review.rulings_for_report(db, report_id=stored.id) == {}  # nothing until the reason comes
        await tg.send_text(GROUP, "正文写的是受理数，口径不同", user_id=ADMIN, reply_to=prompt["message_id"])
        done = (await tg.wait_messages(GROUP, 5))[-1]
        assert "已标为不是问题" in done["text"]
        listed = tg.messages[(GROUP, listed["message_id"])]  # the list message was edited in place
        assert "已由 用户1 标为不是问题：正文写的是受理数，口径不同" in listed["text"]
        assert "✔ " in ruling_button(listed, "TXT-01", "不是问题")["text"]
        [stored] = await repo.list_reports(db, chat_id=GROUP)
        assert (stored.verdict, stored.errors, stored.warnings) == ("有错误", 4, late)
        if late:  # the date warning: dismissed too (it recurs in the corrected version and is carried)
            listed = await dismiss_by_reply(tg, GROUP, listed, "DL-03", "补报往年报告")
        base = len(tg.bot_messages(GROUP)) - 5  # later counts are relative to here

        # 确认 on T3-02: recorded at once (an optional reason may follow)
        confirm = ruling_button(listed, "T3-02", "确认")
        await tg.press(GROUP, listed["message_id"], confirm["callback_data"], user_id=ADMIN)
        prompt = (await tg.wait_messages(GROUP, base + 6))[-1]
        assert "已确认" in prompt["text"] and "可不填" in prompt["text"]
        await tg.wait_for(lambda: "已由 用户1 确认" in tg.messages[(GROUP, listed["message_id"])]["text"])
        await tg.send_text(GROUP, "自然人列合计与总计不符，请改", user_id=ADMIN, reply_to=prompt["message_id"])
        await tg.wait_messages(GROUP, base + 7)
        await tg.wait_for(lambda: "确认：自然人列合计与总计不符" in tg.messages[(GROUP, listed["message_id"])]["text"])
        assert (await review.review_states(db, chat_id=GROUP, year=2021))[office] is ReviewState.MUST_FIX

        # the answers and /summary use the 整改 state; dismissed findings are not among the reasons
        await tg.send_command(GROUP, "ask", "谁还需要整改", user_id=MEMBER)
        answer = (await tg.wait_messages(GROUP, base + 8))[-1]["text"]
        assert "需整改的单位（1 个）" in answer and "富阳区鹿山街道（确认的问题 1 条）" in answer
        await tg.send_command(GROUP, "ask", "who still needs to fix", user_id=MEMBER)
        assert "1 office(s) still need to fix" in (await tg.wait_messages(GROUP, base + 9))[-1]["text"]
        await tg.send_command(GROUP, "summary", user_id=MEMBER)
        summary = (await tg.wait_messages(GROUP, base + 10))[-1]["text"]
        assert "整改：需整改 1 · 待审 0 · 已整改 0 · 通过 0" in summary and "TXT-01" not in summary

        # every ruling is in the audit log, which only admins may read
        await tg.send_command(GROUP, "audit", user_id=MEMBER)
        assert "只有本群管理员" in (await tg.wait_messages(GROUP, base + 11))[-1]["text"]
        await tg.send_command(GROUP, "audit", user_id=ADMIN)
        log = (await tg.wait_messages(GROUP, base + 12))[-1]["text"]
        assert log.count("裁定") == 3 + late and "TXT-01" in log and "不是问题" in log and "T3-02" in log

        # HOOK (docs engineer): /notice 鹿山 sends the 整改通知 .docx here, built from
        # storage.review.rulings_for_report + review_states; assert it lists T3-02 and not TXT-01.

        # the corrected version arrives: the confirmed finding is gone → 已整改
        await tg.send_document(GROUP, "鹿山街道2021年报（修改稿）.txt", corrected_file(), user_id=ADMIN)
        reply = (await tg.wait_messages(GROUP, base + 13))[-1]["text"]
        assert "第2版" in reply and "错误" not in reply.splitlines()[0]
        assert (await review.review_states(db, chat_id=GROUP, year=2021))[office] is ReviewState.FIXED
        await tg.send_command(GROUP, "ask", "谁还需要整改", user_id=MEMBER)
        answer = (await tg.wait_messages(GROUP, base + 14))[-1]["text"]
        assert "没有需要整改的单位" in answer and "已整改 1 个" in answer
        # the old list's buttons now refer to a superseded version: refused, nothing changes
        await tg.press(GROUP, listed["message_id"], ruling_button(listed, "T3-01", "确认")["callback_data"],
                       user_id=ADMIN)
        await tg.wait_for(lambda: "旧版本" in (tg.calls_to("answerCallbackQuery")[-1].params.get("text") or ""))
        assert len(await review.rulings_for_report(db, report_id=stored.id)) == 2 + late


async def test_carried_dismissal_is_said_on_upload(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[ADMIN])
        _, listed = await upload_and_open_list(tg)
        [stored] = await repo.list_reports(db, chat_id=GROUP)
        for code in ("T3-01", "T3-02", "T3-03"):  # dismiss three errors by reply (one T3-03 stays)
            listed = await dismiss_by_reply(tg, GROUP, listed, code, f"{code} 核实无误")
        [stored] = await repo.list_reports(db, chat_id=GROUP)
        late = any(f.code == "DL-03" for f in await repo.report_findings(db, report_id=stored.id))
        assert (stored.errors, stored.warnings) == (1, 1 + late)
        again = broken_file() + "\n（重新报送）\n".encode()
        await tg.send_document(GROUP, "鹿山街道2021年报-2.txt", again, user_id=ADMIN)
        reply = (await tg.wait_messages(GROUP, len(tg.bot_messages(GROUP)) + 1))[-1]["text"]
        assert "第2版" in reply and "其中3条问题上一版已标为不是问题" in reply
        [v2] = await repo.list_reports(db, chat_id=GROUP)
        assert (v2.version, v2.errors, v2.warnings) == (2, 1, 1 + late)


async def test_bad_rulings_change_nothing(start_bot):
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[ADMIN])
        tg.group(OTHER_GROUP, admins=[ADMIN])
        _, listed = await upload_and_open_list(tg)
        [stored] = await repo.list_reports(db, chat_id=GROUP)
        dismiss = ruling_button(listed, "T3-01", "不是问题")
        confirm = ruling_button(listed, "T3-01", "确认")

        # a member presses: refused with an alert, no prompt
        count = len(tg.bot_messages(GROUP))
        await tg.press(GROUP, listed["message_id"], confirm["callback_data"], user_id=MEMBER)
        await tg.wait_for(lambda: "admins only" in (tg.calls_to("answerCallbackQuery")[-1].params.get("text") or ""))

        # forged data: this chat's button data pressed in another chat (same admin), and junk
        await tg.send_command(OTHER_GROUP, "help", user_id=ADMIN)
        [other_msg] = await tg.wait_messages(OTHER_GROUP, 1)
        await tg.press(OTHER_GROUP, other_msg["message_id"], confirm["callback_data"], user_id=ADMIN)
        await tg.wait_for(lambda: "找不到这份报告" in (tg.calls_to("answerCallbackQuery")[-1].params.get("text") or ""))
        for junk in ("rv:abc:0:0123456789abcdef:c", f"rv:{stored.id}:0:0123456789abcdef:c", "rv:1:0:zz:c"):
            await tg.press(GROUP, listed["message_id"], junk, user_id=ADMIN)
        await tg.wait_for(lambda: len(tg.calls_to("answerCallbackQuery")) >= 6)
        answers = [c.params.get("text") or "" for c in tg.calls_to("answerCallbackQuery")[-3:]]
        assert "按钮已失效" in answers[0] and "已不在报告中" in answers[1] and "按钮已失效" in answers[2]

        # a reason over 500 characters: refused, and the prompt can be answered again
        await tg.press(GROUP, listed["message_id"], dismiss["callback_data"], user_id=ADMIN)
        prompt = (await tg.wait_messages(GROUP, count + 1))[-1]
        await tg.send_text(GROUP, "理" * 501, user_id=ADMIN, reply_to=prompt["message_id"])
        assert "不能超过500字" in (await tg.wait_messages(GROUP, count + 2))[-1]["text"]
        # a member answering the prompt: refused
        await tg.send_text(GROUP, "我觉得没问题", user_id=MEMBER, reply_to=prompt["message_id"])
        assert "只有本群管理员" in (await tg.wait_messages(GROUP, count + 3))[-1]["text"]
        # the report is deleted before the reason arrives
        await tg.send_command(GROUP, "delete", "鹿山", "2021", user_id=ADMIN)
        await tg.wait_messages(GROUP, count + 4)
        await tg.send_text(GROUP, "核实无误", user_id=ADMIN, reply_to=prompt["message_id"])
        assert "已被删除，未做更改" in (await tg.wait_messages(GROUP, count + 5))[-1]["text"]

        assert await review.rulings_for_report(db, report_id=stored.id) == {}
        assert not [e for e in await repo.audit_log(db, chat_id=GROUP) if e.action == "rule"]
        [history] = await repo.list_reports(db, chat_id=GROUP, include_history=True) or [None]
        assert history is None  # deleted: nothing left to count
        await tg.send_command(GROUP, "restore", "鹿山", "2021", user_id=ADMIN)
        await tg.wait_messages(GROUP, count + 6)
        [back] = await repo.list_reports(db, chat_id=GROUP)
        assert back.errors == 4 and back.warnings >= 1  # untouched by the refused rulings


async def test_long_list_opens_a_paged_ruling_view(start_bot):
    from bot.report import Finding

    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        chat = tg.private(61)
        report = make_report()
        report.findings = [Finding("T3-05", "warning", f"第{i}处空白", f"表3 第{i}行") for i in range(20)]
        stored = (await repo.store_report(db, chat_id=chat, report=report)).report
        await tg.send_command(chat, "errors", "鹿山", "2021")
        [listed] = await tg.wait_messages(chat, 1)
        assert "共 20 条" in listed["text"]
        [open_view] = buttons(listed)
        assert open_view["text"] == "逐条裁定（20 条）"
        await tg.press(chat, listed["message_id"], open_view["callback_data"])
        page = (await tg.wait_messages(chat, 2))[-1]
        assert "第1/3页" in page["text"] and len(buttons(page)) == 8 * 2 + 1
        nxt = next(b for b in buttons(page) if "下一页" in b["text"])
        await tg.press(chat, page["message_id"], nxt["callback_data"])
        await tg.wait_for(lambda: "第2/3页" in tg.messages[(chat, page["message_id"])]["text"])
        page = tg.messages[(chat, page["message_id"])]
        assert "9. ⚠️ T3-05 第8处空白" in page["text"]
        await tg.press(chat, page["message_id"], ruling_button(page, "T3-05", "确认")["callback_data"])
        await tg.wait_for(lambda: "已由" in tg.messages[(chat, page["message_id"])]["text"])
        assert "第2/3页" in tg.messages[(chat, page["message_id"])]["text"]  # stays on its page
        rulings = await review.rulings_for_report(db, report_id=stored.id)
        assert [r.decision for r in rulings.values()] == ["confirmed"]


async def test_private_chat_takes_the_next_text_as_the_reason(start_bot):
    from bot.report import Finding

    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        chat = tg.private(62)
        report = make_report()
        report.findings = [Finding("T3-05", "error", "表3有空白单元格", "表3 “予以公开·总计”")]
        stored = (await repo.store_report(db, chat_id=chat, report=report)).report
        await tg.send_command(chat, "errors", "鹿山", "2021")
        [listed] = await tg.wait_messages(chat, 1)
        await tg.press(chat, listed["message_id"], ruling_button(listed, "T3-05", "不是问题")["callback_data"])
        await tg.wait_messages(chat, 2)
        await tg.send_text(chat, "该项确无数据")  # typed, not as a reply (the console does this)
        assert "已标为不是问题" in (await tg.wait_messages(chat, 3))[-1]["text"]
        assert [r.reason for r in (await review.rulings_for_report(db, report_id=stored.id)).values()] == ["该项确无数据"]
        await tg.send_text(chat, "鹿山的报告合格吗")  # the next text is a question again
        assert (await tg.wait_messages(chat, 4))[-1]["text"].startswith("通过")

"""/notice, the 「生成整改通知」 button and /report_doc through the real bot and the fake Bot API."""

from __future__ import annotations

import io

from docx import Document

from bot.documents.pdf import pdf_available
from handlers.documents import NOTICE_PREFIX, notice_args
from storage import repo
from tests.bot.documents.conftest import rule
from tests.support.with_errors import HONGQI, lushan_fixed, lushan_with_errors

GROUP = -100888
OTHER = -100999
ADMIN, MEMBER = 1, 7


def docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def documents(tg, chat: int) -> list[dict]:
    return [m for m in tg.bot_messages(chat) if "document" in m]


async def test_upload_with_errors_button_notice_and_corrected_version(start_bot) -> None:
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[ADMIN])
        await tg.send_document(GROUP, "鹿山.txt", lushan_with_errors(), user_id=MEMBER)
        [verdict] = await tg.wait_messages(GROUP, 1)
        assert verdict["text"].startswith("❌")
        buttons = [row[0] for row in verdict["reply_markup"]["inline_keyboard"]]
        assert [b["text"] for b in buttons][1] == "生成整改通知"
        [stored] = await repo.list_reports(db, chat_id=GROUP)
        assert buttons[1]["callback_data"] == f"{NOTICE_PREFIX}{stored.id}"

        # the button: the notice of this report, sent into the chat
        await tg.press(GROUP, verdict["message_id"], buttons[1]["callback_data"], user_id=MEMBER)
        await tg.wait_calls("sendDocument")
        [sent] = documents(tg, GROUP)
        assert sent["document"]["file_name"] == "整改通知_鹿山_2021.docx"
        text = docx_text(tg.file_bytes(sent))
        assert "富阳区鹿山街道：" in text and "发现以下2个问题需要整改" in text
        assert "位置：表3 “法律服务机构”列" in text and "整改要求：" in text and "完成整改" in text
        assert "政务公开工作群" in text  # signed with the group's title

        # /notice by name gives the same document
        await tg.send_command(GROUP, "notice", "鹿山", "2021", user_id=MEMBER)
        await tg.wait_calls("sendDocument", 2)
        assert docx_text(tg.file_bytes(documents(tg, GROUP)[-1])).count("【错误】") == 2

        # the corrected version arrives: no errors, no notice button, and /notice says there is nothing to fix
        await tg.send_document(GROUP, "鹿山-修改.txt", lushan_fixed(), user_id=MEMBER)
        await tg.wait_for(lambda: any("第2版" in t for t in tg.texts(GROUP)))
        [new_verdict] = [m for m in tg.bot_messages(GROUP) if "第2版" in (m.get("text") or "")]
        keyboard = (new_verdict.get("reply_markup") or {}).get("inline_keyboard", [])
        assert all(row[0]["text"] != "生成整改通知" for row in keyboard)
        await tg.send_command(GROUP, "notice", "鹿山", user_id=MEMBER)
        await tg.wait_for(lambda: any("没有需要整改的错误" in t for t in tg.texts(GROUP)))
        # the old button now points at a replaced version: an alert, no file
        await tg.press(GROUP, verdict["message_id"], buttons[1]["callback_data"], user_id=MEMBER)
        await tg.wait_for(lambda: any("新版本" in c.params.get("text", "")
                                      for c in tg.calls_to("answerCallbackQuery")))
        assert len(documents(tg, GROUP)) == 2


async def test_report_doc_sends_the_docx_and_the_pdf(start_bot) -> None:
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[ADMIN])
        await tg.send_document(GROUP, "鹿山.txt", lushan_with_errors(), user_id=MEMBER)
        await tg.send_document(GROUP, HONGQI.name, HONGQI.read_bytes(), user_id=MEMBER)
        await repo.roster_add(db, chat_id=GROUP, name="示范区白云街道", kind="街道")
        await tg.wait_messages(GROUP, 2)
        # an admin confirms one error and dismisses the other (storage.review, as the ruling buttons do)
        await rule(db, "鹿山", "T3-01", "confirmed", chat_id=GROUP)
        await rule(db, "鹿山", "T3-03", "dismissed", "总计按口径填写", chat_id=GROUP)
        await tg.send_command(GROUP, "notice", "鹿山", user_id=MEMBER)
        await tg.wait_calls("sendDocument")
        notice = docx_text(tg.file_bytes(documents(tg, GROUP)[-1]))
        assert "发现以下1个问题需要整改（错误1个）；另有1个疑似问题经核实不是问题" in notice
        assert "“法律服务机构”列" in notice and "“本年新收”行" not in notice
        await tg.send_command(GROUP, "report_doc", "2021", user_id=MEMBER)
        expected = 3 if pdf_available() else 2
        await tg.wait_calls("sendDocument", expected, timeout=180)
        docs = documents(tg, GROUP)[1:]
        assert docs[0]["document"]["file_name"] == "年报情况通报_2021.docx"
        text = docx_text(tg.file_bytes(docs[0]))
        assert "已报送2个，未报送1个" in text and "示范区白云街道" in text
        assert "富阳区鹿山街道（需整改，错误1个" in text and "本年新收5+上年结转0=5" in text
        assert "另有1个疑似问题经核实不是问题，未列入。" in text
        assert len(Document(io.BytesIO(tg.file_bytes(docs[0]))).inline_shapes) == 3
        if pdf_available():
            assert docs[1]["document"]["file_name"] == "年报情况通报_2021.pdf"
            assert tg.file_bytes(docs[1]).startswith(b"%PDF")
        else:
            await tg.wait_for(lambda: any("LibreOffice" in t for t in tg.texts(GROUP)))


async def test_bad_arguments_and_forged_buttons_get_one_line_and_no_file(start_bot) -> None:
    async with start_bot(sequential=True) as h:
        tg, db = h.tg, h.db
        tg.group(GROUP, admins=[ADMIN])
        tg.group(OTHER, admins=[ADMIN])
        await tg.send_document(GROUP, "鹿山.txt", lushan_with_errors(), user_id=MEMBER)
        await tg.wait_messages(GROUP, 1)
        [stored] = await repo.list_reports(db, chat_id=GROUP)
        await tg.send_command(OTHER, "notice", user_id=MEMBER)
        await tg.send_command(OTHER, "notice", "鹿山", user_id=MEMBER)  # 鹿山 filed in another chat
        await tg.send_command(OTHER, "report_doc", user_id=MEMBER)
        await tg.send_command(OTHER, "report_doc", "明年", user_id=MEMBER)
        replies = await tg.wait_messages(OTHER, 4)
        texts = [m["text"] for m in replies]
        assert texts[0].startswith("用法：/notice")
        assert "本群没有单位“鹿山”" in texts[1]
        assert "本群还没有年报" in texts[2]
        assert texts[3].startswith("用法：/report_doc")
        assert all(len(t) < 200 and "\n" not in t.split("\n(")[0] for t in texts)
        # a button carrying another chat's report id
        await tg.press(OTHER, replies[0]["message_id"], f"{NOTICE_PREFIX}{stored.id}", user_id=MEMBER)
        await tg.press(OTHER, replies[0]["message_id"], f"{NOTICE_PREFIX}abc", user_id=MEMBER)
        await tg.wait_calls("answerCallbackQuery", 2)
        answers = [c.params.get("text", "") for c in tg.calls_to("answerCallbackQuery")]
        assert any("找不到这份报告" in a for a in answers) and any("失效" in a for a in answers)
        assert documents(tg, OTHER) == [] and tg.calls_to("sendDocument") == []


def test_notice_arguments_in_any_order() -> None:
    assert notice_args(["2021", "鹿山"]) == ("鹿山", 2021)
    assert notice_args(["鹿山", "街道", "2021年度"]) == ("鹿山 街道", 2021)
    assert notice_args([]) == ("", None)

"""A photo of 表3 sent to the bot: read by OCR in the worker pool and answered as that table."""

from __future__ import annotations

import pytest

from bot.reading import ocr
from storage import repo
from tests.support import scans
from tests.support.factories import make_report

pytestmark = pytest.mark.skipif(not ocr.available(), reason="rapidocr-onnxruntime is not installed")
GROUP = -100777


def table3_photo() -> bytes:
    [page] = scans.layout(make_report(3), font_px=18, only="t3")
    return scans.phone_photo(scans.png(scans.draw(page, font_px=18)), seed=7)


async def send_photo(tg, chat_id: int, data: bytes, *, user_id: int, caption: str | None = None) -> None:
    """The user sends a photo (Telegram gives sizes; the largest is last)."""
    info = tg.add_file(data, file_path_name="photo.jpg")
    size = {"file_id": info["file_id"], "file_unique_id": info["file_unique_id"], "file_size": info["file_size"],
            "width": 1300, "height": 1800}
    content = {"photo": [size]}
    if caption:
        content["caption"] = caption
    await tg.push_update({"message": tg._message(chat_id, user_id, **content)})


async def test_a_photo_of_table3_gets_its_table_checked_and_is_not_filed(start_bot, monkeypatch):
    from bot.reading import api

    monkeypatch.setattr(api, "OCR_SECONDS_PER_PAGE", 240)  # a loaded test machine
    async with start_bot(sequential=True, NIANBAO_PARSE_TIMEOUT="60") as h:
        tg = h.tg
        group = tg.group(GROUP, admins=[1])
        await send_photo(tg, GROUP, table3_photo(), user_id=1)  # a photo shared in a group: not for us
        await tg.send_command(group, "help", user_id=1)
        await tg.wait_messages(GROUP, 1)
        assert tg.calls_to("getFile") == []
        private = tg.private(31)
        await send_photo(tg, private, table3_photo(), user_id=31)
        [reply] = await tg.wait_messages(private, 1, timeout=280)
        text = reply["text"]
        head = text.splitlines()[0]
        assert head.endswith("📷 照片：表3") and not head.startswith("❌"), text  # OCR doubts are not the office's errors
        assert "这是一张表3的照片" in text and "无法核对" in text
        assert "未保存" in text
        assert await repo.list_reports(h.db, chat_id=private) == []

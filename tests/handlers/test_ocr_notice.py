"""The message sent before OCR: a scan names its pages, a text file with pictured tables says so."""

from __future__ import annotations

import asyncio

from handlers.files import ocr_notice


class _Chat:
    """Stands in for the Telegram message the notice replies to: records what is sent."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def reply_text(self, text: str) -> None:
        self.sent.append(text)


def _notify(lang: str, name: str, pages: int, pictures: bool) -> list[str]:
    chat = _Chat()
    asyncio.run(ocr_notice(chat, lang)(name, pages, pictures))  # type: ignore[arg-type]
    return chat.sent


def test_a_scan_of_several_pages_is_announced_with_its_pages():
    assert _notify("zh", "dir/扫描版.pdf", 6, False) == ["🔍 扫描版.pdf 是扫描件（6页），正在识别文字，约需18秒…"]


def test_one_photo_gets_no_notice():
    assert _notify("zh", "photo.jpg", 1, False) == []


def test_a_text_file_with_pictured_tables_is_not_called_a_scan():
    [zh] = _notify("zh", "年报.pdf", 1, True)
    assert "扫描件" not in zh and "1处表格是图片" in zh
    [en] = _notify("en", "report.pdf", 2, True)
    assert "scan" not in en and "2 table(s) are pictures" in en

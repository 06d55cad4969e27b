"""What reading hands back: one result per document, with a Chinese error instead of an exception."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.report import Report

#: The Telegram Bot API download limit (getFile); bigger files are refused with ING-03.
MAX_FILE_BYTES = 20 * 1024 * 1024


class ReadError(Exception):
    """A file that could not be read. ``code`` is a RULES.md code (ING-01/02/03), ``message`` Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[type[ReadError], tuple[str, str]]:
        """Pickle by (code, message): results cross the worker-process boundary."""
        return (type(self), (self.code, self.message))

    def to_json(self) -> dict[str, str]:
        """The CONTRACT.md ``error`` object."""
        return {"code": self.code, "message": self.message}

    @property
    def message_en(self) -> str:
        """The message in English, for users whose Telegram speaks English (Chinese if none is known)."""
        return english(self.message)


@dataclass
class ReadResult:
    """One document: a report, or the reason it could not be read."""

    filename: str
    report: Report | None
    error: ReadError | None


#: Standard messages (RULES.md §6.1), kept in one place so replies stay consistent.
MSG_CORRUPT = "无法读取该文件（加密或已损坏），请另存为Word或PDF后重新发送。"
MSG_SCANNED = "该PDF为扫描图片，无法识别文字，请提供Word原件或可复制文字的PDF。"
MSG_TOO_BIG = "文件超过20MB，机器人无法下载，请压缩后或以网页链接形式发送。"
MSG_UNSUPPORTED = "不支持该文件类型，请发送 .docx、.doc、.wps、.pdf、.html 或 .txt 文件（可打包为 .zip）。"
MSG_NOT_REPORT = "该文件看起来不是政府信息公开工作年度报告（未找到统计表或“政府信息公开”字样）。"
MSG_EMPTY = "文件是空的，请重新发送。"
MSG_ENCODING = "无法识别文本编码，请另存为UTF-8文本或Word文档后重新发送。"
MSG_TIMEOUT = "文件处理超时（可能格式异常），请另存为Word或PDF后重新发送。"
MSG_CRASH = "文件处理时出错，请另存为Word或PDF后重新发送。"
MSG_NESTED_ZIP = "压缩包内不能再套压缩包，请解压后发送。"
MSG_TOO_COMPLEX = "文件过于复杂，读取时超出内存限制，请另存为Word或PDF后重新发送。"
#: the file is fine: this machine lacks the reader (antiword) — not "damaged", say what to do instead
MSG_NO_ANTIWORD = "本机器人暂时读不了旧版 Word（.doc/.wps）文件（服务器未安装 antiword）。请另存为 .docx 或 PDF 后重新发送。"
MSG_HTML_COMPLEX = "网页结构过于复杂（标签或表格过多），请另存为Word或PDF后重新发送。"
MSG_NO_CONTENT = "文件里只有标题，没有找到统计表和正文章节，请发送完整的年度报告。"
MSG_MEMBER_FAILED = "压缩包内该文件无法解压（已损坏或压缩方式不受支持），已跳过。"
#: Pictures and scans (OCR, bot/reading/ocr.py).
MSG_NEEDS_OCR = "这是一张图片或扫描件，需要文字识别。"
#: A text PDF/.docx/OFD whose missing tables are pictures (bot/reading/mixed.py): read again with OCR.
MSG_PICTURES = "文件中的部分表格是图片，需要文字识别。"
MSG_OCR_UNAVAILABLE = "该文件是图片或扫描件，本机未安装文字识别组件，请提供Word原件或可复制文字的PDF。"
MSG_IMAGE_UNREADABLE = "无法打开这张图片，请重新拍摄或发送原文件。"
MSG_NO_TEXT = "图片中没有识别到文字，请拍清楚一些（对准表格、光线充足）后重新发送。"
#: A photo with text but no whole table (e.g. the lower half of 表3, its header on the page before).
MSG_NO_TABLE_IN_PHOTO = "照片中没有找到完整的表二、表三或表四（需拍到表头）。请把整张表拍进一张照片，或发送年报原件。"


#: English for every message above and for the ones raised with their own wording (one table, so a new
#: message without English shows up in tests/bot/reading/test_bad_inputs.py, not as Chinese to an English user).
_ENGLISH = {
    MSG_CORRUPT: "The file cannot be read (encrypted or damaged); save it again as Word or PDF and resend it.",
    MSG_SCANNED: "This PDF is a scanned image with no text; send the Word original or a PDF whose text can be copied.",
    MSG_TOO_BIG: "The file is over 20 MB, more than the bot can download; compress it or send a link to the web page.",
    MSG_UNSUPPORTED: "This file type is not supported; send .docx, .doc, .wps, .pdf, .html or .txt (or a .zip of them).",
    MSG_NOT_REPORT: "This does not look like an annual government information disclosure report (no tables, no "
                    "“政府信息公开”).",
    MSG_EMPTY: "The file is empty; please send it again.",
    MSG_ENCODING: "The text encoding is not recognised; save it as UTF-8 text or as a Word document and resend it.",
    MSG_TIMEOUT: "Reading the file took too long (its format may be unusual); save it as Word or PDF and resend it.",
    MSG_CRASH: "Reading the file failed; save it as Word or PDF and resend it.",
    MSG_NO_ANTIWORD: "This bot cannot read old Word files (.doc/.wps) right now (antiword is not installed on the "
                     "server). Save it as .docx or PDF and resend it.",
    MSG_TOO_COMPLEX: "The file is too complex: reading it went past the memory limit. Save it as Word or PDF and "
                     "resend it.",
    MSG_HTML_COMPLEX: "The web page is too complex (too many tags or tables); save it as Word or PDF and resend it.",
    MSG_NO_CONTENT: "The file holds only a title: no tables and no sections were found. Send the complete report.",
    MSG_MEMBER_FAILED: "This file in the archive cannot be unpacked (damaged or an unsupported compression); skipped.",
    "这是一张图片，无法读取表格数据，请发送Word、PDF或网页版年报。":
        "This is a picture; its tables cannot be read. Send the report as Word, PDF or a web page.",
    MSG_NEEDS_OCR: "This is a picture or a scan; its text has to be recognised (OCR).",
    MSG_PICTURES: "Some tables in the file are pictures; their text has to be recognised (OCR).",
    MSG_OCR_UNAVAILABLE: "This file is a picture or a scan and text recognition is not installed here; send the "
                         "Word original or a PDF whose text can be copied.",
    MSG_IMAGE_UNREADABLE: "The picture cannot be opened; take it again or send the original file.",
    MSG_NO_TEXT: "No text was found in the picture; take it sharper (the table filling the frame, good light) and "
                 "resend it.",
    MSG_NO_TABLE_IN_PHOTO: "No whole table 2, 3 or 4 was found in the photo (its header must show). Take the whole "
                           "table in one photo, or send the report file.",
    "压缩包内文件路径异常，已跳过。": "A file in the archive has a suspicious path; skipped.",
    "压缩包内文件已加密，请去除密码后重新发送。": "A file in the archive is encrypted; remove the password and resend it.",
    "压缩包内文件解压后超过20MB，已跳过。": "A file in the archive is over 20 MB unpacked; skipped.",
    "压缩包内文件压缩比异常（疑似压缩炸弹），已跳过。":
        "A file in the archive has an abnormal compression ratio (a zip bomb?); skipped.",
    MSG_NESTED_ZIP: "An archive inside an archive is not opened; unpack it and send the files.",
    "压缩包里没有可读取的年报文件。": "The archive holds no report file that can be read.",
    "该PDF已加密，请去除密码后重新发送。": "The PDF is encrypted; remove the password and resend it.",
    "该Word文件已加密，请去除密码后重新发送。": "The Word file is encrypted; remove the password and resend it.",
    "无法读取该Word文件，请另存为 .docx 后重新发送。": "The Word file cannot be read; save it as .docx and resend it.",
}
_ENGLISH_PATTERNS = [
    (re.compile(r"压缩包内文件过多（(\d+)个），请每次不超过50个。"),
     "The archive holds too many files ({0}); send at most 50 at a time."),
    (re.compile(r"(?:Word)?文件内文件过多（(\d+)个），已拒绝处理。"), "The file holds too many parts ({0}); refused."),
    (re.compile(r"(?:Word)?文件已加密，请去除密码后重新发送。"), "The file is encrypted; remove the password and resend it."),
    (re.compile(r"(?:Word)?文件内有重复条目，疑似损坏，已拒绝处理。"), "The file has duplicate parts and looks damaged; refused."),
    (re.compile(r"(?:Word)?文件解压后过大，已拒绝处理。"), "The file is too large once unpacked; refused."),
    (re.compile(r"(?:Word)?文件压缩比异常（疑似压缩炸弹），已拒绝处理。"),
     "The file has an abnormal compression ratio (a zip bomb?); refused."),
    (re.compile(r"找不到或无法打开文件：(.+)"), "Cannot find or open the file: {0}"),
]


def english(message: str) -> str:
    """The English of a reading message; the Chinese itself when there is none."""
    if message in _ENGLISH:
        return _ENGLISH[message]
    for pattern, text in _ENGLISH_PATTERNS:
        m = pattern.fullmatch(message)
        if m:
            return text.format(*m.groups())
    return message

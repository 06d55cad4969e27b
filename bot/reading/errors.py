"""What reading hands back: one result per document, with a Chinese error instead of an exception."""

from __future__ import annotations

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

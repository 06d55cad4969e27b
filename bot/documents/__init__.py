"""Documents built from the stored reports: the 整改通知 for one office and the 通报 for leaders (.docx, PDF).

Telegram-free. :mod:`collect` gathers one plain row per office (report, 整改 state, findings with their
rulings, contacts); :mod:`notice` and :mod:`bulletin` turn rows into .docx bytes (:mod:`style` holds the
公文 look and the CJK font settings); :mod:`pdf` converts with LibreOffice; :mod:`service` is what the chat
calls. See docs/DOCUMENTS.md.
"""

from bot.documents.service import Bulletin, NoDocument, bulletin_files, notice_file, notice_for_report

__all__ = ["Bulletin", "NoDocument", "bulletin_files", "notice_file", "notice_for_report"]

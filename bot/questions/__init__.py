"""Questions in Chinese and English about the stored reports (issue #6).

``parse_question`` turns a chat message into a typed :class:`Query` (pure, testable without a
database); ``answer`` runs it against storage and returns an :class:`Answer` — the number first, then
where it came from. See ``parse.py`` for the year-word rule and ``metrics.py`` for the vocabulary.
"""

from __future__ import annotations

from bot.questions.execute import answer, forget_offices
from bot.questions.parse import parse_question
from bot.questions.query import Answer, Query
from bot.questions.segment import warm_up

__all__ = ["Answer", "Query", "answer", "forget_offices", "parse_question", "warm_up"]

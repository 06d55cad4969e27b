"""「谁还需要整改」: the offices whose current report still has confirmed findings (issue 21).

The states come from :func:`storage.review.review_status`; the wording from :mod:`bot.review.texts`.
"""

from __future__ import annotations

from datetime import date

from bot.questions.numbers import latest_year
from bot.questions.query import Query
from bot.review.texts import who_must_fix


async def answer_rectify(db: object, chat_id: int, query: Query, today: date) -> str:
    """Offices in 需整改 (with their confirmed findings count), then how many are 待审 / 已整改 / 通过."""
    from storage import review

    year = query.year or await latest_year(db, chat_id)
    if year is None:
        return "还没有收到任何报告。" if query.lang == "zh" else "No reports have been received yet."
    return who_must_fix(await review.review_status(db, chat_id=chat_id, year=year), year, query.lang)

"""The review loop (issue 21), Telegram-free: a stable fingerprint per finding and the 整改 state of a report.

Admins rule on findings (确认 / 不是问题); :mod:`storage.review` keeps the rulings keyed by
:func:`fingerprint`, and :func:`review_state` turns an office's versions and rulings into 待审 / 需整改 /
已整改 / 通过. Both are pure so they are unit-tested without a database or Telegram.
"""

from __future__ import annotations

from bot.review.fingerprint import fingerprint, fingerprints
from bot.review.states import RULABLE, ReviewState, VersionFindings, effective_counts, review_state

__all__ = [
    "RULABLE",
    "ReviewState",
    "VersionFindings",
    "effective_counts",
    "fingerprint",
    "fingerprints",
    "review_state",
]

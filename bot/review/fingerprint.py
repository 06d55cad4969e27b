"""A stable fingerprint of a finding, so a ruling made on one version recurs on the next.

Built from what identifies *the problem*, not how it is worded:

* the rule code (``T3-05``) — rules keep their codes (RULES.md §6);
* the location (``where``: 「表3 “予以公开·总计”」, 「第391行」), NFKC-normalised with white space
  collapsed, so a full-width space or a line break does not make a new finding;
* the numbers of an arithmetic check (``left``/``right``/``delta``) as canonical decimals
  (``42`` == ``42.0``; non-numbers count as absent, as ``storage`` stores them) — a corrected sum that is
  still wrong has other numbers, so it is a new finding that needs a new ruling.

The message (Chinese or English) is left out on purpose: rewording a message must not orphan rulings.
The severity is left out too: a rule moved from warning to error keeps its ruling.

Two findings with the same key (two 「META-04 正文」 warnings) get ``#2``, ``#3``… in the order they
come; they are indistinguishable, so which of them carries which ruling does not matter, and the
fingerprints of a list do not depend on how the list is ordered otherwise.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Iterable
from typing import Any

#: Hex characters kept of the SHA-256 (64 bits: no collision among a report's few dozen findings,
#: and short enough for Telegram's 64-byte callback data).
LENGTH = 16


def _number(value: Any) -> str:
    """Canonical text of a number: ``42``, ``-3``, ``0.5``; ``""`` for none or a non-number."""
    if value is None or isinstance(value, bool):
        return ""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return ""
    if math.isnan(x) or math.isinf(x):
        return ""
    if x.is_integer():
        return str(int(x))
    return f"{x:.9g}"


def _where(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def key(finding: Any) -> str:
    """The readable identity a fingerprint hashes: ``code|where|left|right|delta``."""
    return "|".join([
        (getattr(finding, "code", "") or "").strip().upper(),
        _where(getattr(finding, "where", "") or ""),
        _number(getattr(finding, "left", None)),
        _number(getattr(finding, "right", None)),
        _number(getattr(finding, "delta", None)),
    ])


def fingerprint(finding: Any, occurrence: int = 1) -> str:
    """The fingerprint of one finding (any object with code/where/left/right/delta)."""
    text = key(finding) if occurrence <= 1 else f"{key(finding)}#{occurrence}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:LENGTH]


def fingerprints(findings: Iterable[Any]) -> list[str]:
    """Fingerprints of a report's findings, in the same order; equal keys are numbered #2, #3…."""
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        k = key(finding)
        seen[k] = seen.get(k, 0) + 1
        out.append(fingerprint(finding, seen[k]))
    return out


def without(findings: Iterable[Any], dismissed: set[str] | frozenset[str]) -> list[Any]:
    """``findings`` minus those whose fingerprint is in ``dismissed`` (ruled 不是问题), order kept."""
    found = list(findings)
    return [f for f, fp in zip(found, fingerprints(found), strict=True) if fp not in dismissed]

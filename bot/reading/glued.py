"""Split runs of glued digits into cells using the table identities (FORMAT.md §1.6).

Page text such as Pingtan's prints 「270020130」 for the seven cells 27/0/0/2/0/1/30. Existing spaces
are kept as hard boundaries; every part is a number without a leading zero; a split is kept only when
the identity of its row (A3: six columns add up to 总计) or block (A4) holds. Several rows are then
resolved together with A1/A2 by :func:`resolve_t3`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

MAX_PART_DIGITS = 7
MAX_COMBINATIONS = 50_000


def _splits(token: str, parts: int) -> Iterator[list[int]]:
    if parts == 1:
        if len(token) <= MAX_PART_DIGITS and (token == "0" or not token.startswith("0")):
            yield [int(token)]
        return
    for i in range(1, min(len(token) - parts + 1, MAX_PART_DIGITS) + 1):
        head = token[:i]
        if head != "0" and head.startswith("0"):
            break
        for rest in _splits(token[i:], parts - 1):
            yield [int(head), *rest]


def splits(tokens: list[str], total: int) -> Iterator[list[int]]:
    """Every way to cut digit ``tokens`` into ``total`` numbers, keeping token boundaries."""
    if not tokens:
        if total == 0:
            yield []
        return
    first, rest = tokens[0], tokens[1:]
    for k in range(1, min(len(first), total - len(rest)) + 1):
        for head in _splits(first, k):
            for tail in splits(rest, total - k):
                yield head + tail


def t3_row_candidates(tokens: list[str]) -> list[list[int]]:
    """Splits of a 表3 row into 7 numbers where the six columns add up to 总计 (A3)."""
    return [c for c in splits(tokens, 7) if sum(c[:6]) == c[6]]


def t4_candidates(tokens: list[str]) -> list[list[int]]:
    """Splits of 表4 into 15 numbers where each block's four results add up to its 总计 (A4)."""
    out = []
    for c in splits(tokens, 15):
        if all(sum(c[b : b + 4]) == c[b + 4] for b in (0, 5, 10)):
            out.append(c)
            if len(out) > 50:
                break
    return out


def resolve(
    candidates: dict[str, list[list[int]]],
    check: Callable[[dict[str, list[int]]], bool],
) -> dict[str, list[int] | None]:
    """Choose one split per row so that ``check`` (the A1/A2 identities) holds.

    A row gets ``None`` when the surviving combinations disagree on it (no unique split).
    """
    result: dict[str, list[int] | None] = {k: (c[0] if len(c) == 1 else None) for k, c in candidates.items()}
    fixed = {k: v for k, v in result.items() if v is not None}
    keys = [k for k, c in candidates.items() if len(c) > 1]
    sizes = 1
    for k in keys:
        sizes *= len(candidates[k])
    if not keys or sizes > MAX_COMBINATIONS:
        return result
    good: list[tuple[list[int], ...]] = []
    for combo in itertools.product(*(candidates[k] for k in keys)):
        if check({**fixed, **dict(zip(keys, combo, strict=True))}):
            good.append(combo)
    for i, k in enumerate(keys):
        options = {tuple(g[i]) for g in good}
        if len(options) == 1:
            result[k] = list(options.pop())
    return result

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
MAX_NODES = 200_000


class _Budget:
    """Caps the search so a hostile run of digits cannot stall the worker."""

    def __init__(self, nodes: int = MAX_NODES) -> None:
        self.left = nodes

    def spend(self) -> bool:
        self.left -= 1
        return self.left >= 0


def splits(
    tokens: list[str],
    total: int,
    prefix_ok: Callable[[list[int]], bool] = lambda _p: True,
    budget: _Budget | None = None,
) -> Iterator[list[int]]:
    """Every way to cut digit ``tokens`` into ``total`` numbers, keeping token boundaries.

    ``prefix_ok`` prunes partial splits early (the identities); the search stops after a node budget."""
    budget = budget or _Budget()
    text = "".join(tokens)
    bounds = set()
    pos = 0
    for t in tokens:
        pos += len(t)
        bounds.add(pos)
    n = len(text)
    if n < total or n > total * MAX_PART_DIGITS:
        return

    def walk(start: int, parts: list[int]) -> Iterator[list[int]]:
        if not budget.spend():
            return
        left = total - len(parts)
        if left == 0:
            if start == n:
                yield list(parts)
            return
        for end in range(start + 1, min(n, start + MAX_PART_DIGITS) + 1):
            rest = n - end
            if rest < left - 1 or rest > (left - 1) * MAX_PART_DIGITS:
                continue
            if any(start < b < end for b in bounds):
                break  # a space in the source is a hard cell boundary
            piece = text[start:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            parts.append(int(piece))
            if prefix_ok(parts):
                yield from walk(end, parts)
            parts.pop()
            if left == 1:
                break

    yield from walk(0, [])


def t3_row_candidates(tokens: list[str]) -> list[list[int]]:
    """Splits of a 表3 row into 7 numbers where the six columns add up to 总计 (A3)."""
    ok = lambda p: len(p) < 7 or sum(p[:6]) == p[6]  # noqa: E731
    return list(itertools.islice(splits(tokens, 7, ok), 200))


def t4_candidates(tokens: list[str]) -> list[list[int]]:
    """Splits of 表4 into 15 numbers where each block's four results add up to its 总计 (A4)."""

    def ok(p: list[int]) -> bool:
        k = len(p)
        return k % 5 != 0 or sum(p[k - 5 : k - 1]) == p[k - 1]

    return list(itertools.islice(splits(tokens, 15, ok), 50))


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

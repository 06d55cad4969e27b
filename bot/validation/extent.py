"""Where the document stops: a file that ends part-way is not a report that lacks its last parts.

Offices and web pages hand on files cut short (a page saved before it finished loading, a PDF export
of the first pages, an excerpt). When every section after some point is missing and the document
simply ends there, the honest finding is "the file ends at X; is this the whole report?" (a warning),
not "sections 四、五、六 are missing" (an error) nor blank or short cells for the one table row the cut
went through. A section missing *between* present ones is still STR-01's error.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.schema import SECTIONS


@dataclass(frozen=True)
class CutOff:
    """The document ends in section ``last`` (index into SECTIONS); ``trailing`` are the sections after
    it that do not appear; ``t3_row`` is the last 表3 row read when the cut went through 表3."""

    last: int
    trailing: tuple[int, ...]
    t3_row: str | None = None


def cut_off(ctx) -> CutOff | None:  # noqa: ANN001 (engine.Context; imported lazily to avoid a cycle)
    """The cut, or ``None`` when the document reaches its last section (or shows no sections at all)."""
    from bot.validation.structure import present_sections

    present = [SECTIONS.index(s) for s in present_sections(ctx) if s in SECTIONS]
    if not present:
        return None
    last = max(present)
    trailing = tuple(range(last + 1, len(SECTIONS)))
    if not trailing:
        return None
    t3_row = None
    apps = ctx.report.applications
    if last == 2 and apps:
        read = [k for k in ctx.row_keys if k in apps]
        if read and read[-1] != "carried_forward":
            t3_row = read[-1]
    return CutOff(last, trailing, t3_row)

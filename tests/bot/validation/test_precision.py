"""Every error- and warning-level finding on every real report we hold has been read and judged.

The harness (precision.py) runs every rule over the corpus, the seeds and their saved-page variants. A
finding that is not in reviewed_findings.json fails this test: read the report, judge the finding real
or false, and add it (``python -m tests.bot.validation.precision --json`` prints the entries). A false
error-level finding is never accepted; false warnings are counted (docs/RULES_STATUS.md shows them).
"""

from __future__ import annotations

import pytest

from tests.bot.validation import precision

pytest.importorskip("bot.reading")

#: False warnings accepted on the real set (each one is listed, with its cause, in RULES_STATUS.md).
MAX_FALSE_WARNINGS = 0


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return precision.findings()


def test_every_finding_on_a_real_report_was_reviewed(rows: list[dict[str, str]]) -> None:
    judged = precision.reviewed()
    new = [f"{r['key']}: {r['message']}" for r in rows if r["key"] not in judged]
    assert not new, "findings nobody has reviewed (judge them in reviewed_findings.json):\n" + "\n".join(new)


def test_no_false_error_on_a_real_report(rows: list[dict[str, str]]) -> None:
    judged = precision.reviewed()
    false_errors = [r["key"] for r in rows if r["severity"] == "error" and judged.get(r["key"], {}).get("judgement") == "false"]
    assert not false_errors


def test_false_warnings_are_counted_and_few(rows: list[dict[str, str]]) -> None:
    judged = precision.reviewed()
    false = [r["key"] for r in rows if r["severity"] == "warning" and judged.get(r["key"], {}).get("judgement") == "false"]
    assert len(false) <= MAX_FALSE_WARNINGS, false


def test_the_review_list_is_well_formed() -> None:
    for key, entry in precision.reviewed().items():
        assert entry["judgement"] in ("real", "false"), key
        assert entry["why"].strip(), key


def plain_name(page: str) -> str:
    """「page/seed-000.txt」 → 「seed/000」, 「page/full-003.txt」 → 「full/003.txt」."""
    name = page.removeprefix("page/")
    if name.startswith("seed-"):
        return "seed/" + name.removeprefix("seed-").removesuffix(".txt")
    return "full/" + name.removeprefix("full-")


def test_saved_page_variants_find_what_the_plain_report_finds() -> None:
    """The page furniture around a report adds and removes nothing, info included (META-05 on an
    attachment's file name, prose numbers in a footer …)."""
    found: dict[str, set[tuple[str, str]]] = {}
    for r in precision.findings(("error", "warning", "info")):
        found.setdefault(r["file"], set()).add((r["code"], r["severity"]))
    pages = [s.name for s in precision.samples() if s.name.startswith("page/")]
    assert len(pages) >= 12
    for page in pages:
        assert found.get(page, set()) == found.get(plain_name(page), set()), page

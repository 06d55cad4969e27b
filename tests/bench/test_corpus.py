"""The benchmark corpus generator: correct reports really are correct, injected errors really break them."""

from __future__ import annotations

import random

import pytest

from bench.corpus import (
    INJECTIONS,
    Generated,
    broken_identities,
    generate,
    generate_report,
    inject,
    office_name,
    prose_mismatches,
    write_corpus,
)
from bot.schema import T3_COLUMNS, t3_row_keys


def test_generated_reports_satisfy_every_identity_with_many_nonzero_cells() -> None:
    for seed in range(60):
        report = generate_report(seed)
        assert broken_identities(report) == [], seed
        assert prose_mismatches(report) == [], seed
        assert list(report.applications) == list(t3_row_keys("2021"))
        assert all(len(row) == len(T3_COLUMNS) for row in report.applications.values())
        nonzero = [v for *_, v in report.cells() if v.value]
        assert len(nonzero) >= 40, (seed, len(nonzero))
        assert all(v.value >= 0 for *_, v in report.cells())
        assert report.title.startswith(report.office.name)


def test_office_names_are_distinct_and_follow_real_patterns() -> None:
    offices = [office_name(i) for i in range(12_000)]
    assert len({o.name for o in offices}) == len(offices)
    for o in offices:
        assert o.short_name in o.name
        assert o.kind in ("街道", "乡镇")
        if o.kind == "街道":
            assert o.name.endswith(("街道", "街道办事处"))
        else:
            assert o.name.endswith(("镇", "乡", "镇人民政府", "乡人民政府"))
    assert office_name(0).name == "富阳区鹿山街道"
    suffixes = {o.name[-5:] for o in offices[:50]}
    assert {"街道办事处", "镇人民政府", "乡人民政府"} <= suffixes


@pytest.mark.parametrize("kind", sorted(INJECTIONS))
def test_each_injected_error_breaks_exactly_what_its_expected_findings_say(kind: str) -> None:
    for seed in range(15):
        report = generate_report(seed)
        expected = inject(report, kind, random.Random(seed))
        codes = sorted(e["code"] for e in expected)
        arithmetic = sorted(code for code, _ in broken_identities(report))
        prose = sorted(code for code, _ in prose_mismatches(report))
        if kind.startswith("t3_"):
            assert arithmetic == codes, (kind, seed)
            assert prose == []
        elif kind == "t4_total":
            assert arithmetic == ["T4-01"] and prose == ["TXT-05"] and codes == ["T4-01", "TXT-05"]
        elif kind == "blank_cell":
            assert codes == ["T3-05"]
            assert arithmetic == []
            blank = [(t, r, c) for t, r, c, v in report.cells() if v.value is None]
            assert [(e["table"], e["row"], e["col"]) for e in expected] == blank
        elif kind == "prose_received":
            assert codes == prose == ["TXT-01"]
            assert f"收到政府信息公开申请{report.t3('new_received')}件" not in report.text
        elif kind == "placeholder":
            assert codes == ["META-07"] and "XX街道" in report.text
        assert all(e["severity"] in ("error", "warning") and e["where"] for e in expected)


def test_generate_injects_every_kind_at_the_requested_rate() -> None:
    gens = generate(140, seed=3, error_rate=0.5)
    injected = [g for g in gens if g.injected]
    assert 40 <= len(injected) <= 100
    assert {g.injected[0] for g in injected} == set(INJECTIONS)
    assert all(not g.expected for g in gens if not g.injected)
    assert len({g.report.office.name for g in gens}) == 140



def _one_of_each(seed: int = 9) -> list[Generated]:
    """One clean report and one report per injected kind."""
    gens = [Generated(generate_report(seed))]
    for i, kind in enumerate(sorted(INJECTIONS), start=1):
        report = generate_report(seed + i, office_index=i)
        gens.append(Generated(report, [kind], inject(report, kind, random.Random(i))))
    return gens


@pytest.mark.parametrize("file_kind", ["txt-cells", "docx"])
def test_written_corpus_reads_back_and_validates_as_its_manifest_says(tmp_path, file_kind: str) -> None:
    import json

    from bot.reading import read_path
    from bot.validation import validate

    manifest = write_corpus(tmp_path, _one_of_each(), [file_kind])
    assert json.loads((tmp_path / "manifest.json").read_text("utf-8")) == manifest
    assert len(manifest["files"]) == 1 + len(INJECTIONS)
    misses = []
    for entry in manifest["files"]:
        results = read_path(tmp_path / entry["file"])
        assert len(results) == 1 and results[0].report is not None, entry["file"]
        report = results[0].report
        assert report.year == entry["year"] and entry["short_name"] in report.office.name
        found = {f.code for f in validate(report)}
        want = {e["code"] for e in entry["expected_findings"]}
        if not want <= found:
            misses.append((entry["injected"], sorted(want - found), sorted(found)))
        if not entry["injected"]:
            assert not [f for f in report.findings if f.severity == "error"], report.findings
    assert misses == []

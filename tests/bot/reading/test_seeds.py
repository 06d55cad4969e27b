"""The five real seed reports parse to exactly the values printed in them (expected values typed by hand)."""

from __future__ import annotations

import pytest

from bot.schema import SECTIONS, T3_ROW_KEYS_2021

ZERO7 = [0, 0, 0, 0, 0, 0, 0]
ZERO_T2 = {
    "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
    "normative_documents": {"issued": 0, "repealed": 0, "in_force": 0},
    "licensing": 0,
    "penalty": 0,
    "enforcement": 0,
    "fees_10k_yuan": 0,
}
ZERO_T4 = {b: dict.fromkeys(("upheld", "corrected", "other", "pending", "total"), 0)
           for b in ("review", "litigation_direct", "litigation_after_review")}

OFFICES = {
    "000": ("青石山街道办事处", "青石山", "街道"),
    "001": ("富阳区鹿山街道", "鹿山", "街道"),
    "002": ("道外区水泥路街道办事处", "水泥路", "街道"),
    "003": ("五星办事处", "五星", "街道"),
    "004": ("铁岭市银州区红旗街", "红旗", "街道"),
}


@pytest.mark.parametrize("seed", sorted(OFFICES))
def test_office_year_format_sections(seeds, seed):
    r = seeds[seed]
    assert (r.office.name, r.office.short_name, r.office.kind) == OFFICES[seed]
    assert r.year == 2021
    assert r.format == "2021"
    assert "本年制发件数" in r.format_evidence
    assert r.sections == list(SECTIONS)
    assert r.to_json()["proactive"] == ZERO_T2
    assert r.to_json()["appeals"] == ZERO_T4
    assert list(r.applications) == list(T3_ROW_KEYS_2021)
    assert not [f for f in r.ingest_findings if f.severity == "error"]


def test_seed_000_blank_rows_are_null_not_zero(seeds):
    rows = seeds["000"].to_json()["applications"]["rows"]
    blank = ["granted", "partial", "deny_state_secret", "deny_law", "deny_3s1w", "deny_third_party"]
    for key in blank:
        assert rows[key] == [None] * 7, key
        assert all(v.raw == "" for v in seeds["000"].applications[key])
    for key in T3_ROW_KEYS_2021:
        if key not in blank:
            assert rows[key] == ZERO7, key
    assert any(f.code == "FMT-05" for f in seeds["000"].ingest_findings)  # 保留4位小数


def test_seed_001_lushan_three_applications_from_legal_services(seeds):
    r = seeds["001"]
    rows = r.to_json()["applications"]["rows"]
    three = [0, 0, 0, 0, 3, 0, 3]
    assert rows["new_received"] == three
    assert rows["granted"] == three
    assert rows["total_processed"] == three
    for key in T3_ROW_KEYS_2021:
        if key not in ("new_received", "granted", "total_processed"):
            assert rows[key] == ZERO7, key
    assert r.t3("new_received", "legal_services") == 3
    assert r.applications["granted"][4].where.startswith("表3 （一）予以公开·法律服务机构")
    # Arabic numerals 「5、」「6、」 are still headings of sections 五 and 六
    assert [h.numeral for h in r.headings][-2:] == ["5", "6"]
    assert any(f.code == "ING-06" for f in r.ingest_findings)  # [bookmark: _GoBack] removed
    assert "[bookmark" not in r.text


@pytest.mark.parametrize("seed", ["002", "003", "004"])
def test_all_zero_seeds(seeds, seed):
    rows = seeds[seed].to_json()["applications"]["rows"]
    assert all(v == ZERO7 for v in rows.values())


def test_seed_004_shifted_row_aligned_by_label(seeds):
    r = seeds["004"]
    assert [v.value for v in r.applications["deny_internal"]] == ZERO7
    assert r.applications["deny_internal"][0].where.endswith("(第48行)")
    assert r.title.startswith("政府信息公开工作年度报告")


def test_seed_002_split_header_words_and_padded_numbers(seeds):
    r = seeds["002"]
    assert r.applications["new_received"][0].raw == "0"
    assert r.appeals["review"]["corrected"].value == 0


def test_prose_numbers(seeds):
    kinds = {p.kind for p in seeds["002"].prose}
    assert "none_received" in kinds
    lushan = seeds["001"].prose
    assert any(p.kind == "processed" and p.value == 3 for p in lushan)
    assert not any(p.kind == "processed" and p.value == 4 for p in lushan)  # 人大建议的答复4件 is not an application

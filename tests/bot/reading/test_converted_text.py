"""Text converted from PDFs (issue 17): every layout read exactly, and a reading gap never shown as the office's error.

The layouts come from tests/support/messy.py (header words one per line or one character per line, wrapped
labels with their numbers after or before them, a space inside a word, 表4 as a bare line of 15 numbers,
page footers and a row split by a page break, 「3、其他」, misprinted labels, the older single-row 「（六）其他
处理」, markdown with labels and numbers in rows of their own, glued digits under a misprinted heading).
"""

from __future__ import annotations

import pytest

from bot.reading import read_bytes
from bot.report import Report
from bot.validation import summarize, validate
from tests.support.factories import make_report
from tests.support.messy import VARIANTS, cell_accuracy, render_markdown, render_messy

SEEDS = range(1, 7)
BLANK_RULES = {"T2-01", "T3-05", "T4-02"}
ARITHMETIC = {"T3-01", "T3-02", "T3-03", "T4-01"}


def _read(text: str) -> Report:
    (result,) = read_bytes("converted.txt", text.encode("utf-8"))
    assert result.error is None, result.error.message
    return result.report


@pytest.mark.parametrize("variant", [*VARIANTS, "markdown"])
def test_every_layout_reads_every_cell(variant):
    right = total = 0
    wrong: list[str] = []
    for seed in SEEDS:
        truth = make_report(seed)
        text = render_markdown(truth, seed) if variant == "markdown" else render_messy(truth, variant, seed)
        r, t, w = cell_accuracy(truth, _read(text))
        right, total, wrong = right + r, total + t, wrong + w
    assert right / total >= 0.995, wrong[:10]


@pytest.mark.parametrize("variant", ["header-words", "wrapped-after", "wrapped-before", "everything"])
def test_older_single_other_row_beside_the_three_row_one(variant):
    # a report keeping the 2019 template's single 「（六）其他处理」 row: read as other_other, never shifted
    truth = make_report(5, fmt="2019", year=2021)
    got = _read(render_messy(truth, variant, 5))
    assert [v.value for v in got.applications["other_other"]] == [v.value for v in truth.applications["other_other"]]
    assert [v.value for v in got.applications["total_processed"]] == [
        v.value for v in truth.applications["total_processed"]
    ]


@pytest.mark.parametrize("variant", ["everything", "before-pages-misprints", "markdown", "glued-typo-heading"])
def test_a_filled_correct_report_gets_no_blank_or_arithmetic_finding(variant):
    for seed in SEEDS:
        truth = make_report(seed)
        text = render_markdown(truth, seed) if variant == "markdown" else render_messy(truth, variant, seed)
        report = _read(text)
        codes = {f.code for f in validate(report)}
        assert not codes & (BLANK_RULES | ARITHMETIC), (seed, codes)
        assert not [f for f in report.findings if f.severity == "error"], seed


@pytest.mark.parametrize("variant", ["wrapped-after", "wrapped-before", "misprints-wrapped", "markdown"])
def test_a_real_error_in_converted_text_is_still_found(variant):
    truth = make_report(1)
    total = truth.applications["new_received"][6].value
    text = render_markdown(truth, 1) if variant == "markdown" else render_messy(truth, variant, 1)
    typo = text.replace(f" {total}\n", f" {total + 1}\n").replace(f"| {total} |", f"| {total + 1} |")
    assert typo != text
    report = _read(typo)
    found = validate(report)
    assert any(f.code == "T3-03" and f.severity == "error" for f in found), summarize(report)
    assert not any(f.code in ("ING-08", "ING-09") for f in found)  # the reading itself is sure


def test_blanks_the_document_shows_stay_blank_and_are_reported():
    for seed in SEEDS:
        truth = make_report(seed)
        report = _read(render_markdown(truth, seed, blanks=0.05))
        found = {f.code for f in validate(report)}
        blanks = [v for _, _, _, v in report.cells() if v.value is None]
        assert blanks and all(v.doubt == "" for v in blanks)  # positively seen empty: a blank, not a gap
        assert "T3-05" in found and "ING-08" not in found


def _lose_numbers(text: str, label: str, keep: int) -> str:
    """The line after ``label`` keeps only ``keep`` of its numbers (a converter dropped the rest)."""
    lines = text.split("\n")
    i = next(n for n, ln in enumerate(lines) if ln.startswith(label))
    lines[i + 1] = " ".join(lines[i + 1].split()[:keep])
    return "\n".join(lines)


def test_cells_the_reader_lost_are_unread_not_blank():
    truth = make_report(2)
    report = _read(_lose_numbers(render_messy(truth, "wrapped-after", 2), "（一）予以公开", 5))
    granted = report.applications["granted"]
    assert all(v.value is None and v.doubt == "unread" for v in granted)
    found = validate(report)
    codes = {f.code for f in found}
    assert not codes & (BLANK_RULES | ARITHMETIC) and "ING-04" not in codes, codes
    gap = [f for f in found if f.code == "ING-08"]
    assert gap and gap[0].severity == "warning" and "予以公开" in gap[0].message and ".docx" in gap[0].message
    assert report.verdict == "有警告"
    # the rest of the table is still read and checked
    assert [v.value for v in report.applications["partial"]] == [v.value for v in truth.applications["partial"]]


def test_a_table_seen_but_not_read_says_so():
    truth = make_report(3)
    text = render_messy(truth, "header-words", 3)
    numbers = " ".join(str(truth.appeals[b][c].value) for b in truth.appeals for c in truth.appeals[b])
    assert numbers[:9] in text
    lines = [ln for ln in text.split("\n") if not (ln and ln[0].isdigit() and ln.count(" ") >= 4 and len(ln) < 40)]
    report = _read("\n".join(lines))
    assert report.appeals is None
    found = validate(report)
    gap = [f for f in found if f.code == "ING-08" and f.where == "表4"]
    assert gap and "表头" in gap[0].message and gap[0].severity == "warning"
    assert not {f.code for f in found} & {"T4-02", "T4-01"}


def _markdown(truth: Report, lost_labels: tuple[str, ...], lost_numbers: tuple[str, ...]) -> str:
    """表3 as markdown, labels and numbers in rows of their own, with some labels and numbers rows lost."""
    from bot.schema import T3_ROW_LABELS

    out = [truth.title, "三、收到和处理政府信息公开申请情况",
           "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |", "|---|---|---|---|---|---|---|---|"]
    for key, values in truth.applications.items():
        if key not in lost_labels:
            out.append(f"| {T3_ROW_LABELS[key]} | | | | | | | |")
        if key not in lost_numbers:
            out.append("| | " + " | ".join(str(v.value) for v in values) + " |")
    out += ["四、政府信息公开行政复议、行政诉讼情况", "（略）", "五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无。"]
    return "\n".join(out) + "\n"


def test_a_lost_label_is_placed_by_order_and_a_lost_number_row_is_unread():
    truth = make_report(4)
    report = _read(_markdown(truth, ("carried_over",), ("granted",)))
    assert [v.value for v in report.applications["carried_over"]] == [v.value for v in truth.applications["carried_over"]]
    assert all(v.doubt == "unread" for v in report.applications["granted"])
    assert {f.code for f in validate(report)} & {"ING-08", *BLANK_RULES, *ARITHMETIC} == {"ING-08"}


def test_numbers_without_a_label_are_placed_by_order_and_identities():
    # 上年结转 lost entirely and 予以公开's label lost: by order alone 予以公开's numbers would take the 上年结转
    # place and A1 would fail; the identities put them where they hold
    truth = make_report(4)
    report = _read(_markdown(truth, ("carried_over", "granted"), ("carried_over",)))
    assert [v.value for v in report.applications["granted"]] == [v.value for v in truth.applications["granted"]]
    assert "carried_over" not in report.applications and report.missing_rows
    assert not {f.code for f in validate(report)} & ARITHMETIC, summarize(report)


def test_a_broken_identity_on_a_row_placed_by_order_is_uncertain_not_an_error():
    # 上年结转's label lost: its numbers stand there only by order. They add up across the row, yet A1
    # fails — the row may be misplaced — so the verdict says the reading is uncertain, naming the cells,
    # instead of an arithmetic error against the office
    truth = make_report(4)
    values = truth.applications["carried_over"]
    values[0].value += 10
    values[6].value += 10
    report = _read(_markdown(truth, ("carried_over",), ()))
    found = validate(report)
    codes = {f.code for f in found}
    assert not codes & {"T3-01", "T3-02"}, summarize(report)
    unsure = [f for f in found if f.code == "ING-09"]
    assert unsure and "识别不确定" in unsure[0].message and "上年结转" in unsure[0].message, summarize(report)
    assert unsure[0].severity == "warning"
    assert "识别不确定" in summarize(report, limit=3)


def test_doubts_round_trip_through_json_and_keep_the_verdict():
    truth = make_report(2)
    report = _read(_lose_numbers(render_messy(truth, "wrapped-after", 2), "（一）予以公开", 5))
    validate(report)
    back = Report.from_json(report.to_json(detail=True))
    assert [v.doubt for v in back.applications["granted"]] == ["unread"] * 7
    assert back.to_json(detail=True)["detail"]["doubts"] == report.to_json(detail=True)["detail"]["doubts"]
    again = validate(back)
    assert {f.code for f in again} == {f.code for f in report.findings}
    assert not {f.code for f in again} & BLANK_RULES
    # the public JSON (CONTRACT.md) is unchanged: an unread cell is null like any cell without a number
    assert report.to_json()["applications"]["rows"]["granted"] == [None] * 7 and "doubts" not in report.to_json()


def test_t4_short_of_numbers_in_spaced_text_is_a_reading_gap():
    # 「3 2 1 0 6 …」 with one number lost: in space-separated text a blank cell leaves no trace, so the
    # table is unread (warning asking for the .docx), never blanks nor an error against the office
    truth = make_report(6)
    text = render_messy(truth, "t4-bare", 6)
    line = next(ln for ln in text.split("\n") if ln.count(" ") == 14)
    report = _read(text.replace(line, line.rsplit(" ", 1)[0]))
    found = validate(report)
    gap = [f for f in found if f.code == "ING-07"]
    assert gap and gap[0].severity == "warning" and ".docx" in gap[0].message
    assert all(v.doubt == "unread" for b in report.appeals.values() for v in b.values())
    assert not {f.code for f in found} & {"T4-01", "T4-02"} and report.verdict != "有错误"


def test_misprints_seen_in_real_reports_are_matched_by_similarity():
    # 「其他法律行政止公开」 (法规禁 dropped), 「属于国家秘秘密」 (doubled), 「3、其他」, 「反复 申请」 and a heading
    # 「行政法复议」: rows matched by similarity in the fixed order, 表4 found by its header words
    truth = make_report(7)
    text = render_messy(truth, "header-chars", 7)
    for a, b in (("法规禁止公开", "止公开"), ("国家秘密", "国家秘秘密"), ("3.其他", "3、其他"), ("反复申请", "反复 申请"),
                 ("行政复议、行政诉讼情况", "行政法复议、行政诉讼情况")):
        assert a in text, a
        text = text.replace(a, b)
    report = _read(text)
    right, total, wrong = cell_accuracy(truth, report)
    assert right == total, wrong
    assert not {f.code for f in validate(report)} & (BLANK_RULES | ARITHMETIC | {"STR-06"})

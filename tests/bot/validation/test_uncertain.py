"""OCR'd cells: the identities confirm them, an uncertain one is listed and never raises an error."""

from __future__ import annotations

from bot.validation import validate
from bot.validation.uncertain import settle, uncertain_cells
from tests.support.factories import make_report


def ocr_report(seed: int = 5, confidence: float = 0.99):
    report = make_report(seed)
    report.source.kind = "pdf"
    for _t, _r, _c, v in report.cells():
        v.confidence = confidence
    return report


def errors(report) -> list[str]:
    return [f.code for f in report.findings if f.severity == "error"]


def test_a_clean_ocr_report_has_nothing_to_check():
    report = ocr_report()
    validate(report)
    assert errors(report) == []
    assert not any(f.code.startswith("OCR-") for f in report.findings)


def test_a_low_confidence_cell_the_identities_confirm_is_not_listed():
    report = ocr_report()
    report.applications["granted"][0].confidence = 0.31
    validate(report)
    assert not any(f.code == "OCR-01" for f in report.findings)


def test_a_misread_table3_cell_is_listed_and_raises_no_arithmetic_error():
    report = ocr_report()
    cell = report.applications["granted"][0]
    cell.value += 3  # a 3 read where an 0 was printed: A2 (column) and A3 (row) both fail
    validate(report)
    assert errors(report) == []
    [note] = [f for f in report.findings if f.code == "OCR-01"]
    assert note.severity == "warning"
    assert note.message.startswith("以下1个数字识别不确定，请核对：表3 予以公开·自然人")
    assert f"识别为{cell.value}" in note.message
    assert not any(f.code in ("T3-02", "T3-03") for f in report.findings)


def test_the_same_mistake_typed_by_the_office_is_an_error():
    report = ocr_report()
    for _t, _r, _c, v in report.cells():
        v.confidence = None  # a .docx: the text is exact
    report.applications["granted"][0].value += 3
    validate(report)
    assert {"T3-02", "T3-03"} <= set(errors(report))
    assert not any(f.code == "OCR-01" for f in report.findings)


def test_a_cell_ocr_could_not_read_is_listed_and_its_blank_is_not_an_error():
    report = ocr_report()
    cell = report.appeals["review"]["total"]
    cell.value, cell.raw, cell.confidence = None, "", 0.0
    validate(report)
    assert errors(report) == []
    [note] = [f for f in report.findings if f.code == "OCR-01"]
    assert "表4 行政复议·总计（未识别出数字）" in note.message


def test_an_unconfirmable_table2_cell_is_listed_only_when_ocr_was_unsure():
    report = ocr_report()
    report.proactive["licensing"].confidence = 0.6
    cells, _ = uncertain_cells(report)
    assert [c.where for c in cells] == ["表2 行政许可"]
    report.proactive["licensing"].confidence = 0.99
    assert uncertain_cells(report)[0] == []


def test_settle_leaves_a_report_without_ocr_alone():
    report = make_report(2)
    findings = validate(report)
    assert settle(report, list(findings)) == findings

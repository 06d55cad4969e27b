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


def test_an_uncertain_ocr_cell_is_marked_in_doubt_before_the_rules_judge_it():
    """The doubt is set before the rules run, so the arithmetic rules skip the cell on their own: run
    directly on the marked report, no identity rule fires; the same report unmarked does fire."""
    from bot.validation import Context, get_rule
    from bot.validation.uncertain import mark

    report = ocr_report()
    cell = report.applications["granted"][0]
    cell.value += 3
    blank = report.appeals["review"]["total"]
    blank.value, blank.raw, blank.confidence = None, "", 0.0
    unmarked = [f.code for code in ("T3-02", "T3-03") for f in _run(get_rule(code), Context(report))]
    assert unmarked == ["T3-02", "T3-03"]

    [note] = mark(report)
    assert (cell.doubt, blank.doubt) == ("uncertain", "unread")
    assert note.code == "OCR-01" and "表4 行政复议·总计（未识别出数字）" in note.message
    for code in ("T3-01", "T3-02", "T3-03", "T3-04", "T4-01", "T4-02"):
        assert list(_run(get_rule(code), Context(report))) == [], code
    # the confidence is the evidence kept with the report: a stored report re-validates the same way
    from bot.report import Report

    again = Report.from_json(report.to_json(detail=True))
    assert again.applications["granted"][0].confidence == cell.confidence
    assert again.applications["granted"][0].doubt == "uncertain"
    validate(again)
    assert errors(again) == [] and [f.code for f in again.findings].count("OCR-01") == 1


def _run(rule, ctx):
    return list(rule.run(ctx))

"""The arbiter keeps, per table, the reading the identities trust; a failing reading loses nothing."""

from __future__ import annotations

import copy
from pathlib import Path

from bot.reading import api, read_bytes
from bot.reading.arbiter import Reading, arbitrate, is_clean, score
from bot.reading.errors import ReadError
from bot.report import Finding, Value
from tests.support.factories import make_report

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "lo_pdf"


def _misread(report, row="granted", col=2, delta=1):
    bad = copy.deepcopy(report)
    v = bad.applications[row][col]
    bad.applications[row][col] = Value((v.value or 0) + delta, str((v.value or 0) + delta))
    return bad


def test_a_correct_report_is_clean():
    report = make_report(3)
    assert is_clean(report)
    s = score(report, "applications")
    assert s.broken == 0 and s.held == 7 + 7 + 25 and s.filled == 175


def test_a_misread_cell_loses_to_the_reading_that_satisfies_the_identities():
    good, bad = make_report(4), _misread(make_report(4))
    assert score(bad, "applications").broken >= 2
    merged = arbitrate([Reading("pdf-grid", bad), Reading("pdf-text", good)])
    assert merged.applications == good.applications
    assert merged.provenance["applications"] == "pdf-text"
    assert merged.provenance["appeals"] == "pdf-grid"  # ties stay with the first reading


def test_lost_cells_lose_to_a_reading_that_saw_them_and_bring_their_findings_along():
    full = make_report(5)
    short = copy.deepcopy(full)
    short.appeals = None
    for v in short.applications["deny_law"]:
        v.value, v.raw = None, ""
    short.ingest_findings = [Finding("ING-04", "error", "表3“…”行识别到0个数值", "表3 2.其他法律行政法规禁止公开 (第9行)"),
                             Finding("ING-06", "info", "已自动清除3处页码。", "")]
    merged = arbitrate([Reading("pdf-text", short), Reading("pdf-ruled", full)])
    assert merged.applications == full.applications and merged.appeals == full.appeals
    # the text reading's ING-04 went with its table; its prose-level finding stays
    assert [f.code for f in merged.ingest_findings] == ["ING-06"]


def test_a_real_error_in_every_reading_stays_with_the_first():
    a, b = _misread(make_report(6)), _misread(make_report(6))
    merged = arbitrate([Reading("pdf-grid", a), Reading("pdf-text", b)])
    assert merged.provenance["applications"] == "pdf-grid"
    assert score(merged, "applications").broken >= 2


def test_a_reading_that_raises_never_discards_one_that_worked(monkeypatch):
    data = next(FIXTURES.glob("*.pdf")).read_bytes()
    good = dict(api.PDF_READINGS)["pdf-grid"]

    calls = []

    def broken(_data):
        calls.append(1)
        raise RuntimeError("a reader bug")

    def refused(_data):
        raise ReadError("ING-02", "无文字层")

    # the first reading fails: the later ones still give the report
    monkeypatch.setattr(api, "PDF_READINGS", (("pdf-text", broken), ("pdf-grid", good), ("pdf-ruled", refused)))
    (result,) = read_bytes("a.pdf", data)
    assert result.error is None and result.report.applications is not None
    assert result.report.provenance["applications"] == "pdf-grid"
    # a later reading fails after a first one that breaks an identity (the office's real error, so the
    # second reading is tried): the first one's result is kept
    calls.clear()
    with_error = (FIXTURES / "lo_17_003_onechar.pdf").read_bytes()
    monkeypatch.setattr(api, "PDF_READINGS", (("pdf-grid", good), ("pdf-text", broken), ("pdf-ruled", refused)))
    (result,) = read_bytes("b.pdf", with_error)
    assert calls and result.error is None and result.report.applications is not None
    assert result.report.provenance["applications"] == "pdf-grid"
    # every reading refuses: the first refusal is the answer
    monkeypatch.setattr(api, "PDF_READINGS", (("pdf-text", refused), ("pdf-ruled", broken)))
    (result,) = read_bytes("a.pdf", data)
    assert result.report is None and result.error.code == "ING-02"


def test_a_reading_that_lost_the_wrong_cell_does_not_hide_a_real_error():
    """The office's real error breaks identities in the full reading; a reading that lost that row has no
    broken identity left, but it saw nothing the full one did not: the full one stays."""
    full = make_report(7)
    for col in (0, 1, 2):  # the office typed three wrong numbers into one row: four identities break
        full = _misread(full, row="deny_law", col=col, delta=2)
    lost = copy.deepcopy(full)
    del lost.applications["deny_law"]
    assert score(lost, "applications").broken == 0 < score(full, "applications").broken
    assert score(lost, "applications").key() > score(full, "applications").key()  # the score alone would err
    merged = arbitrate([Reading("pdf-grid", full), Reading("pdf-text", lost)])
    assert merged.applications is full.applications
    assert merged.provenance["applications"] == "pdf-grid"


def test_provenance_survives_the_stored_json():
    from bot.report import Report

    report = arbitrate([Reading("pdf-grid", make_report(8)), Reading("pdf-text", make_report(8))])
    again = Report.from_json(report.to_json(detail=True))
    assert again.provenance == report.provenance == {
        "proactive": "pdf-grid", "applications": "pdf-grid", "appeals": "pdf-grid"}
    assert "provenance" not in report.to_json()  # the CONTRACT.md keys are unchanged; detail only


def test_a_later_reading_that_wins_but_breaks_an_identity_is_uncertain_where_readings_differ():
    """Uncertain is not wrong: the first reading lost cells (unread), a later one read them but breaks an
    identity on a cell the readings disagree about — that cell is in doubt (ING-09), not the office's error."""
    from bot.validation import validate

    truth = make_report(9)
    first = copy.deepcopy(truth)
    for row in ("deny_law", "deny_process", "noproc_repeat"):
        for v in first.applications[row]:
            v.value, v.raw, v.doubt = None, "", "unread"
    later = _misread(truth, row="granted", col=1, delta=3)  # one misread cell, and the first reading saw it right
    merged = arbitrate([Reading("pdf-grid", first), Reading("pdf-ruled", later)])
    assert merged.provenance["applications"] == "pdf-ruled"
    assert merged.applications["granted"][1].doubt == "uncertain"
    assert merged.applications["granted"][2].doubt == ""  # where the readings agree nothing is doubted
    findings = validate(merged)
    assert not [f for f in findings if f.code.startswith("T3-") and f.severity == "error"]
    assert any(f.code == "ING-09" for f in findings)

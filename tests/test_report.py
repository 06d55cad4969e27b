"""The shared report model: JSON round trip and accessors (CONTRACT.md)."""

from bot.report import Report
from bot.schema import T3_COLUMNS, all_cell_keys
from tests.support.factories import make_report


def test_json_round_trip_keeps_values_and_locations():
    report = make_report(3)
    again = Report.from_json(report.to_json(detail=True))
    assert again.to_json() == report.to_json()
    assert again.applications["granted"][0].where == report.applications["granted"][0].where


def test_factory_report_satisfies_identities():
    r = make_report(5)
    for col in T3_COLUMNS:
        left = r.t3("new_received", col) + r.t3("carried_over", col)
        right = r.t3("total_processed", col) + r.t3("carried_forward", col)
        assert left == right, col
    assert sum(v.value for v in r.applications["new_received"][:6]) == r.t3("new_received")
    assert r.t3("new_received") > 0


def test_blank_cell_is_null_not_zero():
    r = make_report(1)
    r.applications["granted"][2].value = None
    assert r.to_json()["applications"]["rows"]["granted"][2] is None


def test_cell_grid_sizes():
    assert len(all_cell_keys("2021")) == 10 + 175 + 15
    assert len(all_cell_keys("2019")) == 10 + 161 + 15
    assert len(make_report(1).cells()) == 200


def test_short_rows_read_as_blank_not_errors():
    r = make_report(2)
    r.applications["granted"] = r.applications["granted"][:5]
    del r.appeals["review"]["pending"]
    assert r.t3("granted", "total") is None
    assert r.t4("review", "pending") is None
    cells = {(t, row, col): v.value for t, row, col, v in r.cells()}
    assert cells[("t3", "granted", "total")] is None
    assert len(cells) == 200

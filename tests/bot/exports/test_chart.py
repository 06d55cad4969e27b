"""Charts are real PNGs of a sensible size whose Chinese text is drawn with a font that has the glyphs."""

from __future__ import annotations

import io

import pytest
from matplotlib import font_manager
from PIL import Image

from bot.exports import chart, fonts
from bot.exports.rows import ExportItem
from tests.bot.exports.real import real_reports
from tests.support.factories import make_reports

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def items() -> list[ExportItem]:
    return [ExportItem.from_report(r) for r in make_reports(25)]


def _check_png(data: bytes) -> Image.Image:
    assert data.startswith(PNG_MAGIC)
    image = Image.open(io.BytesIO(data))
    image.load()
    assert 800 <= image.width <= 3000
    assert 300 <= image.height <= 3000
    return image


def _needs_cjk() -> fonts.CJKFont:
    found = fonts.cjk_font()
    if found is None:
        pytest.skip("no CJK font installed")
    return found


def test_applications_chart_top20_with_cjk_title(items) -> None:
    _needs_cjk()
    fig = chart.applications_figure(items, year=2021)
    ax = fig.axes[0]
    title = ax.get_title()
    assert "2021" in title and "申请" in title
    path = font_manager.findfont(ax.title.get_fontproperties(), fallback_to_default=False)
    assert fonts.covers(path, title.replace("2021", "").replace("20", ""))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 20
    top = max(items, key=lambda it: it.report.t3("new_received"))
    assert labels[-1] == top.short_name  # biggest bar on top
    _check_png(chart.to_png(fig))


def test_stack_segments_equal_applicant_columns(items) -> None:
    fig = chart.applications_figure(items[:3], year=2021)
    ax = fig.axes[0]
    widths = [patch.get_width() for patch in ax.patches]
    assert sum(widths) == sum(it.report.t3("new_received") for it in items[:3])


def test_outcomes_chart(items) -> None:
    totals = {zh: n for zh, _, n in chart.outcome_totals(items)}
    assert totals["予以公开"] == sum(it.report.t3("granted") for it in items)
    _check_png(chart.to_png(chart.outcomes_figure(items, year=2021)))


def test_appeals_chart(items) -> None:
    _check_png(chart.to_png(chart.appeals_figure(items, year=2021)))


def test_office_years_chart_on_real_pingtan() -> None:
    _needs_cjk()
    pingtan = [ExportItem.from_report(r) for r in real_reports() if r.office.short_name == "平潭"]
    fig = chart.office_years_figure(pingtan)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2019", "2021", "2023", "2025"]
    heights = [p.get_height() for p in ax.containers[0]]
    assert heights == [23, 70, 81, 154]
    _check_png(chart.to_png(fig))


def test_without_cjk_font_labels_are_latin(items, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart, "cjk_font", lambda: None)
    fig = chart.applications_figure(items[:5], year=2021)
    ax = fig.axes[0]
    texts = [ax.get_title(), *(t.get_text() for t in ax.get_yticklabels())]
    assert all(t.isascii() for t in texts), texts
    assert "Lushan" in texts
    _check_png(chart.to_png(fig))


@pytest.mark.parametrize(
    ("word", "metric"), [("复议", "appeals"), ("结果", "outcomes"), ("申请", "applications"), ("鹿山", None)]
)
def test_parse_metric(word: str, metric: str | None) -> None:
    assert chart.parse_metric(word) == metric


def test_no_data_panel_instead_of_empty_axes() -> None:
    quiet = [ExportItem.from_report(r) for r in make_reports(3)]
    for item in quiet:
        for block in item.report.appeals.values():
            for value in block.values():
                value.value = 0
    fig = chart.appeals_figure(quiet, year=2021)
    ax = fig.axes[0]
    assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
    texts = [t.get_text() for t in ax.texts]
    assert any("无行政复议" in t or "No reviews" in t for t in texts)
    _check_png(chart.to_png(fig))


def _without_tables(seed: int, office: str, short: str) -> ExportItem:
    """A report whose 表3 and 表4 are missing (an excerpt, a PDF that lost its tables)."""
    from tests.support.factories import make_report

    report = make_report(seed=seed, office=office, short_name=short)
    report.applications = None
    report.appeals = None
    return ExportItem.from_report(report)


def test_a_missing_table_is_marked_no_data_not_drawn_as_zero(items) -> None:
    _needs_cjk()
    gone = _without_tables(90, "富阳区缺表街道", "缺表")
    fig = chart.applications_figure([*items[:4], gone], year=2021)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "缺表"  # at the bottom, below every office with data
    texts = [t.get_text().strip() for t in ax.texts]
    assert texts[0] == "无数据" and "0" not in texts
    assert "1个单位无表3数据" in ax.get_title()

    outcomes = chart.outcomes_figure([*items[:4], gone], year=2021)
    assert "4个单位，另有1个单位无表3数据未计入" in outcomes.axes[0].get_title()
    appeals = chart.appeals_figure([gone], year=2021)
    assert any("无表4数据" in t.get_text() for t in appeals.axes[0].texts)  # not 「无行政复议」
    _check_png(chart.to_png(fig))


def test_a_year_without_table3_is_said_in_the_office_history() -> None:
    _needs_cjk()
    from tests.support.factories import make_report

    years = []
    for year in (2021, 2022):
        report = make_report(seed=year, year=year)
        if year == 2022:
            report.applications = None
        years.append(ExportItem.from_report(report))
    ax = chart.office_years_figure(years).axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("无数据") == 1 and "0" not in texts
    assert texts.count("") == 3  # 2022's three bars carry no number

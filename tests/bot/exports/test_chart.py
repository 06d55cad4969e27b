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

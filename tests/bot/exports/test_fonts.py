"""The chart font really covers Chinese (checked per glyph), and a forced font is honoured."""

from __future__ import annotations

import matplotlib
import pytest
from matplotlib import font_manager

from bot.exports import fonts


def test_found_font_has_cjk_glyphs() -> None:
    found = fonts.cjk_font()
    if found is None:
        pytest.skip("no CJK font installed (CI installs fonts-wqy-microhei)")
    assert fonts.covers(found.path, "鹿山街道政府信息公开")
    assert found.family in {entry.name for entry in font_manager.fontManager.ttflist}


def test_latin_font_does_not_cover_cjk() -> None:
    dejavu = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    assert not fonts.covers(dejavu, "鹿")
    assert fonts.covers(dejavu, "abc")
    assert not fonts.covers("/nonexistent/font.ttf", "a")


def test_forced_font_path_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    dejavu = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    monkeypatch.setenv("NIANBAO_CJK_FONT", dejavu)  # not CJK-capable: must be skipped, not trusted
    fonts.cjk_font.cache_clear()
    try:
        found = fonts.cjk_font()
        assert found is None or found.path != dejavu
    finally:
        fonts.cjk_font.cache_clear()


def test_no_font_logs_warning(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(fonts, "_candidates", lambda: [matplotlib.get_data_path() + "/nothing.ttf"])
    fonts.cjk_font.cache_clear()
    try:
        with caplog.at_level("WARNING"):
            assert fonts.cjk_font() is None
        assert "No Chinese (CJK) font" in caplog.text
    finally:
        fonts.cjk_font.cache_clear()


def test_romanize() -> None:
    assert fonts.romanize("鹿山") == "Lushan"
    assert fonts.romanize("abc") == "abc"

"""``nianbao validate``: human output, JSON Lines and the exit codes of CONTRACT.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

pytest.importorskip("bot.reading")

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


def example(prefix: str) -> str:
    found = sorted(EXAMPLES.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"example {prefix} missing")
    return str(found[0])


def test_good_file_exits_0_and_lists_findings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", example("002")]) == 0
    out = capsys.readouterr().out
    assert "水泥路街道办事处" in out and "META-04" in out and "国办函〔2020〕109号" in out
    assert out.startswith("⚠️")


def test_error_file_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", example("000"), example("001")]) == 1
    out = capsys.readouterr().out
    assert "❌" in out and "T3-05" in out and "[错误]" in out


def test_json_lines_follow_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--json", example("000"), example("004")]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["verdict"] == "有错误" and second["verdict"] != "有错误"
    blank = next(f for f in first["findings"] if f["code"] == "T3-05")
    assert blank["severity"] == "error" and blank["where"].startswith("表3")
    assert first["applications"]["rows"]["granted"] == [None] * 7


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"not a zip at all")
    assert main(["validate", "--json", example("000"), str(bad)]) == 2
    lines = [json.loads(x) for x in capsys.readouterr().out.strip().splitlines()]
    assert lines[-1]["error"]["code"].startswith("ING")
    assert lines[-1]["source"]["filename"] == "broken.docx"


def test_today_option_enables_the_year_check(capsys: pytest.CaptureFixture[str]) -> None:
    main(["validate", example("004")])
    assert "DL-03" not in capsys.readouterr().out
    main(["validate", "--today", "2026-01-10", example("004")])
    assert "DL-03" in capsys.readouterr().out


def test_english_output(capsys: pytest.CaptureFixture[str]) -> None:
    main(["validate", "--lang", "en", example("002")])
    out = capsys.readouterr().out
    assert "warnings" in out and "国办函〔2020〕109号" in out

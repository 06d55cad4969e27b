"""Seeded fuzzing of every reader and the validator (issue 19): no exception escapes, none is logged.

Small here (``make test``): the hand-built campaign at its smallest scale and a few dozen mutated files
of every kind (txt, docx, html, zip, doc, pdf). ``make bench`` runs the same generator at full size in
the bot's worker (bench/hostile.py). ``NIANBAO_FUZZ_COUNT`` raises the count for a longer local run.
"""

from __future__ import annotations

import json
import logging
import os

import pytest

from bot.reading import read_bytes
from bot.validation import validate
from tests.support import hostile

COUNT = int(os.environ.get("NIANBAO_FUZZ_COUNT", "36"))
SEED = 19


def _cases() -> list[hostile.Case]:
    return [*hostile.hand_built(1), *hostile.mutated(SEED, COUNT)]


def answer_cleanly(filename: str, data: bytes) -> list[str]:
    """Read and validate one file; what it got (an ING code or a verdict). Raises on anything unclean."""
    out = []
    for result in read_bytes(filename, data):
        if result.report is None:
            assert result.error is not None and result.error.code.startswith("ING-"), result
            assert result.error.message and len(result.error.message) < 300
            out.append(result.error.code)
            continue
        assert result.error is None
        report = result.report
        findings = validate(report)
        for f in findings:
            assert len(f.message) < 1000, f.code
        json.dumps(report.to_json(), ensure_ascii=False, allow_nan=False)  # strict JSON, as the CLI prints
        out.append(report.verdict)
    assert out
    return out


def test_every_hostile_input_is_answered_cleanly(caplog):
    caplog.set_level(logging.WARNING)
    failures: list[str] = []
    for name, filename, data in _cases():
        caplog.clear()
        try:
            answer_cleanly(filename, data)
        except Exception as exc:  # noqa: BLE001 - collected, so one run names every failing case
            failures.append(f"{name}: {type(exc).__name__}: {str(exc)[:200]}")
            continue
        logged = [r for r in caplog.records
                  if r.name.startswith("bot") and (r.levelno >= logging.WARNING or r.exc_info)]
        if logged:
            failures.append(f"{name}: logged {logged[0].levelname} {logged[0].getMessage()[:200]}")
    assert not failures, "\n".join(failures)


def test_the_generator_is_seeded():
    first = [(n, len(d)) for n, _, d in hostile.mutated(SEED, 6, pdfs=False)]
    again = [(n, len(d)) for n, _, d in hostile.mutated(SEED, 6, pdfs=False)]
    assert first == again


@pytest.mark.parametrize("cell", hostile.BAD_CELLS)
def test_every_bad_cell_token_in_every_text_layout(cell):
    """The tokens of the campaign, one at a time, in a real report: a verdict, never a crash."""
    text = hostile.with_t3_cell(hostile.report_txt(4), cell, row="（七）总计", col=6)
    [verdict] = answer_cleanly("t.txt", text.encode())
    assert verdict in ("通过", "有警告", "有错误")

"""No rule may crash on odd input: random damage to correct reports never reaches the engine's
exception handler (which would silently drop that rule's findings)."""

from __future__ import annotations

import logging
import random

import pytest

from bot.report import Heading, ProseNumber, Report, Source, Value
from bot.schema import SECTIONS, T4_BLOCKS
from bot.validation import validate
from tests.support.factories import make_report

ODD_VALUES = [Value(None, ""), Value(None, "/"), Value(None, "若干"), Value(-3, "-3"), Value(2.5, "2.5"),
              Value(0.0, "0.0"), Value(10**9, "1000000000"), Value(None, "270020130")]


def damage(report: Report, rng: random.Random) -> None:
    for _ in range(rng.randint(1, 6)):
        what = rng.randrange(8)
        if what == 0:
            row = rng.choice(list(report.applications))
            if report.applications[row]:
                report.applications[row][rng.randrange(len(report.applications[row]))] = rng.choice(ODD_VALUES)
        elif what == 1 and len(report.applications) > 1:
            del report.applications[rng.choice(list(report.applications))]
        elif what == 2:
            row = rng.choice(list(report.applications))
            report.applications[row] = report.applications[row][: rng.randrange(7)]
        elif what == 3:
            block = rng.choice(T4_BLOCKS)
            if report.appeals[block]:
                report.appeals[block][rng.choice(list(report.appeals[block]))] = rng.choice(ODD_VALUES)
        elif what == 4:
            report.proactive[rng.choice(["licensing", "penalty", "fees_10k_yuan"])] = rng.choice(ODD_VALUES)
        elif what == 5:
            report.prose.append(ProseNumber(rng.choice(["received", "percent", "granted", "review", "x"]),
                                            rng.choice([0, 3, 99.5]), "", what=rng.choice(["", "办结率", "占"])))
        elif what == 6:
            report.headings.append(Heading(rng.choice(["", "7", "五", "Ⅲ"]), rng.choice(["", "问题", "概述"]), None, 0))
        else:
            report.section_text[rng.choice(SECTIONS)] = rng.choice(["", "无", "XX", "（三）不予公开（四）无法提供"])
    if rng.random() < 0.3:
        setattr(report, rng.choice(["applications", "appeals", "proactive"]), None)
    report.year = rng.choice([None, 2018, 2021, 2031])
    report.format = rng.choice(["2021", "2019", "pre2019", "unknown"])


@pytest.mark.parametrize("seed", range(200))
def test_damaged_reports_never_crash_a_rule(seed: int, caplog: pytest.LogCaptureFixture) -> None:
    rng = random.Random(seed)
    report = make_report(seed)
    previous = make_report(seed + 1000, year=2020)
    damage(report, rng)
    damage(previous, rng)
    with caplog.at_level(logging.ERROR, logger="bot.validation.engine"):
        validate(report, previous if rng.random() < 0.5 else None)
    assert "failed" not in caplog.text


def test_an_empty_report_with_a_previous_one() -> None:
    assert validate(Report(source=Source("x.txt")), Report(source=Source("y.txt"))) == []

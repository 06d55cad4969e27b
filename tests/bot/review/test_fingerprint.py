"""The finding fingerprint: stable across wording, numbers' spelling and order; different for a new problem."""

from __future__ import annotations

import random

from bot.report import Finding
from bot.review import fingerprint, fingerprints
from bot.review.fingerprint import key


def sum_error(**kw):
    values = {"code": "T3-01", "severity": "error", "message": "表3“办理结果·总计”不等于各项之和",
              "where": "表3 “办理结果·总计”", "left": 42, "right": 40, "delta": 2}
    values.update(kw)
    return Finding(**values)


def test_wording_and_severity_do_not_change_it():
    base = fingerprint(sum_error())
    assert fingerprint(sum_error(message="总计与分项之和不一致", message_en="total differs")) == base
    assert fingerprint(sum_error(severity="warning")) == base
    assert len(base) == 16 and int(base, 16) >= 0


def test_numbers_are_canonical_and_matter():
    base = fingerprint(sum_error())
    assert fingerprint(sum_error(left=42.0, right="40", delta=2.0)) == base
    assert fingerprint(sum_error(left=43, delta=3)) != base  # still wrong, but another problem
    assert fingerprint(sum_error(left=None, right=None, delta=None)) != base
    assert key(sum_error(left=0.1, right=None, delta=float("nan"))).endswith("|0.1||")


def test_location_is_normalised_but_matters():
    base = fingerprint(sum_error())
    assert fingerprint(sum_error(where="表3　“办理结果·总计”\n")) == base  # full-width space, new line
    assert fingerprint(sum_error(where="表3 “予以公开·总计”")) != base
    assert fingerprint(sum_error(code="t3-01")) == base
    assert fingerprint(sum_error(code="T3-02")) != base


def test_list_fingerprints_number_twins_and_ignore_order():
    twin = Finding("META-04", "warning", "正文缺少……", "正文")
    other = sum_error()
    findings = [twin, other, Finding("META-04", "warning", "另一句", "正文")]
    fps = fingerprints(findings)
    assert len(set(fps)) == 3 and fps[0] == fingerprint(twin)
    shuffled = findings[:]
    random.Random(3).shuffle(shuffled)
    assert sorted(fingerprints(shuffled)) == sorted(fps)

"""Shared fixtures for the reading tests: the five real seed reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.reading import read_bytes
from bot.report import Report
from tests.support.paths import CORPUS as _CORPUS

SEEDS = Path(__file__).resolve().parents[3] / "examples"
CORPUS = _CORPUS


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def read_one(name: str, data: bytes) -> Report:
    results = read_bytes(name, data)
    assert len(results) == 1, results
    assert results[0].error is None, results[0].error.message
    return results[0].report


@pytest.fixture(scope="session")
def seeds() -> dict[str, Report]:
    return {p: read_one(seed_path(p).name, seed_path(p).read_bytes()) for p in ("000", "001", "002", "003", "004")}

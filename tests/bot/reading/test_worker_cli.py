"""The worker pool kills a hung parser; ``nianbao parse`` prints JSON Lines with CONTRACT.md exit codes."""

from __future__ import annotations

import json
import time

import pytest

from bot.cli import main
from bot.reading import read_in_worker, run_in_worker, shutdown_pool
from tests.bot.reading.conftest import seed_path


def hang(filename: str, data: bytes):
    time.sleep(3600)


def crash(filename: str, data: bytes):
    import os

    os._exit(3)


@pytest.fixture(autouse=True)
def _pool():
    yield
    shutdown_pool()


async def test_read_in_worker_reads_a_seed():
    path = seed_path("001")
    (result,) = await read_in_worker(path.name, path.read_bytes(), timeout=60)
    assert result.report.t3("new_received") == 3


async def test_hung_worker_is_killed_and_reported():
    (result,) = await run_in_worker(hang, "slow.docx", b"x", timeout=1)
    assert result.report is None and result.error.code == "ING-01" and "超时" in result.error.message
    path = seed_path("004")  # the pool still works afterwards
    (again,) = await read_in_worker(path.name, path.read_bytes(), timeout=60)
    assert again.report.office.short_name == "红旗"


async def test_crashed_worker_becomes_error_result():
    (result,) = await run_in_worker(crash, "bad.pdf", b"x", timeout=30)
    assert result.report is None and result.error.code == "ING-01"


async def test_oversized_never_reaches_the_pool():
    (result,) = await read_in_worker("big.pdf", b"0" * (20 * 1024 * 1024 + 1))
    assert result.error.code == "ING-03"


def test_cli_parse_json_lines(capsys, tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a word file")
    code = main(["parse", str(seed_path("001")), str(bad), "--json"])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert out[0]["office"]["short_name"] == "鹿山"
    assert out[0]["applications"]["rows"]["new_received"] == [0, 0, 0, 0, 3, 0, 3]
    assert out[1]["source"]["filename"] == "bad.docx"
    assert out[1]["error"]["code"] == "ING-01"


def test_cli_parse_all_read_exit_zero(capsys):
    assert main(["parse", str(seed_path("000")), str(seed_path("004"))]) == 0
    assert "青石山" in capsys.readouterr().out

"""``nianbao parse/validate`` read in the bot's worker (time limit, memory cap) and print strict JSON."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.reading import api, shutdown_pool
from tests.support import hostile


@pytest.fixture(autouse=True)
def _pool():
    yield
    shutdown_pool()


def _strict(line: str):
    def refuse(name: str):
        raise AssertionError(f"{name} is not JSON")

    return json.loads(line, parse_constant=refuse)


@pytest.mark.parametrize("command", ["parse", "validate"])
def test_the_cli_reads_in_the_worker_unless_asked_not_to(command, tmp_path, monkeypatch, capsys):
    path = tmp_path / "r.txt"
    path.write_text(hostile.report_txt(3), encoding="utf-8")
    seen: list[tuple[str, float]] = []
    bounded = api.read_path_in_worker

    def spy(p, *, timeout):
        seen.append((str(p), timeout))
        return bounded(p, timeout=timeout)

    monkeypatch.setattr(api, "read_path_in_worker", spy)
    monkeypatch.setenv("NIANBAO_PARSE_TIMEOUT", "7")
    main([command, str(path), "--json"])
    [line] = capsys.readouterr().out.splitlines()
    assert "error" not in _strict(line) and seen == [(str(path), 7.0)]  # the bot's time limit
    main([command, str(path), "--json", "--in-process"])
    [line] = capsys.readouterr().out.splitlines()
    assert "error" not in _strict(line) and len(seen) == 1


def test_a_hung_reader_in_the_cli_is_stopped(monkeypatch, tmp_path):
    from tests.bot.reading.test_worker_cli import hang

    monkeypatch.setattr(api, "read_bytes", hang)  # pickled by name: the worker runs the hang
    path = tmp_path / "slow.txt"
    path.write_text("x", encoding="utf-8")
    [result] = api.read_path_in_worker(path, timeout=1)
    assert result.error.code == "ING-01" and "超时" in result.error.message


@pytest.mark.parametrize("cell", ["1e400", "inf", "NaN", "9" * 5000])
def test_json_output_is_strict_json(cell, tmp_path, capsys):
    path = tmp_path / "r.txt"
    path.write_text(hostile.with_t3_cell(hostile.report_txt(3), cell), encoding="utf-8")
    assert main(["validate", str(path), "--json", "--in-process"]) == 1  # T3-04 is an error
    [line] = capsys.readouterr().out.splitlines()
    report = _strict(line)
    assert any(f["code"] == "T3-04" for f in report["findings"])


_HOARD: list[bytes] = []


def _swell(filename: str, data: bytes):
    """A reader that leaves its worker holding 300 MB (what a hostile file did to real readers)."""
    import os

    _HOARD.append(os.urandom(1024) * (300 * 1024))
    return [api.ReadResult(str(os.getpid()), None, None)]


def _pid(filename: str, data: bytes):
    import os

    return [api.ReadResult(str(os.getpid()), None, None)]


async def test_a_worker_grown_by_a_file_is_recycled(monkeypatch):
    monkeypatch.setattr(api, "WORKERS", 1)
    shutdown_pool()
    [before] = await api.run_in_worker(_pid, "", b"")
    [swollen] = await api.run_in_worker(_swell, "", b"")
    assert swollen.filename == before.filename  # one worker: the same process grew
    [after] = await api.run_in_worker(_pid, "", b"")
    assert after.filename != swollen.filename  # the next file went to a fresh worker
    [again] = await api.run_in_worker(_pid, "", b"")
    assert again.filename == after.filename  # a worker that did not grow is kept


async def test_a_batch_is_read_member_by_member():
    from bot.reading.errors import MSG_MEMBER_FAILED

    _, filename, data = next(c for c in hostile.hand_built() if c[0] == "zip, one corrupt member")
    assert api.batch_size(filename, data) == 3
    got = [r async for r in api.read_batch(filename, data, timeout=60)]
    assert [r.filename for r in got] == [f"{filename}/a.txt", f"{filename}/b.txt", f"{filename}/c.txt"]
    assert got[0].report is not None and got[2].report is not None
    assert got[1].error.message == MSG_MEMBER_FAILED


async def test_a_batch_past_its_time_budget_answers_the_rest(monkeypatch):
    from bot.reading.errors import MSG_TIMEOUT

    monkeypatch.setattr(api, "BATCH_TIME_FACTOR", 0)  # no time left after the first member
    _, filename, data = next(c for c in hostile.hand_built() if c[0] == "zip, one corrupt member")
    got = [r async for r in api.read_batch(filename, data, timeout=60)]
    assert [r.error.message for r in got if r.report is None][-1] == MSG_TIMEOUT

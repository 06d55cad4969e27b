"""The parse workers' memory cap: a file that would need gigabytes costs a reply, not the host."""

from __future__ import annotations

import sys

import pytest

from bot.reading import api
from bot.reading.errors import MSG_TOO_COMPLEX, ReadResult

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no RLIMIT_AS on Windows")


def _address_space_limit(filename: str, data: bytes) -> list[ReadResult]:
    import resource

    return [ReadResult(str(resource.getrlimit(resource.RLIMIT_AS)[0]), None, None)]


def _swallow_memory(filename: str, data: bytes) -> list[ReadResult]:
    """What a hostile file does to a reader: ask for far more memory than the cap allows."""
    try:
        hog = bytearray(3 * 1024 * 1024 * 1024)
    except MemoryError:
        return api.read_bytes("x.txt", b"")  # the worker is alive and still reads
    return [ReadResult(f"allocated {len(hog)}", None, None)]


async def test_workers_run_under_the_memory_cap():
    [result] = await api.run_in_worker(_address_space_limit, "", b"")
    assert int(result.filename) == api.MEMORY_MB * 1024 * 1024
    [after] = await api.run_in_worker(_swallow_memory, "", b"")
    assert after.error is not None and after.error.code == "ING-01", after  # refused, not granted 3 GB


def test_a_reader_out_of_memory_is_a_reply(monkeypatch):
    def explode(data: bytes):
        raise MemoryError

    monkeypatch.setattr(api, "doc_from_docx", explode)
    [result] = api.read_bytes("大.docx", b"PK\x03\x04" + b"\0" * 100)
    assert result.error is not None and result.error.message == MSG_TOO_COMPLEX
    assert result.error.message_en.startswith("The file is too complex")


def test_the_cap_and_worker_count_come_from_settings_dotenv_included(monkeypatch, tmp_path):
    from bot.app import build_application
    from bot.config import Settings

    monkeypatch.setattr(api, "MEMORY_MB", api.MEMORY_MB)  # restored after the test
    monkeypatch.setattr(api, "WORKERS", api.WORKERS)
    env = tmp_path / ".env"
    env.write_text("NIANBAO_PARSE_MEMORY_MB=512\nNIANBAO_PARSE_WORKERS=3\n", encoding="utf-8")
    settings = Settings(_env_file=env, TELEGRAM_BOT_TOKEN="1:x", NIANBAO_DATA_DIR=str(tmp_path))
    build_application(settings, db=object())
    assert (api.MEMORY_MB, api.WORKERS) == (512, 3)

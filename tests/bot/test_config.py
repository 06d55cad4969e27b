"""Every setting is checked once at start: a malformed value stops the command with one line per setting."""

from __future__ import annotations

import subprocess
import sys
from datetime import time, timedelta

import pytest

from bot.cli import main
from bot.config import load_settings
from bot.deadlines.config import ReminderConfig


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "NIANBAO_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path / "data"))


@pytest.mark.parametrize(("name", "value", "says"), [
    ("NIANBAO_REMINDER_TIME", "25:00", "时:分"),
    ("NIANBAO_REMINDER_LADDER", "a,b", "提前天数"),
    ("NIANBAO_APPLY_DAYS", "zero", "应为整数"),
    ("NIANBAO_APPLY_DAYS", "0", "应不小于 1"),
    ("NIANBAO_PARSE_MEMORY_MB", "lots", "应为整数"),
    ("NIANBAO_PARSE_WORKERS", "abc", "应为整数"),
    ("NIANBAO_OCR_MEMORY_MB", "2G", "应为整数"),
    ("NIANBAO_OCR_SECONDS_PER_PAGE", "0", "应不小于 1"),
    ("NIANBAO_LOG_LEVEL", "LOUD", "DEBUG/INFO/WARNING"),
    ("NIANBAO_TOWNSHIP_DEADLINE", "02-30", "01-31 或 03-31"),
    ("NIANBAO_REMINDER_MAX_LATE_HOURS", "soon", "应为数字"),
])
def test_a_malformed_setting_stops_every_command_with_one_line(clean_env, monkeypatch, capsys, name, value, says):
    monkeypatch.setenv(name, value)
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    assert err.startswith(f"配置有误 {name}：") and says in err and repr(value) in err, err
    assert main(["ask", "鹿山收到多少申请"]) == 2  # any command, before any work
    assert capsys.readouterr().err.startswith(f"配置有误 {name}")


def test_a_malformed_number_as_a_real_process_is_one_line_not_a_traceback(clean_env, tmp_path):
    import os

    env = {**os.environ, "NIANBAO_PARSE_MEMORY_MB": "lots", "NIANBAO_DATA_DIR": str(tmp_path / "data")}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    done = subprocess.run([sys.executable, "-m", "bot", "console"], cwd=tmp_path, env=env, input="",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stderr.strip().startswith("配置有误 NIANBAO_PARSE_MEMORY_MB")


def test_good_values_reach_the_reminder_config(clean_env, monkeypatch):
    monkeypatch.setenv("NIANBAO_REMINDER_TIME", "8:30")
    monkeypatch.setenv("NIANBAO_REMINDER_LADDER", "7，3,1")
    monkeypatch.setenv("NIANBAO_REMINDER_MAX_LATE_HOURS", "1.5")
    monkeypatch.setenv("NIANBAO_APPLY_DAYS", "15")
    monkeypatch.setenv("NIANBAO_APPLY_COUNT_START_DAY", "true")
    monkeypatch.setenv("NIANBAO_TOWNSHIP_DEADLINE", "03-31")
    monkeypatch.setenv("NIANBAO_LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.log_level == "DEBUG"
    cfg = ReminderConfig.from_settings(settings)
    assert cfg.at == time(8, 30) and cfg.ladder == (7, 3, 1) and cfg.max_late == timedelta(hours=1.5)
    assert cfg.apply_days == cfg.apply_extension_days == 15 and cfg.apply_count_start
    assert cfg.township_deadline == "03-31"
    assert str(cfg.tz) == "Asia/Shanghai"


def test_ocr_settings_reach_the_pool_and_its_workers(clean_env, monkeypatch):
    """NIANBAO_OCR_* are Settings like the others: configure_pool sets the time limit, and each worker's
    initializer hands OCR its memory cap (the worker, not the bot process, runs OCR)."""
    from bot.reading import api, ocr

    monkeypatch.setenv("NIANBAO_OCR_MEMORY_MB", "3000")
    monkeypatch.setenv("NIANBAO_OCR_SECONDS_PER_PAGE", "40")
    settings = load_settings()
    for name in ("OCR_MEMORY_MB", "OCR_SECONDS_PER_PAGE"):
        monkeypatch.setattr(api, name, getattr(api, name))
    monkeypatch.setattr(ocr, "OCR_MEMORY_MB", ocr.OCR_MEMORY_MB)
    api.configure_pool(ocr_memory_mb=settings.ocr_memory_mb, ocr_seconds_per_page=settings.ocr_seconds_per_page)
    assert (api.OCR_MEMORY_MB, api.OCR_SECONDS_PER_PAGE) == (3000, 40)
    api._limit_memory(0, api.OCR_MEMORY_MB)  # the worker initializer, run here without a cap
    assert ocr.OCR_MEMORY_MB == 3000

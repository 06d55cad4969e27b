"""The scale-out fault test at ``make test`` size: two webhook workers on PostgreSQL behind the proxy
(nginx when installed, else the built-in one), Telegram-style retries and duplicate deliveries, a worker
killed with SIGKILL, PostgreSQL refusing connections for 3 s, then SIGTERM of all and a restart.
Skipped when PostgreSQL is unreachable. The full size runs in ``make bench`` (bench/faults.py)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from bench.scaleout import max_in_window, nginx_config, postgres_reason, run_faults, small_plan


@pytest.mark.postgres
@pytest.mark.timeout(150)
async def test_no_update_or_reminder_lost_through_kill_outage_and_sigterm(tmp_path):
    reason = postgres_reason()
    if reason:
        pytest.skip(reason)
    out = await run_faults(small_plan(), tmp_path, log=lambda _m: None)
    detail = out.summary() + "\n" + "\n".join(out.events)
    assert out.sent == 60 and out.deliveries > out.sent, detail  # duplicates and retries happened
    assert out.non_200 > 0, detail  # the outage and the killed worker were noticed by the sender
    assert out.lost == 0, detail
    # the documented window: a worker killed between its reply and the done mark answers twice
    assert out.doubled <= 1, detail
    assert out.reminders_lost == 0 and out.reminders_sent == out.reminders_expected, detail
    assert out.reminders_doubled <= out.reminders_resent_labelled, detail  # every re-send says 补发
    assert out.exit_codes and all(code == 0 for code in out.exit_codes), detail  # SIGTERM: clean exits
    assert out.max_group_per_min <= 20 and out.max_bot_per_s <= 30, detail


def test_window_counting():
    assert max_in_window([0.0, 0.5, 0.99, 1.0, 1.5, 3.0], 1.0) == 3
    assert max_in_window([], 60.0) == 0


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx-light)")
def test_the_projects_nginx_configuration_is_valid(tmp_path):
    conf = nginx_config(tmp_path, 18080, [18081, 18082, 18083])
    result = subprocess.run(["nginx", "-t", "-c", str(conf), "-p", str(tmp_path), "-e", str(tmp_path / "e.log")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "server 127.0.0.1:18083" in conf.read_text()

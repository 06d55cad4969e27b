"""How ``nianbao parse`` and ``nianbao validate`` read a file: in the bot's worker, under its bounds.

A hostile file (a punycode HTML page, a PDF flate bomb) costs the CLI what it costs the bot — the
time limit and memory cap of ``NIANBAO_PARSE_TIMEOUT`` / ``NIANBAO_PARSE_MEMORY_MB`` — not minutes and
gigabytes. ``--in-process`` reads in the CLI's own process without bounds, for a debugger or a profiler.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from bot.reading import ReadResult


def add_flag(p: argparse.ArgumentParser) -> None:
    """Add ``--in-process`` to a sub-command."""
    p.add_argument("--in-process", action="store_true",
                   help="在本进程内读取，不用工作进程的时间和内存限制（调试用）")


def reader(args: argparse.Namespace) -> Callable[[str], list[ReadResult]]:
    """``path → results`` as the flags ask: the bounded worker by default."""
    if getattr(args, "in_process", False):
        from bot.reading import read_path

        return read_path
    from bot.config import load_settings
    from bot.reading.api import configure_pool, read_path_in_worker

    settings = load_settings()
    # one file at a time: one worker
    configure_pool(workers=1, memory_mb=settings.parse_memory_mb, recycle_mb=settings.parse_recycle_mb,
                   ocr_memory_mb=settings.ocr_memory_mb, ocr_seconds_per_page=settings.ocr_seconds_per_page)
    timeout = settings.parse_timeout
    return lambda path: read_path_in_worker(path, timeout=timeout)


def finish() -> None:
    """Stop the worker (a CLI run leaves no process behind)."""
    from bot.reading import shutdown_pool

    shutdown_pool()

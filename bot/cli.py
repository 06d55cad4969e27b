"""The ``nianbao`` command line (CONTRACT.md "Command line").

Each sub-command lives beside the code it drives and exposes ``register(subparsers)``; this module only
collects them, so adding a command touches its own module and one line in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

#: Modules that each add one or more sub-commands via ``register(subparsers)``.
COMMAND_MODULES: tuple[str, ...] = (
    "bot.commands.parse",  # nianbao parse
    "bot.commands.validate",  # nianbao validate
    "bot.commands.store",  # nianbao import, nianbao db upgrade
    "bot.commands.ask",  # nianbao ask
    "bot.commands.run",  # nianbao run, nianbao console
    "bot.commands.export",  # nianbao export
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="nianbao",
        description="年报助手：读取、校验政府信息公开工作年度报告，回答问题，发送截止提醒。",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    from bot.config import SettingsError, load_settings

    try:  # every setting checked once, before any work: a typo is one line, not a traceback later
        settings = load_settings()
    except SettingsError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    default_level = "INFO" if args.command == "run" else "WARNING"
    logging.basicConfig(
        level=getattr(logging, settings.log_level or default_level),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # one line per poll and alembic's plugin list are noise in an operator's log
    for noisy in ("httpx", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

"""The command menu: each handler module declares its commands once; /help and setMyCommands both read them.

A module lists ``COMMANDS: list[Command]`` beside its ``register(app)``. ``bot/app.py`` feeds every
declaration to Telegram's menu (setMyCommands) and /help groups the same list by task, so a command cannot
be answered yet missing from the menu or the help (tests/handlers/test_help.py checks all three agree).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: The tasks /help is grouped by, in order (a civil servant looks for what she wants to do).
TASKS: tuple[str, ...] = ("收报告", "问数", "提醒", "导出", "管理")
TASKS_EN = {"收报告": "Reports", "问数": "Questions", "提醒": "Reminders", "导出": "Export", "管理": "Admin"}


@dataclass(frozen=True)
class Command:
    """One chat command: its menu description (≤ 256 chars) and how /help shows it."""

    name: str
    description: str
    task: str
    #: the /help line after the command, e.g. "单位 [年份] 查看某份报告"; defaults to ``description``
    usage: str = ""
    #: shown in /help only when the reader is English
    usage_en: str = ""

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"/{self.name}: unknown task {self.task!r}; one of {TASKS}")


def declared(modules: Iterable[Any]) -> list[Command]:
    """Every module's ``COMMANDS`` in module order, each command once."""
    seen: set[str] = set()
    result: list[Command] = []
    for module in modules:
        for command in getattr(module, "COMMANDS", []):
            if command.name not in seen:
                seen.add(command.name)
                result.append(command)
    return result


def help_text(commands: list[Command], *, lang: str = "zh") -> str:
    """The command part of /help: one block per task, one line per command."""
    blocks = []
    for task in TASKS:
        lines = []
        for command in commands:
            if command.task != task:
                continue
            usage = (command.usage_en or command.description) if lang == "en" else (command.usage or command.description)
            lines.append(f"/{command.name} {usage}")
        if lines:
            title = TASKS_EN[task] if lang == "en" else task
            blocks.append(f"【{title}】\n" + "\n".join(lines))
    return "\n\n".join(blocks)

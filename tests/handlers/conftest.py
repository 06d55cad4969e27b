"""The real bot (``bot.app.build_application``) running by long polling against the fake Bot API.

``start_bot(**settings)`` is an async context manager yielding a :class:`Harness`; ``harness`` is the
same with default settings (no allowlist, global admin 999).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.config import Settings
from tests.support.fake_telegram import FakeTelegram, polling

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GLOBAL_ADMIN = 999


def settings_for(tg: FakeTelegram, tmp_path: Path, **overrides: Any) -> Settings:
    """Settings pointing at the fake server (aliases, as in the environment)."""
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "TELEGRAM_API_FILE_URL": tg.file_url,
        "NIANBAO_DATA_DIR": str(tmp_path / "data"),
        "NIANBAO_ADMINS": str(GLOBAL_ADMIN),
        "NIANBAO_PARSE_TIMEOUT": "20",
        # reminder ticks only where a test asks for them: a real January date must not add messages
        "NIANBAO_SCHEDULER": "false",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Harness:
    """The fake Telegram, the running application and its database."""

    tg: FakeTelegram
    app: Any
    db: Any
    settings: Settings


@pytest.fixture(autouse=True)
def no_unexpected_bot_errors(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test whose bot hit an unexpected error: the user saw an apology, not what the test checks.

    A test that provokes one on purpose says so with ``@pytest.mark.bot_error``.
    """
    yield
    if request.node.get_closest_marker("bot_error"):
        return
    errors = [r for r in caplog.get_records("call") if r.name == "handlers.errors" and r.levelno >= logging.ERROR]
    assert not errors, "the bot hit an unexpected error:\n" + "\n".join(
        f"{r.getMessage()}: {r.exc_info[1]!r}" if r.exc_info else r.getMessage() for r in errors)


@pytest.fixture
def start_bot(sqlite_db: Any, tmp_path: Path) -> Callable[..., Any]:
    """``async with start_bot(NIANBAO_ALLOWED_CHATS="-1001") as h:`` — a running bot on a fresh SQLite db.

    ``sequential=True`` processes updates one at a time, so once a later update is answered every
    earlier one is finished (how the tests prove that something did NOT happen).
    """

    @contextlib.asynccontextmanager
    async def _start(tg: FakeTelegram | None = None, *, db: Any = None, rate_limit: bool = True,
                     sequential: bool = False, **overrides: Any) -> AsyncIterator[Harness]:
        async with contextlib.AsyncExitStack() as stack:
            if tg is None:
                tg = await stack.enter_async_context(FakeTelegram())
            settings = settings_for(tg, tmp_path, **overrides)
            app = build_application(settings, db=db or sqlite_db, rate_limit=rate_limit,
                                    concurrent_updates=1 if sequential else 64)
            await stack.enter_async_context(polling(app))
            yield Harness(tg, app, db or sqlite_db, settings)

    return _start


@pytest.fixture
async def harness(start_bot: Callable[..., Any]) -> AsyncIterator[Harness]:
    """A running bot with default settings."""
    async with start_bot() as h:
        yield h


def seed_files() -> list[Path]:
    """The five real reports bundled in examples/."""
    return sorted(EXAMPLES.glob("*.txt"))

"""The bot as its own process for the e2e benchmark, started the way ``nianbao run`` starts it.

Running it apart from the fake Bot API and the generated files makes its peak memory the bot's own,
as on a server; ``run_polling`` is what production uses, and SIGTERM stops it as systemd would.
"""

from __future__ import annotations

import logging
from typing import Any


def serve(values: dict[str, Any], rate_limit: bool) -> None:
    """Build the application from settings ``values`` and poll until SIGTERM."""
    from bot.app import build_application
    from bot.config import Settings

    logging.basicConfig(level=logging.WARNING)
    app = build_application(Settings(**values), rate_limit=rate_limit)
    app.run_polling(poll_interval=0.0, timeout=1, close_loop=True)

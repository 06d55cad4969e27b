"""``python -m bot`` is the ``nianbao`` command."""

from bot.cli import main

raise SystemExit(main())

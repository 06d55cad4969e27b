"""The fake Telegram Bot API for end-to-end tests (the implementation lives in ``bot.console``).

``nianbao console`` drives the real bot through the same server, so it ships with the package; tests
import it from here::

    from tests.support.fake_telegram import FakeTelegram, polling, bare_application

    async with FakeTelegram() as tg:
        app = bare_application(tg)        # or bot.app.build_application(settings pointed at tg)
        your_module.register(app)
        async with polling(app):
            await tg.send_command(tg.group(-100123, admins=[1]), "deadline", user_id=1)
            messages = await tg.wait_messages(-100123, 1)

See :class:`bot.console.FakeTelegram` for the virtual user (send_text, send_command, send_document,
press, migrate), what the bot did (calls, calls_to, bot_messages, texts, file_bytes, wait_*), and
scripted errors (fail).
"""

from bot.console import BOT_USERNAME, TOKEN, Call, FakeTelegram, bare_application, polling

__all__ = ["BOT_USERNAME", "TOKEN", "Call", "FakeTelegram", "bare_application", "polling"]

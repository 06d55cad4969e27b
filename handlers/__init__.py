"""Thin python-telegram-bot handlers: parse the update, call a service or repository, send the reply.

Each feature module exposes ``register(app)``; ``bot.app.build_application`` calls them in order.
"""

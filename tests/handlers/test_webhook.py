"""Webhook mode: the secret header is checked, /healthz answers, updates reach the same handlers."""

from __future__ import annotations

import asyncio
import json

from aiohttp.test_utils import TestClient, TestServer

from bot.app import SECRET_HEADER, build_application, webhook_path, webhook_server
from bot.commands.run import serve_webhook
from tests.handlers.conftest import settings_for
from tests.support.fake_telegram import FakeTelegram


def help_update(tg: FakeTelegram, update_id: int, chat_id: int) -> dict:
    tg.private(chat_id)
    return {"update_id": update_id, "message": {
        "message_id": 70 + update_id, "date": 1700000000, "chat": tg.chats[chat_id], "from": tg.user(chat_id),
        "text": "/help", "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}


async def test_secret_checked_and_healthz(tmp_path, sqlite_db):
    async with FakeTelegram() as tg:
        app = build_application(settings_for(tg, tmp_path), db=sqlite_db)
        await app.initialize()
        await app.start()
        try:
            async with TestClient(TestServer(webhook_server(app, secret="s3cret", path="/hook"))) as client:
                health = await client.get("/healthz")
                assert health.status == 200 and (await health.json())["ok"] is True
                body = json.dumps(help_update(tg, 1, 41))
                missing = await client.post("/hook", data=body)
                wrong = await client.post("/hook", data=body, headers={SECRET_HEADER: "guess"})
                assert missing.status == 403 and wrong.status == 403
                bad = await client.post("/hook", data="{not json", headers={SECRET_HEADER: "s3cret"})
                assert bad.status == 400
                assert tg.texts(41) == []
                good = await client.post("/hook", data=body, headers={SECRET_HEADER: "s3cret"})
                assert good.status == 200
                [reply] = await tg.wait_messages(41, 1)
                assert "/reports" in reply["text"]
                # Telegram retries the same update: answered once
                again = await client.post("/hook", data=body, headers={SECRET_HEADER: "s3cret"})
                assert again.status == 200
                await client.post("/hook", data=json.dumps(help_update(tg, 2, 42)),
                                  headers={SECRET_HEADER: "s3cret"})
                await tg.wait_messages(42, 1)
        finally:
            await app.stop()
            await app.shutdown()
    assert len(tg.texts(41)) == 1


async def test_serve_webhook_registers_with_secret_and_stops_cleanly(tmp_path, sqlite_db, unused_tcp_port):
    async with FakeTelegram() as tg:
        settings = settings_for(
            tg, tmp_path,
            NIANBAO_WEBHOOK_URL="https://bot.example.gov.cn/tg/hook",
            NIANBAO_LISTEN=f"127.0.0.1:{unused_tcp_port}",
        )
        assert webhook_path(settings) == "/tg/hook"
        app = build_application(settings, db=sqlite_db)
        stop = asyncio.Event()
        task = asyncio.create_task(serve_webhook(app, settings, stop=stop))
        [call] = await tg.wait_calls("setWebhook")
        assert call.params["url"] == "https://bot.example.gov.cn/tg/hook"
        secret = call.params["secret_token"]
        assert len(secret) >= 32  # generated when NIANBAO_WEBHOOK_SECRET is unset
        from aiohttp import ClientSession

        async with ClientSession() as session:
            url = f"http://127.0.0.1:{unused_tcp_port}"
            for _ in range(50):
                try:
                    async with session.get(f"{url}/healthz") as resp:
                        assert resp.status == 200
                        break
                except OSError:
                    await asyncio.sleep(0.05)
            async with session.post(f"{url}/tg/hook", json=help_update(tg, 3, 43),
                                    headers={SECRET_HEADER: secret}) as resp:
                assert resp.status == 200
        await tg.wait_messages(43, 1)
        stop.set()
        await asyncio.wait_for(task, 10)
        assert not app.running

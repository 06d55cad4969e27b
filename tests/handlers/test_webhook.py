"""Webhook mode: the secret header is checked, /healthz answers, updates reach the same handlers."""

from __future__ import annotations

import asyncio
import json

import pytest
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


async def test_a_worker_listens_only_once_warm(tmp_path, sqlite_db, unused_tcp_port, monkeypatch):
    """The segmenter's load holds the GIL for a second or two and slowed every done mark tenfold (the
    fault test's doubles): until it is loaded the port is closed and the proxy uses the other workers."""
    import threading

    import bot.questions

    loaded = threading.Event()
    monkeypatch.setattr(bot.questions, "warm_up", lambda: loaded.wait(10))
    async with FakeTelegram() as tg:
        settings = settings_for(tg, tmp_path, NIANBAO_WEBHOOK_URL="https://bot.example.gov.cn/hook",
                                NIANBAO_LISTEN=f"127.0.0.1:{unused_tcp_port}")
        app = build_application(settings, db=sqlite_db)
        stop = asyncio.Event()
        task = asyncio.create_task(serve_webhook(app, settings, stop=stop))
        await tg.wait_calls("setWebhook")
        await asyncio.sleep(0.3)
        with pytest.raises(OSError):  # still warming up: refused
            await asyncio.open_connection("127.0.0.1", unused_tcp_port)
        loaded.set()
        for _ in range(100):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", unused_tcp_port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.05)
        else:
            raise AssertionError("not listening after the warm-up")
        stop.set()
        await asyncio.wait_for(task, 10)


async def _raw_post(port: int, path: str, headers: list[bytes], body: bytes) -> int:
    """POST with raw header bytes (aiohttp's client refuses a non-UTF-8 header); returns the status."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = [f"POST {path} HTTP/1.1".encode(), b"Host: 127.0.0.1", f"Content-Length: {len(body)}".encode(),
            b"Content-Type: application/json", b"Connection: close", *headers]
    writer.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    return int(status_line.split()[1])


async def test_hostile_requests_are_refused_cleanly(tmp_path, sqlite_db, caplog):
    """Issue 19: non-UTF-8 secret → 403, 3 MB → 413, update_id 2^70 → 400 (nothing stored, no traceback)."""
    from storage import inbox

    async with FakeTelegram() as tg:
        app = build_application(settings_for(tg, tmp_path), db=sqlite_db)
        await app.initialize()
        await app.start()
        try:
            server = TestServer(webhook_server(app, secret="s3cret", path="/hook"))
            async with TestClient(server) as client:
                body = json.dumps(help_update(tg, 1, 41)).encode()
                assert await _raw_post(server.port, "/hook", [SECRET_HEADER.encode() + b": \xff\xfe"], body) == 403
                big = b'{"update_id": 1, "pad": "' + b"x" * (3 * 1024 * 1024) + b'"}'
                huge = await client.post("/hook", data=big, headers={SECRET_HEADER: "s3cret"})
                assert huge.status == 413
                forged = help_update(tg, 2**70, 41)
                bad = await client.post("/hook", data=json.dumps(forged), headers={SECRET_HEADER: "s3cret"})
                assert bad.status == 400
                negative = await client.post("/hook", data=json.dumps(help_update(tg, -5, 41)),
                                             headers={SECRET_HEADER: "s3cret"})
                assert negative.status == 400
        finally:
            await app.stop()
            await app.shutdown()
    assert tg.texts(41) == []
    assert await inbox.stats(sqlite_db, scope=app.bot_data["update_scope"]) == {
        "working": 0, "expired": 0, "oldest_s": 0.0}
    assert not [r for r in caplog.records if r.exc_info]


async def test_healthz_says_only_alive_without_the_token(tmp_path, sqlite_db):
    async with FakeTelegram() as tg:
        app = build_application(settings_for(tg, tmp_path), db=sqlite_db)
        await app.initialize()
        await app.start()
        try:
            server = webhook_server(app, secret="s3cret", path="/hook", health_token="look")
            async with TestClient(TestServer(server)) as client:
                assert await (await client.get("/healthz")).json() == {"ok": True}
                assert await (await client.get("/healthz?token=guess")).json() == {"ok": True}
                full = await (await client.get("/healthz?token=look")).json()
                assert full["bot"] == app.bot.username and full["inbox"]["in_flight"] == 0
                assert "waiting" in full["rate_limit"]
        finally:
            await app.stop()
            await app.shutdown()


async def test_update_acknowledged_only_once_stored(tmp_path, sqlite_url):
    """Database away: 503 (Telegram delivers it again later), one log line; back: 200 and answered."""
    from tests.support.faults import SwitchableDatabase

    db = SwitchableDatabase(sqlite_url)
    async with FakeTelegram() as tg:
        app = build_application(settings_for(tg, tmp_path), db=db)
        await app.initialize()
        await app.start()
        try:
            async with TestClient(TestServer(webhook_server(app, secret="s3cret", path="/hook"))) as client:
                body = json.dumps(help_update(tg, 9, 44))
                db.down = True
                for _ in range(3):
                    refused = await client.post("/hook", data=body, headers={SECRET_HEADER: "s3cret"})
                    assert refused.status == 503
                assert tg.texts(44) == []
                db.down = False
                ok = await client.post("/hook", data=body, headers={SECRET_HEADER: "s3cret"})
                assert ok.status == 200
                await tg.wait_messages(44, 1)
        finally:
            await app.stop()
            await app.shutdown()
            await db.close()
    assert len(tg.texts(44)) == 1


def test_webhook_secret_is_shared_by_every_worker_of_a_bot(tmp_path):
    from bot.app import webhook_secret
    from bot.config import Settings

    def settings(token: str, secret: str | None = None) -> Settings:
        values = {"TELEGRAM_BOT_TOKEN": token}
        if secret:
            values["NIANBAO_WEBHOOK_SECRET"] = secret
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    one, two = webhook_secret(settings("123:abc")), webhook_secret(settings("123:abc"))
    assert one == two and len(one) == 64 and one.isalnum()
    assert webhook_secret(settings("456:def")) != one
    assert webhook_secret(settings("123:abc", "mine")) == "mine"

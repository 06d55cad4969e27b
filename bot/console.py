"""``nianbao console``: a local chat with the bot in the terminal, and the in-process Bot API behind it.

The console runs the REAL application (same handlers as production) against :class:`FakeTelegram`, a
small Bot API server on loopback. The same server drives the end-to-end tests
(``tests/support/fake_telegram.py`` re-exports it): it speaks the wire format PTB 22 uses
(ENGINEERING.md §2.4) — form-encoded, multipart (file part ``document``/``photo``) and JSON bodies,
``{"ok": …, "result": …}`` envelopes, errors as HTTP status + ``parameters`` — and has a virtual user
who sends texts, commands, documents and button presses, plus scriptable errors
(``fail("sendMessage", 429, retry_after=1)``, 403, ``migrate_to_chat_id``) and a record of every call.

Usage in a test::

    async with FakeTelegram() as tg:
        app = build_application(settings.model_copy(update={...tg urls...}), db=db)
        async with polling(app):
            await tg.send_document(tg.private(7), "a.docx", data)
            msgs = await tg.wait_messages(7, 1)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-TOKEN"
BOT_ID = 123456
BOT_USERNAME = "nianbao_test_bot"

#: Form fields that PTB sends JSON-encoded.
_JSON_FIELDS = {
    "reply_markup", "commands", "allowed_updates", "entities", "caption_entities", "scope",
    "reply_parameters", "link_preview_options", "media", "results",
}


@dataclass
class Call:
    """One request the bot made: the method name and its decoded parameters."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass
class _Failure:
    status: int
    description: str
    parameters: dict[str, Any] | None
    times: int
    chat_id: int | None


def _decode(key: str, value: Any) -> Any:
    if isinstance(value, str) and key in _JSON_FIELDS:
        with contextlib.suppress(ValueError):
            return json.loads(value)
    if isinstance(value, str) and key in ("chat_id", "message_id", "user_id", "offset", "from_chat_id"):
        with contextlib.suppress(ValueError):
            return int(value)
    return value


def _image_size(data: bytes) -> tuple[int, int]:
    """Width and height of an uploaded picture (Telegram's PhotoSize has both), 0×0 if unreadable."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError):
        return 0, 0


class FakeTelegram:
    """The fake Bot API: HTTP server, chat state, recorded calls and a virtual user."""

    def __init__(self, *, token: str = TOKEN, can_read_all_group_messages: bool = True,
                 first_update_id: int = 1) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "年报助手",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": can_read_all_group_messages,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.languages: dict[int, str] = {}  # user id → Telegram language_code, e.g. "en"
        self.usernames: dict[int, str] = {}  # user id → @username (without @); none: the user has none
        self.names: dict[int, str] = {}  # user id → first name (default 用户<id>)
        self.bots: set[int] = set()  # user ids that are bot accounts
        self.left: dict[int, set[int]] = {}  # chat id → user ids no longer members (getChatMember: left)
        self.updates: list[dict[str, Any]] = []  # not yet confirmed by an offset
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # (chat_id, message_id) → message
        self.files: dict[str, tuple[dict[str, Any], bytes]] = {}  # file_id → (File, bytes)
        self.chats: dict[int, dict[str, Any]] = {}
        #: chat id → user ids that are administrators (the first is the creator)
        self.admins: dict[int, list[int]] = {}
        self.bot_is_admin: dict[int, bool] = {}
        self.webhook: dict[str, Any] | None = None
        self.commands: list[dict[str, Any]] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._update_ids = itertools.count(first_update_id)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------------ server lifecycle
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """Value for ``ApplicationBuilder.base_url`` / TELEGRAM_API_BASE_URL (token appended by PTB)."""
        return f"{self.url}/bot"

    @property
    def file_url(self) -> str:
        """Value for ``ApplicationBuilder.base_file_url`` / TELEGRAM_API_FILE_URL."""
        return f"{self.url}/file/bot"

    async def start(self, port: int = 0) -> FakeTelegram:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._api)
        app.router.add_get("/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.*}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ chats and users
    def user(self, user_id: int, name: str | None = None) -> dict[str, Any]:
        """A (non-bot) user object; its Telegram language is ``languages[user_id]`` (default zh-hans)."""
        user = {"id": user_id, "is_bot": user_id in self.bots,
                "first_name": name or self.names.get(user_id) or f"用户{user_id}",
                "language_code": self.languages.get(user_id, "zh-hans")}
        if user_id in self.usernames:
            user["username"] = self.usernames[user_id]
        return user

    def private(self, user_id: int) -> int:
        """Register the private chat with ``user_id``; returns its chat id (== user id)."""
        self.chats.setdefault(user_id, {"id": user_id, "type": "private", "first_name": f"用户{user_id}"})
        return user_id

    def group(self, chat_id: int, title: str = "政务公开工作群", *, admins: list[int] | None = None,
              bot_admin: bool = False) -> int:
        """Register a group (negative id; ``-100…`` makes it a supergroup) and its administrators."""
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        self.chats[chat_id] = {"id": chat_id, "type": kind, "title": title}
        self.admins[chat_id] = list(admins or [])
        self.bot_is_admin[chat_id] = bot_admin
        return chat_id

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id not in self.chats:
            if chat_id > 0:
                self.private(chat_id)
            else:
                self.group(chat_id)
        return self.chats[chat_id]

    # ------------------------------------------------------------------ the virtual user
    def _message(self, chat_id: int, user_id: int, **content: Any) -> dict[str, Any]:
        msg = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": self.user(user_id),
            **content,
        }
        self.messages[(chat_id, msg["message_id"])] = msg
        return msg

    async def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update (``update_id`` is assigned when missing) for getUpdates."""
        update.setdefault("update_id", next(self._update_ids))
        async with self._changed:
            self.updates.append(update)
            self._changed.notify_all()
        return update

    async def send_text(self, chat_id: int, text: str, *, user_id: int | None = None,
                        reply_to: int | None = None, entities: list[dict[str, Any]] | None = None
                        ) -> dict[str, Any]:
        """The user types ``text`` in a chat. Commands and @mentions get their entities.

        ``reply_to`` is the message id this message answers (e.g. a bot message). Returns the update.
        """
        user_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1)
        content: dict[str, Any] = {"text": text}
        entities_extra = list(entities or [])  # e.g. a text_mention the client made for a user
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        mention = "@" + BOT_USERNAME
        if mention in text:
            entities.append({"type": "mention", "offset": text.index(mention), "length": len(mention)})
        entities += entities_extra
        if entities:
            content["entities"] = entities
        if reply_to is not None:
            content["reply_to_message"] = self.messages[(chat_id, reply_to)]
        return await self.push_update({"message": self._message(chat_id, user_id, **content)})

    async def send_command(self, chat_id: int, command: str, *args: str, user_id: int | None = None
                           ) -> dict[str, Any]:
        """Shorthand for ``send_text(chat, "/command arg…")``."""
        text = " ".join(["/" + command.lstrip("/"), *args])
        return await self.send_text(chat_id, text, user_id=user_id)

    def add_file(self, data: bytes, *, file_path_name: str = "file.bin", file_size: int | None = None
                 ) -> dict[str, Any]:
        """Store bytes as a Telegram file; returns the ``File`` object."""
        n = next(self._file_ids)
        file_id = f"F{n}-{abs(hash(data)) % 10**8}"
        info = {
            "file_id": file_id,
            "file_unique_id": f"U{abs(hash(data)) % 10**12}",
            "file_size": len(data) if file_size is None else file_size,
            "file_path": f"documents/{file_id}_{file_path_name}",
        }
        self.files[file_id] = (info, data)
        return info

    async def send_document(self, chat_id: int, filename: str, data: bytes, *, user_id: int | None = None,
                            file_size: int | None = None, caption: str | None = None,
                            reply_to: int | None = None, mime_type: str = "application/octet-stream"
                            ) -> dict[str, Any]:
        """The user sends a file. ``file_size`` may claim a different size (to test the 20 MB check)."""
        user_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1)
        info = self.add_file(data, file_path_name="doc" + filename[filename.rfind("."):], file_size=file_size)
        document = {
            "file_id": info["file_id"],
            "file_unique_id": info["file_unique_id"],
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": info["file_size"],
        }
        content: dict[str, Any] = {"document": document}
        if caption:
            content["caption"] = caption
        if reply_to is not None:
            content["reply_to_message"] = self.messages[(chat_id, reply_to)]
        return await self.push_update({"message": self._message(chat_id, user_id, **content)})

    async def press(self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None
                    ) -> dict[str, Any]:
        """The user presses an inline button with callback ``data`` under a bot message."""
        user_id = user_id if user_id is not None else (chat_id if chat_id > 0 else 1)
        query = {
            "id": f"Q{next(self._update_ids)}",
            "from": self.user(user_id),
            "chat_instance": f"CI{chat_id}",
            "data": data,
            "message": self.messages[(chat_id, message_id)],
        }
        return await self.push_update({"callback_query": query})

    async def migrate(self, old_chat_id: int, new_chat_id: int) -> dict[str, Any]:
        """The group is upgraded to a supergroup: the service message Telegram sends in the old chat."""
        title = self._chat(old_chat_id).get("title", "")
        self.chats[new_chat_id] = {"id": new_chat_id, "type": "supergroup", "title": title}
        self.admins[new_chat_id] = list(self.admins.get(old_chat_id, []))
        return await self.push_update(
            {"message": self._message(old_chat_id, 1, migrate_to_chat_id=new_chat_id)}
        )

    # ------------------------------------------------------------------ what the bot did
    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot sent in a chat (current text after edits), oldest first."""
        return [
            m for (cid, _), m in sorted(self.messages.items(), key=lambda kv: kv[0][1])
            if cid == chat_id and m.get("from", {}).get("id") == self.bot_user["id"]
        ]

    def texts(self, chat_id: int) -> list[str]:
        """Text (or caption) of every bot message in a chat."""
        return [m.get("text") or m.get("caption") or "" for m in self.bot_messages(chat_id)]

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked after every call); returns its value."""
        async def _wait() -> Any:
            async with self._changed:
                while True:
                    value = predicate()
                    if value:
                        return value
                    await self._changed.wait()
        return await asyncio.wait_for(_wait(), timeout)

    async def wait_messages(self, chat_id: int, count: int, timeout: float = 15.0) -> list[dict[str, Any]]:
        """Wait until the bot has sent at least ``count`` messages in a chat; returns them all."""
        await self.wait_for(lambda: len(self.bot_messages(chat_id)) >= count, timeout)
        return self.bot_messages(chat_id)

    async def wait_calls(self, method: str, count: int = 1, timeout: float = 15.0) -> list[Call]:
        """Wait until the bot has called ``method`` at least ``count`` times."""
        await self.wait_for(lambda: len(self.calls_to(method)) >= count, timeout)
        return self.calls_to(method)

    async def wait_confirmed(self, timeout: float = 15.0) -> None:
        """Wait until every queued update has been fetched and confirmed by the bot's offset."""
        await self.wait_for(lambda: not self.updates, timeout)

    # ------------------------------------------------------------------ scripted errors
    def fail(self, method: str, status: int, description: str | None = None, *, times: int = 1,
             chat_id: int | None = None, retry_after: int | None = None,
             migrate_to_chat_id: int | None = None) -> None:
        """Make the next ``times`` calls of ``method`` (optionally only for ``chat_id``) fail."""
        params: dict[str, Any] = {}
        if retry_after is not None:
            params["retry_after"] = retry_after
        if migrate_to_chat_id is not None:
            params["migrate_to_chat_id"] = migrate_to_chat_id
        default = {
            400: "Bad Request: group chat was upgraded to a supergroup chat" if migrate_to_chat_id
            else "Bad Request",
            403: "Forbidden: bot was kicked from the group chat",
            429: f"Too Many Requests: retry after {retry_after}",
        }.get(status, "Error")
        self._failures.setdefault(method, []).append(
            _Failure(status, description or default, params or None, times, chat_id)
        )

    def _take_failure(self, method: str, params: dict[str, Any]) -> _Failure | None:
        for f in self._failures.get(method, []):
            if f.times > 0 and (f.chat_id is None or f.chat_id == params.get("chat_id")):
                f.times -= 1
                return f
        return None

    # ------------------------------------------------------------------ HTTP
    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                for key, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        params[key] = {"filename": value.filename, "data": value.file.read(),
                                       "content_type": value.content_type}
                    else:
                        params[key] = value
        return {k: _decode(k, v) for k, v in params.items()}

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"},
                                     status=401)
        method = request.match_info["method"]
        params = await self._params(request)
        handler = getattr(self, "_m_" + method, None)
        failure = self._take_failure(method, params)
        async with self._changed:
            self.calls.append(Call(method, params))
            self._changed.notify_all()
        if failure is not None:
            body: dict[str, Any] = {"ok": False, "error_code": failure.status,
                                    "description": failure.description}
            if failure.parameters:
                body["parameters"] = failure.parameters
            return web.json_response(body, status=failure.status)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 400, "description": f"Bad Request: fake has no method {method}"},
                status=400)
        try:
            result = await handler(params)
        except LookupError as exc:
            return web.json_response({"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"},
                                     status=400)
        async with self._changed:
            self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        async with self._changed:
            self.calls.append(Call("download", {"file_path": path}))
            self._changed.notify_all()
        for info, data in self.files.values():
            if info["file_path"] == path:
                return web.Response(body=data)
        return web.Response(status=404)

    # ------------------------------------------------------------------ methods
    async def _m_getMe(self, p: dict[str, Any]) -> Any:
        return self.bot_user

    async def _m_logOut(self, p: dict[str, Any]) -> Any:
        return True

    async def _m_close(self, p: dict[str, Any]) -> Any:
        return True

    async def _m_deleteWebhook(self, p: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _m_setWebhook(self, p: dict[str, Any]) -> Any:
        self.webhook = p
        return True

    async def _m_getWebhookInfo(self, p: dict[str, Any]) -> Any:
        return {"url": (self.webhook or {}).get("url", ""), "has_custom_certificate": False,
                "pending_update_count": len(self.updates)}

    async def _m_getUpdates(self, p: dict[str, Any]) -> Any:
        offset = int(p.get("offset") or 0)
        timeout = float(p.get("timeout") or 0)
        limit = int(p.get("limit") or 100)
        async with self._changed:
            if offset:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                self._changed.notify_all()
            deadline = time.monotonic() + timeout
            while not self.updates and time.monotonic() < deadline:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())
            return self.updates[:limit]

    def _sent(self, p: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = p["chat_id"]
        if chat_id not in self.chats and not isinstance(chat_id, int):
            raise LookupError("chat not found")
        msg: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": dict(self.bot_user),
            **content,
        }
        if (p.get("reply_markup") or {}).get("inline_keyboard"):  # as Telegram: a ForceReply is not echoed
            msg["reply_markup"] = p["reply_markup"]
        reply = p.get("reply_parameters") or {}
        reply_id = reply.get("message_id") or p.get("reply_to_message_id")
        if reply_id and (chat_id, int(reply_id)) in self.messages:
            msg["reply_to_message"] = self.messages[(chat_id, int(reply_id))]
        self.messages[(chat_id, msg["message_id"])] = msg
        return msg

    async def _m_sendMessage(self, p: dict[str, Any]) -> Any:
        text = p.get("text", "")
        if len(text) > 4096:
            raise LookupError("message is too long")
        if p.get("entities"):  # as Telegram: the message carries the entities it was sent with
            return self._sent(p, text=text, entities=p["entities"])
        return self._sent(p, text=text)

    def _upload(self, p: dict[str, Any], part: str, kind: str) -> dict[str, Any]:
        value = p.get(part)
        if isinstance(value, dict):  # multipart upload
            info = self.add_file(value["data"], file_path_name=value.get("filename") or part)
            obj = {"file_id": info["file_id"], "file_unique_id": info["file_unique_id"],
                   "file_size": info["file_size"], "file_name": value.get("filename")}
        elif isinstance(value, str) and value in self.files:  # resend by file_id
            info = self.files[value][0]
            obj = {"file_id": value, "file_unique_id": info["file_unique_id"], "file_size": info["file_size"]}
        else:
            raise LookupError(f"{part} missing")
        if kind == "photo":  # a PhotoSize: no name, but its pixel size (from the PNG/JPEG header)
            obj.pop("file_name", None)
            obj["width"], obj["height"] = _image_size(self.files[obj["file_id"]][1])
        content: dict[str, Any] = {kind: obj if kind == "document" else [obj]}
        if p.get("caption"):
            content["caption"] = p["caption"]
        return self._sent(p, **content)

    async def _m_sendDocument(self, p: dict[str, Any]) -> Any:
        return self._upload(p, "document", "document")

    async def _m_sendPhoto(self, p: dict[str, Any]) -> Any:
        return self._upload(p, "photo", "photo")

    def file_bytes(self, message: dict[str, Any]) -> bytes:
        """The bytes of a document/photo the bot sent in ``message``."""
        obj = message.get("document") or (message.get("photo") or [None])[-1]
        return self.files[obj["file_id"]][1]

    async def _m_editMessageText(self, p: dict[str, Any]) -> Any:
        if "inline_message_id" in p:
            return True
        key = (p["chat_id"], int(p["message_id"]))
        if key not in self.messages:
            raise LookupError("message to edit not found")
        msg = self.messages[key]
        if msg.get("text") == p.get("text") and msg.get("reply_markup") == p.get("reply_markup"):
            raise LookupError("message is not modified")
        msg["text"] = p.get("text", "")
        msg["edit_date"] = int(time.time())
        if p.get("reply_markup"):
            msg["reply_markup"] = p["reply_markup"]
        else:
            msg.pop("reply_markup", None)
        return msg

    async def _m_editMessageReplyMarkup(self, p: dict[str, Any]) -> Any:
        msg = self.messages[(p["chat_id"], int(p["message_id"]))]
        if p.get("reply_markup"):
            msg["reply_markup"] = p["reply_markup"]
        else:
            msg.pop("reply_markup", None)
        return msg

    async def _m_deleteMessage(self, p: dict[str, Any]) -> Any:
        self.messages.pop((p["chat_id"], int(p["message_id"])), None)
        return True

    async def _m_sendChatAction(self, p: dict[str, Any]) -> Any:
        return True

    async def _m_answerCallbackQuery(self, p: dict[str, Any]) -> Any:
        return True

    async def _m_getFile(self, p: dict[str, Any]) -> Any:
        file_id = p.get("file_id")
        if file_id not in self.files:
            raise LookupError("wrong file_id or the file is temporarily unavailable")
        info = self.files[file_id][0]
        if info["file_size"] > 20 * 1024 * 1024:
            raise LookupError("file is too big")
        return info

    async def _m_setMyCommands(self, p: dict[str, Any]) -> Any:
        self.commands = p.get("commands") or []
        return True

    async def _m_deleteMyCommands(self, p: dict[str, Any]) -> Any:
        self.commands = []
        return True

    async def _m_getMyCommands(self, p: dict[str, Any]) -> Any:
        return self.commands

    async def _m_getChat(self, p: dict[str, Any]) -> Any:
        return {**self._chat(p["chat_id"]), "accent_color_id": 0, "max_reaction_count": 11}

    def _member(self, chat_id: int, user_id: int) -> dict[str, Any]:
        if user_id == self.bot_user["id"]:
            if self.bot_is_admin.get(chat_id):
                return {"status": "administrator", "user": self.bot_user, **_ADMIN_RIGHTS}
            return {"status": "member", "user": self.bot_user}
        admins = self.admins.get(chat_id, [])
        if user_id in self.left.get(chat_id, set()):
            return {"status": "left", "user": self.user(user_id)}
        if user_id in admins:
            if admins.index(user_id) == 0:
                return {"status": "creator", "user": self.user(user_id), "is_anonymous": False}
            return {"status": "administrator", "user": self.user(user_id), **_ADMIN_RIGHTS}
        return {"status": "member", "user": self.user(user_id)}

    async def _m_getChatAdministrators(self, p: dict[str, Any]) -> Any:
        chat_id = p["chat_id"]
        members = [self._member(chat_id, uid) for uid in self.admins.get(chat_id, [])]
        if self.bot_is_admin.get(chat_id):
            members.append(self._member(chat_id, self.bot_user["id"]))
        return members

    async def _m_getChatMember(self, p: dict[str, Any]) -> Any:
        return self._member(p["chat_id"], int(p["user_id"]))

    async def _m_leaveChat(self, p: dict[str, Any]) -> Any:
        return True


_ADMIN_RIGHTS = {
    "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True, "can_delete_messages": True,
    "can_manage_video_chats": True, "can_restrict_members": True, "can_promote_members": False,
    "can_change_info": True, "can_invite_users": True, "can_post_stories": False,
    "can_edit_stories": False, "can_delete_stories": False,
}


@contextlib.asynccontextmanager
async def polling(application: Any, *, timeout: int = 1) -> AsyncIterator[Any]:
    """Run a PTB ``Application`` with long polling for the duration of the block, then stop it cleanly.

    Mirrors what ``run_polling`` does, without owning the event loop (ENGINEERING.md §1.2).
    """
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    await application.updater.start_polling(poll_interval=0.0, timeout=timeout, allowed_updates=None)
    await application.start()
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


def bare_application(fake: FakeTelegram, **builder_options: Any) -> Any:
    """A plain PTB Application pointed at ``fake`` (for engineers testing a single ``register(app)``)."""
    from telegram.ext import ApplicationBuilder

    builder = ApplicationBuilder().token(fake.token).base_url(fake.base_url).base_file_url(fake.file_url)
    for name, value in builder_options.items():
        getattr(builder, name)(value)
    return builder.build()


# ============================================================================================ the console
CONSOLE_USER_ID = 10001
#: The console's private chat: its reports live in this workspace (the CLI's ``--chat`` default is 0).
CONSOLE_CHAT_ID = CONSOLE_USER_ID
CONSOLE_HELP = f"""本地对话（不连接 Telegram）。直接输入问题或命令，例如：
  /send examples/000_8a98d14e0f134c31.txt   发送一个文件（docx/pdf/txt/html/zip）或整个文件夹
  /reports   /report 青石山 2021   /help
  /press 1   按下机器人最后一条消息上的第 1 个按钮
  /quit      退出（或 Ctrl-C）
本对话的数据存在工作区 {CONSOLE_CHAT_ID}：命令行可用 --chat {CONSOLE_CHAT_ID} 查看同一份数据，
如 nianbao ask "鹿山收到多少申请" --chat {CONSOLE_CHAT_ID}。"""


def session_update_base() -> int:
    """The first update id of a console session: microseconds since the epoch.

    The bot drops an update id it has already processed (webhook retries), and those ids are kept in the
    database. A console session that restarted at 1 would find every id of the last session there and
    answer nothing; ids taken from the clock never repeat across sessions (a session would need more
    updates than microseconds between two starts), and stay far below BIGINT.
    """
    return time.time_ns() // 1000


class Transcript:
    """Prints what the bot sent (new messages and edits) since the last look."""

    def __init__(self, tg: FakeTelegram, chat_id: int, out_dir: Any) -> None:
        self.tg = tg
        self.chat_id = chat_id
        self.out_dir = out_dir
        self.shown: dict[int, str] = {}
        self.buttons: list[tuple[int, str]] = []  # (message_id, callback_data) of the last keyboard

    def _render(self, msg: dict[str, Any]) -> str:
        text = msg.get("text") or msg.get("caption") or ""
        doc = msg.get("document") or (msg.get("photo") or [None])[-1]
        if doc:
            info = self.tg.files[doc["file_id"]][0]  # a photo has no name: the uploaded one is in its path
            name = doc.get("file_name") or info["file_path"].split("_", 1)[-1]
            path = Path(self.out_dir) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(self.tg.files[doc["file_id"]][1])
            text = f"{text}\n[文件已保存 file saved: {path}]".strip()
        keyboard = (msg.get("reply_markup") or {}).get("inline_keyboard") or []
        labels = []
        for row in keyboard:
            for button in row:
                if "callback_data" in button:
                    self.buttons.append((msg["message_id"], button["callback_data"]))
                    labels.append(f"[{len(self.buttons)}] {button['text']}")
        if labels:
            text += "\n" + "  ".join(labels)
        return text

    def changed(self) -> list[str]:
        """Texts of bot messages that are new or edited since the last call."""
        out = []
        for msg in self.tg.bot_messages(self.chat_id):
            key = msg["message_id"]
            fingerprint = f"{msg.get('text')}|{msg.get('caption')}|{msg.get('reply_markup')}"
            if self.shown.get(key) == fingerprint:
                continue
            if key not in self.shown or msg.get("reply_markup"):
                self.buttons = [b for b in self.buttons if b[0] != key]
            prefix = "🤖 " if key not in self.shown else "🤖 (已更新 edited) "
            self.shown[key] = fingerprint
            out.append(prefix + self._render(msg).replace("\n", "\n   "))
        return out

    async def settle(self, *, quiet: float = 0.6, limit: float = 60.0) -> list[str]:
        """Wait until the bot has said something and then gone quiet; return what it said."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        said: list[str] = []
        last_change = loop.time()
        while loop.time() - start < limit:
            new = self.changed()
            if new:
                said += new
                last_change = loop.time()
            elif said and loop.time() - last_change >= quiet:
                break
            elif not said and loop.time() - start > 30:
                break
            await asyncio.sleep(0.1)
        return said


async def console_session(settings: Any, *, lines: Any = None, echo: Callable[[str], None] = print) -> int:
    """Run the bot against an in-process Bot API and chat with it.

    ``lines`` is an async iterator of input lines (default: the terminal), so a test can script it.
    Like ``nianbao run``, a database that is behind is refused with the command to run (a brand-new one
    is created): the console never changes the schema of a database the operator has not upgraded.
    """
    from bot.app import build_application
    from storage.db import UPGRADE_HINT, Database, DatabaseUnavailable

    async with FakeTelegram(first_update_id=session_update_base()) as tg:
        local = settings.model_copy(update={
            "telegram_bot_token": tg.token,
            "telegram_api_base_url": tg.base_url,
            "telegram_api_file_url": tg.file_url,
            "allowed_chats": [],
        })
        db = Database(local.db_url)
        try:
            status = await db.schema_status()
        except DatabaseUnavailable as exc:
            echo(str(exc))
            await db.close()
            return 2
        if status == "empty":
            await db.upgrade()
        elif status != "current":
            echo(f"数据库结构不是最新，请先运行：{UPGRADE_HINT}\n(The database schema is behind; run `{UPGRADE_HINT}`.)"
                 if status == "behind" else
                 "数据库由更新版本的 nianbao 创建，请升级本程序。(Database is newer than this program.)")
            await db.close()
            return 2
        app = build_application(local, db=db, rate_limit=False)
        chat = tg.private(CONSOLE_CHAT_ID)
        transcript = Transcript(tg, chat, Path(local.data_dir) / "console")
        echo(CONSOLE_HELP)
        try:
            async with polling(app):
                async for line in lines or _terminal_lines():
                    line = line.strip()
                    if not line:
                        continue
                    if line in ("/quit", "/exit", "exit", "quit"):
                        break
                    for one in _expand_folder(line):  # 「/send 文件夹」: each file in turn
                        if await _console_input(tg, chat, transcript, one, echo):
                            for text in await transcript.settle():
                                echo(text)
        finally:
            await db.close()
    return 0


def _send_path(line: str) -> Path:
    return Path(line[len("/send"):].strip().strip("'\"")).expanduser()


SEND_USAGE = "用法：/send 文件或文件夹，例如 /send examples/000_8a98d14e0f134c31.txt"


def _expand_folder(line: str) -> list[str]:
    """``/send folder`` as one ``/send`` line per file in it (sorted, hidden files skipped).

    A bare ``/send`` is not "the current folder": it gets the usage line (``_console_input``)."""
    if not line.startswith("/send") or not line[len("/send"):].strip() or not _send_path(line).is_dir():
        return [line]
    files = sorted(p for p in _send_path(line).iterdir() if p.is_file() and not p.name.startswith("."))
    return [f"/send {p}" for p in files] or [line]


async def _console_input(tg: FakeTelegram, chat: int, transcript: Transcript, line: str,
                         echo: Callable[[str], None]) -> bool:
    """Turn one typed line into an update; False when nothing was sent."""
    if line.startswith("/send"):
        if not line[len("/send"):].strip().strip("'\""):
            echo(SEND_USAGE)
            return False
        path = _send_path(line)
        if not path.is_file():
            echo(f"文件夹里没有文件：{path}" if path.is_dir() else f"找不到文件：{path}")
            return False
        await tg.send_document(chat, path.name, path.read_bytes(), user_id=CONSOLE_USER_ID)
        return True
    if line.startswith("/press"):
        arg = line[len("/press"):].strip() or "1"
        if not arg.isdigit() or not 1 <= int(arg) <= len(transcript.buttons):
            echo(f"没有第 {arg} 个按钮（现有 {len(transcript.buttons)} 个）。")
            return False
        message_id, data = transcript.buttons[int(arg) - 1]
        await tg.press(chat, message_id, data, user_id=CONSOLE_USER_ID)
        return True
    await tg.send_text(chat, line, user_id=CONSOLE_USER_ID)
    return True


def _read_line_in_daemon(loop: asyncio.AbstractEventLoop, future: asyncio.Future[str | None]) -> None:
    """``input()`` in a daemon thread: Ctrl-C cancels the session without waiting for this read."""
    try:
        line: str | None = input("你> ")
    except (EOFError, KeyboardInterrupt, OSError):
        line = None
    with contextlib.suppress(RuntimeError):  # the loop is gone after Ctrl-C
        loop.call_soon_threadsafe(lambda: future.done() or future.set_result(line))


async def _terminal_lines() -> AsyncIterator[str]:
    """Lines typed at the terminal, read in a thread so the bot keeps running.

    Not ``asyncio.to_thread``: ``asyncio.run`` waits for its executor threads on exit, so Ctrl-C at the
    prompt would hang until Enter was pressed.
    """
    import threading

    loop = asyncio.get_running_loop()
    while True:
        future: asyncio.Future[str | None] = loop.create_future()
        threading.Thread(target=_read_line_in_daemon, args=(loop, future), daemon=True).start()
        line = await future
        if line is None:
            return
        yield line


def _log_to_file(data_dir: Any) -> Path:
    """Send log records to ``<data_dir>/console.log`` instead of the terminal, where they would land in the
    middle of the conversation."""
    import logging

    path = Path(data_dir) / "console.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
            root.removeHandler(handler)
    file_handler = logging.FileHandler(path, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(file_handler)
    logging.lastResort = None  # no stderr fallback either
    return path


def run_console(settings: Any) -> int:
    """Entry point of ``nianbao console``: Ctrl-C at the prompt leaves (exit code 0)."""
    import logging

    _log_to_file(settings.data_dir)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(logging.WARNING)
    logging.getLogger("handlers").setLevel(logging.WARNING)
    try:
        return asyncio.run(console_session(settings))
    except KeyboardInterrupt:
        # The session is closed (database, workers); only the prompt's reader thread is left, blocked in
        # input() holding stdin's lock, which would abort a normal interpreter exit. Leave at once.
        import os
        import sys

        print(flush=True)
        logging.shutdown()
        sys.stderr.flush()
        os._exit(0)

"""The scale-out profile: PostgreSQL, N ``nianbao run --webhook`` workers behind a reverse proxy, the fake
Bot API — and the fault test that runs on it.

Used three ways (loopback only; everything started here is stopped at the end):

* ``make scale-demo`` (``python -m bench.scaleout demo``) starts the profile and keeps it running until
  Ctrl-C, printing the proxy's address and each worker's log file;
* ``bench/faults.py`` (``make bench``) runs :func:`run_faults` at full size;
* ``tests/bench/test_faults.py`` (``make test``) runs it at a small size in well under a minute.

The fault test sends updates the way Telegram does — to the proxy, retrying any non-200 with a back-off,
plus extra deliveries of already acknowledged updates (duplicates) — while it kills a worker with
``SIGKILL`` and restarts it, makes PostgreSQL refuse connections for a while (``ALLOW_CONNECTIONS
false`` and the sessions terminated), then ``SIGTERM``s every worker and starts them again. It counts
updates sent/replied/lost/doubled (a reply is matched to its update by the message it replies to),
reminders expected/sent/doubled/lost, the highest per-group and per-bot send rates, and the reply
latency percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ADMIN_URL = os.environ.get("BENCH_DATABASE_URL") or os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
#: What users send: a command and a question, each answered with one message replying to it.
TEXTS = ("/help", "谁还没交")


@dataclass
class Plan:
    """Sizes and fault times (seconds after the first update is sent)."""

    workers: int = 3
    groups: int = 20
    privates: int = 40
    updates: int = 800
    rate: float = 40.0
    group_share: float = 0.25
    dup_ratio: float = 0.1
    reminders: int = 40
    kill_at: float | None = 4.0
    restart_after: float | None = 2.0  # None: the killed worker stays down until the restart of all
    outage_at: float | None = 8.0
    outage_s: float = 15.0
    sigterm_all: bool = True
    lease_s: float = 30.0
    drain_timeout: float = 240.0
    retry_for: float = 180.0
    proxy: str = "auto"  # "nginx", "python" or "auto" (nginx when installed)
    seed: int = 23


@dataclass
class Outcome:
    """What the fault test measured (see :meth:`figures`)."""

    plan: Plan
    proxy: str = ""
    shared_limits: bool = False
    sent: int = 0
    deliveries: int = 0
    non_200: int = 0
    replied: int = 0
    lost: int = 0
    doubled: int = 0
    db_down_replies: int = 0
    reminders_expected: int = 0
    reminders_sent: int = 0
    reminders_doubled: int = 0
    reminders_resent_labelled: int = 0
    reminders_lost: int = 0
    max_group_per_min: int = 0
    max_bot_per_s: int = 0
    busiest_second_s: float = 0.0  # when the busiest second began (seconds after the first update)
    load: str = ""
    latency: dict[str, float] = field(default_factory=dict)
    exit_codes: list[int | None] = field(default_factory=list)
    seconds: float = 0.0
    events: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lat = " ".join(f"{k}={v:.2f}s" for k, v in self.latency.items())
        return (f"proxy={self.proxy} shared_limits={self.shared_limits} updates sent={self.sent} "
                f"deliveries={self.deliveries} non200={self.non_200} replied={self.replied} lost={self.lost} "
                f"doubled={self.doubled} db_down_replies={self.db_down_replies} | reminders "
                f"expected={self.reminders_expected} sent={self.reminders_sent} doubled={self.reminders_doubled} "
                f"(补发 {self.reminders_resent_labelled}) lost={self.reminders_lost} | max/group/60s="
                f"{self.max_group_per_min} max/bot/1s={self.max_bot_per_s} (at {self.busiest_second_s}s) | {lat} "
                f"| exits={self.exit_codes} | load {self.load} "
                f"| {self.seconds:.0f}s")


# ---------------------------------------------------------------------------------------------- helpers
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg(url: str, database: str | None = None) -> str:
    from sqlalchemy.engine import make_url

    u = make_url(url)
    if database:
        u = u.set(database=database)
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


def _sa(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database, drivername="postgresql+psycopg").render_as_string(
        hide_password=False)


def postgres_reason(url: str = ADMIN_URL) -> str | None:
    """Why the profile cannot run (None when PostgreSQL answers)."""
    try:
        import psycopg

        with psycopg.connect(_pg(url), connect_timeout=3, autocommit=True):
            return None
    except Exception as exc:  # noqa: BLE001
        return f"PostgreSQL unreachable at {url}: {type(exc).__name__}"


def redis_ok(url: str = REDIS_URL) -> bool:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001
        return False


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg(ADMIN_URL), connect_timeout=5, autocommit=True) as conn:
        conn.execute(sql)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def max_in_window(times: list[float], window: float) -> int:
    """The most events inside any window of ``window`` seconds."""
    return busiest_window(times, window)[0]


def busiest_window(times: list[float], window: float) -> tuple[int, float]:
    """``(count, start)`` of the window of ``window`` seconds holding the most events."""
    ordered, best, start, j = sorted(times), 0, 0.0, 0
    for i, t in enumerate(ordered):
        while ordered[j] <= t - window:
            j += 1
        if i - j + 1 > best:
            best, start = i - j + 1, ordered[j]
    return best, start


NGINX_CONF = """worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-tmp/body;
    proxy_temp_path {work}/nginx-tmp/proxy;
    fastcgi_temp_path {work}/nginx-tmp/fastcgi;
    uwsgi_temp_path {work}/nginx-tmp/uwsgi;
    scgi_temp_path {work}/nginx-tmp/scgi;
    client_max_body_size 2m;
    upstream nianbao {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://nianbao;
            # a worker that refuses the connection (killed, restarting) is skipped; a request it
            # received is never sent twice by the proxy (POST is not idempotent)
            proxy_next_upstream error timeout;
            proxy_connect_timeout 1s;
            proxy_read_timeout 30s;
            proxy_set_header Host $host;
        }}
    }}
}}
"""


def nginx_config(work: Path, port: int, upstreams: list[int]) -> Path:
    """Write the project's nginx configuration for ``upstreams`` (round robin) listening on ``port``."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (work / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;" for p in upstreams)
    path = work / "nginx.conf"
    path.write_text(NGINX_CONF.format(work=work, port=port, servers=servers), encoding="utf-8")
    return path


class PythonProxy:
    """A round-robin reverse proxy (when nginx is not installed): skips a worker that refuses."""

    def __init__(self, port: int, upstreams: list[int]) -> None:
        self.port, self.upstreams, self.i = port, upstreams, 0
        self._runner: Any = None
        self._session: Any = None

    async def start(self) -> None:
        from aiohttp import ClientSession, ClientTimeout, web

        self._session = ClientSession(timeout=ClientTimeout(total=30, connect=1))

        async def forward(request: web.Request) -> web.Response:
            body = await request.read()
            headers = {k: v for k, v in request.headers.items() if k.lower() in ("content-type", SECRET_HEADER.lower())}
            for _ in range(len(self.upstreams)):
                port = self.upstreams[self.i % len(self.upstreams)]
                self.i += 1
                try:
                    async with self._session.request(request.method, f"http://127.0.0.1:{port}{request.path_qs}",
                                                     data=body, headers=headers) as resp:
                        return web.Response(status=resp.status, body=await resp.read())
                except OSError:
                    continue  # connection refused: the next worker
            return web.Response(status=502, text="no worker")

        app = web.Application(client_max_size=2 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()


class WorkerExited(RuntimeError):
    """A worker process ended while it was expected to start."""


class RemoteFake:
    """The fake Bot API running in its own process (bench/fakeapi.py); ``calls()`` fetches its record."""

    def __init__(self, token: str, groups: int, work: Path) -> None:
        self.token, self.groups, self.work = token, groups, work
        self.port, self.control = free_port(), free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.calls: list[Any] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        log = open(self.work / "fakeapi.log", "wb")  # noqa: SIM115 - closed below, kept by the child
        self.proc = subprocess.Popen([sys.executable, "-m", "bench.fakeapi", "--token", self.token, "--port",
                                      str(self.port), "--control", str(self.control), "--groups", str(self.groups)],
                                     cwd=str(ROOT), env={**os.environ, "PYTHONPATH": str(ROOT)},
                                     stdout=log, stderr=subprocess.STDOUT)
        log.close()
        for _ in range(300):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.control), 0.2):
                return
            await asyncio.sleep(0.05)
        raise RuntimeError("the fake Bot API did not start (see fakeapi.log)")

    async def refresh(self) -> list[Any]:
        """Fetch the requests recorded since the last call (method, params, wall-clock ``at``)."""
        from types import SimpleNamespace

        from aiohttp import ClientSession

        async with ClientSession() as session, session.get(
                f"http://127.0.0.1:{self.control}/calls?since={len(self.calls)}") as resp:
            self.calls.extend(SimpleNamespace(**c) for c in await resp.json())
        return self.calls

    async def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                await asyncio.to_thread(self.proc.wait, 10)
            if self.proc.poll() is None:
                self.proc.kill()


# ---------------------------------------------------------------------------------------------- cluster
class Cluster:
    """PostgreSQL database + fake Bot API + proxy + N worker processes, all on loopback."""

    def __init__(self, plan: Plan, work: Path, log: Any = print) -> None:
        self.plan, self.work, self.log = plan, work, log
        self.db_name = f"nianbao_scale_{uuid.uuid4().hex[:10]}"
        self.db_url = _sa(ADMIN_URL, self.db_name)
        self.proxy_port = free_port()
        self.ports = [free_port() for _ in range(plan.workers)]
        self.procs: list[subprocess.Popen[bytes] | None] = [None] * plan.workers
        self.tg: Any = None
        self.proxy: Any = None
        self.proxy_kind = ""
        self.nginx: subprocess.Popen[bytes] | None = None
        self.shared_limits = redis_ok()
        self.token = f"{random.randint(10**8, 10**9 - 1)}:bench{uuid.uuid4().hex[:16]}"
        self.seeded: list[str] = []

    # -- lifecycle
    async def start(self, before_workers: Any = None) -> None:
        from storage.db import upgrade

        self.work.mkdir(parents=True, exist_ok=True)
        _admin(f'CREATE DATABASE "{self.db_name}"')
        await asyncio.to_thread(upgrade, self.db_url)
        if before_workers is not None:
            self.seeded = await before_workers()
        self.tg = RemoteFake(self.token, self.plan.groups, self.work)
        await self.tg.start()
        await self._start_proxy()
        await asyncio.gather(*(self.start_worker(i) for i in range(self.plan.workers)))

    async def _start_proxy(self) -> None:
        kind = self.plan.proxy
        if kind == "auto":
            kind = "nginx" if shutil.which("nginx") else "python"
        if kind == "nginx":
            conf = nginx_config(self.work, self.proxy_port, self.ports)
            self.nginx = subprocess.Popen([shutil.which("nginx") or "nginx", "-c", str(conf), "-p", str(self.work),
                                           "-e", str(self.work / "nginx-error.log")],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(100):
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.proxy_port), 0.2):
                    break
                await asyncio.sleep(0.05)
        else:
            self.proxy = PythonProxy(self.proxy_port, self.ports)
            await self.proxy.start()
        self.proxy_kind = kind

    def env(self, i: int) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NIANBAO_", "TELEGRAM_", "DATABASE_URL"))}
        env.update({
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": self.token,
            "TELEGRAM_API_BASE_URL": self.tg.base_url,
            "TELEGRAM_API_FILE_URL": self.tg.file_url,
            "DATABASE_URL": self.db_url,
            "NIANBAO_WEBHOOK_URL": f"http://127.0.0.1:{self.proxy_port}/telegram",
            "NIANBAO_LISTEN": f"127.0.0.1:{self.ports[i]}",
            "NIANBAO_DATA_DIR": str(self.work / "data"),
            "NIANBAO_SCHEDULER": "true",
            "NIANBAO_PARSE_WORKERS": "1",
            "NIANBAO_INBOX_LEASE": str(self.plan.lease_s),
            "NIANBAO_HEALTH_TOKEN": "bench",
            "NIANBAO_LOG_LEVEL": "INFO",
        })
        if self.shared_limits:
            env["NIANBAO_REDIS_URL"] = REDIS_URL
        return env

    async def start_worker(self, i: int, wait: bool = True, timeout: float = 120.0) -> None:
        """Start worker ``i``; like systemd's ``Restart=always``, start it again while it exits at once
        (``nianbao run`` refuses to start while the database is unreachable)."""
        deadline = time.monotonic() + timeout
        while True:
            self._spawn(i)
            if not wait:
                return
            try:
                await self.wait_ready(i, timeout=max(1.0, deadline - time.monotonic()))
                return
            except WorkerExited:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(1.0)

    def _spawn(self, i: int) -> None:
        log = open(self.work / f"worker{i}.log", "ab")  # noqa: SIM115 - closed with the process
        log.write(f"--- started by the harness at {datetime.now(UTC):%H:%M:%S.%f}\n".encode())
        log.flush()
        self.procs[i] = subprocess.Popen([sys.executable, "-m", "bot", "run", "--webhook"], cwd=str(ROOT),
                                         env=self.env(i), stdout=log, stderr=subprocess.STDOUT)
        log.close()

    async def wait_ready(self, i: int, timeout: float = 90.0) -> None:
        from aiohttp import ClientSession

        deadline = time.monotonic() + timeout
        async with ClientSession() as session:
            while time.monotonic() < deadline:
                proc = self.procs[i]
                if proc is None or proc.poll() is not None:
                    raise WorkerExited(f"worker {i} exited: see {self.work / f'worker{i}.log'}")
                with contextlib.suppress(OSError, asyncio.TimeoutError):
                    async with session.get(f"http://127.0.0.1:{self.ports[i]}/healthz", timeout=1) as resp:
                        if resp.status == 200:
                            return
                await asyncio.sleep(0.1)
        raise RuntimeError(f"worker {i} not ready after {timeout:.0f} s")

    def signal(self, i: int, sig: int) -> None:
        proc = self.procs[i]
        if proc is not None and proc.poll() is None:
            proc.send_signal(sig)

    async def wait_exit(self, i: int, timeout: float) -> int | None:
        proc = self.procs[i]
        if proc is None:
            return None
        try:
            return await asyncio.to_thread(proc.wait, timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            await asyncio.to_thread(proc.wait)
            return None

    async def refuse_db(self, seconds: float) -> None:
        """PostgreSQL refuses this database for ``seconds`` (new connections and existing sessions)."""
        _admin(f'ALTER DATABASE "{self.db_name}" WITH ALLOW_CONNECTIONS false')
        _admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{self.db_name}'")
        try:
            await asyncio.sleep(seconds)
        finally:
            _admin(f'ALTER DATABASE "{self.db_name}" WITH ALLOW_CONNECTIONS true')

    async def stop(self) -> None:
        for i in range(len(self.procs)):
            self.signal(i, signal.SIGTERM)
        for i in range(len(self.procs)):
            await self.wait_exit(i, 60)
        if self.nginx is not None:
            self.nginx.send_signal(signal.SIGQUIT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.nginx.wait(10)
            if self.nginx.poll() is None:
                self.nginx.kill()
        if self.proxy is not None:
            await self.proxy.stop()
        if self.tg is not None:
            await self.tg.stop()
        with contextlib.suppress(Exception):
            _admin(f'ALTER DATABASE "{self.db_name}" WITH ALLOW_CONNECTIONS true')
            _admin(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')


# ---------------------------------------------------------------------------------------------- traffic
class Sender:
    """Telegram's side of the webhook: deliver each update until a worker answers 200."""

    def __init__(self, cluster: Cluster, secret: str) -> None:
        self.cluster, self.secret = cluster, secret
        self.first_post: dict[int, float] = {}
        self.acked: dict[int, float] = {}
        self.deliveries = 0
        self.non_200 = 0
        self.session: Any = None

    async def deliver(self, update: dict[str, Any], *, retry_for: float) -> None:
        from aiohttp import ClientError

        uid = update["update_id"]
        self.first_post.setdefault(uid, time.time())
        body = json.dumps(update, ensure_ascii=False).encode()
        url = f"http://127.0.0.1:{self.cluster.proxy_port}/telegram"
        deadline, pause = time.monotonic() + retry_for, 0.25
        while time.monotonic() < deadline:
            self.deliveries += 1
            try:
                async with self.session.post(url, data=body, headers={SECRET_HEADER: self.secret,
                                                                      "Content-Type": "application/json"}) as resp:
                    if resp.status == 200:
                        self.acked.setdefault(uid, time.time())
                        return
            except (TimeoutError, ClientError, OSError):
                pass
            self.non_200 += 1
            await asyncio.sleep(pause)
            pause = min(pause * 2, 4.0)


def make_updates(cluster: Cluster, plan: Plan) -> list[dict[str, Any]]:
    rng = random.Random(plan.seed)
    chats: dict[int, dict[str, Any]] = {}
    for g in range(plan.groups):
        chats[-1001000000000 - g] = {"id": -1001000000000 - g, "type": "supergroup", "title": f"测试群{g}"}
    for p in range(plan.privates):
        chats[5000 + p] = {"id": 5000 + p, "type": "private", "first_name": f"用户{5000 + p}"}
    groups = [c for c in chats if c < 0]
    privates = [c for c in chats if c > 0]
    updates = []
    base = rng.randint(10**6, 10**7)
    for n in range(plan.updates):
        uid = base + n
        chat_id = rng.choice(groups) if rng.random() < plan.group_share else rng.choice(privates)
        text = TEXTS[n % len(TEXTS)] if chat_id > 0 else TEXTS[0]  # a group answers questions addressed to it
        user = 1 if chat_id < 0 else chat_id
        message: dict[str, Any] = {"message_id": uid, "date": int(time.time()), "chat": chats[chat_id],
                                   "from": {"id": user, "is_bot": False, "first_name": f"用户{user}",
                                            "language_code": "zh-hans"}, "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
        updates.append({"update_id": uid, "message": message})
    return updates


async def seed_reminders(cluster: Cluster, plan: Plan, groups: list[int]) -> list[str]:
    """``plan.reminders`` one-off reminders due in two seconds, spread over the groups."""
    from storage import reminders as store
    from storage import repo
    from storage.db import Database

    db = Database(cluster.db_url)
    texts = []
    try:
        due = datetime.now(UTC) + timedelta(seconds=1)
        sends = []
        for g in groups:
            await repo.ensure_workspace(db, chat_id=g, title="测试群", kind="group")
        for r in range(plan.reminders):
            chat = groups[r % len(groups)]
            text = f"bench-reminder-{r:04d}"
            custom = await store.add_custom(db, chat_id=chat, text=text, weekday=None, at_time="09:00")
            sends.append(store.PlannedSend(f"bench:{r}", chat, "custom", custom.id, "once", due))
            texts.append(text)
        await store.plan(db, sends=sends)
    finally:
        await db.close()
    return texts


def _reply_target(params: dict[str, Any]) -> int | None:
    reply = params.get("reply_parameters") or {}
    if isinstance(reply, str):
        with contextlib.suppress(ValueError):
            reply = json.loads(reply)
    target = (reply or {}).get("message_id") if isinstance(reply, dict) else None
    target = target or params.get("reply_to_message_id")
    return int(target) if target is not None else None


async def run_faults(plan: Plan, work: Path, log: Any = print) -> Outcome:
    """Start the profile, send the traffic, inject the faults, count what happened, stop everything."""
    from aiohttp import ClientSession, ClientTimeout

    from bot.app import webhook_secret
    from bot.config import Settings

    t_start = time.monotonic()
    out = Outcome(plan=plan)
    cluster = Cluster(plan, work, log)
    groups = [-1001000000000 - g for g in range(plan.groups)]
    try:
        await cluster.start(before_workers=lambda: seed_reminders(cluster, plan, groups))
        out.proxy, out.shared_limits = cluster.proxy_kind, cluster.shared_limits
        log(f"{plan.workers} workers up behind {cluster.proxy_kind} on :{cluster.proxy_port} "
            f"({'Redis-shared' if cluster.shared_limits else 'per-process'} flood limits)")
        secret = webhook_secret(Settings(_env_file=None, TELEGRAM_BOT_TOKEN=cluster.token))  # type: ignore[call-arg]
        updates = make_updates(cluster, plan)
        reminder_texts = cluster.seeded
        sender = Sender(cluster, secret)
        rng = random.Random(plan.seed + 1)
        async with ClientSession(timeout=ClientTimeout(total=35)) as session:
            sender.session = session
            t0 = time.monotonic()
            faults: list[asyncio.Task[Any]] = []

            async def kill_and_restart() -> None:
                await asyncio.sleep(plan.kill_at or 0)
                out.events.append(f"{time.monotonic() - t0:.1f}s kill -9 worker 0")
                cluster.signal(0, signal.SIGKILL)
                await cluster.wait_exit(0, 10)
                if plan.restart_after is None:
                    return
                await asyncio.sleep(plan.restart_after)
                await cluster.start_worker(0)
                out.events.append(f"{time.monotonic() - t0:.1f}s worker 0 restarted")

            async def outage() -> None:
                await asyncio.sleep(plan.outage_at or 0)
                out.events.append(f"{time.monotonic() - t0:.1f}s PostgreSQL refuses for {plan.outage_s:.0f}s")
                await cluster.refuse_db(plan.outage_s)
                out.events.append(f"{time.monotonic() - t0:.1f}s PostgreSQL back")

            if plan.kill_at is not None:
                faults.append(asyncio.create_task(kill_and_restart()))
            if plan.outage_at is not None:
                faults.append(asyncio.create_task(outage()))
            deliveries = []
            for n, update in enumerate(updates):
                await asyncio.sleep(max(0.0, t0 + n / plan.rate - time.monotonic()))
                deliveries.append(asyncio.create_task(sender.deliver(update, retry_for=plan.retry_for)))
                if rng.random() < plan.dup_ratio:  # delivered again later (another worker, by round robin)
                    async def again(u: dict[str, Any] = update) -> None:
                        await asyncio.sleep(rng.uniform(0.05, 1.5))
                        await sender.deliver(u, retry_for=plan.retry_for)
                    deliveries.append(asyncio.create_task(again()))
            await asyncio.gather(*deliveries, *faults)
            log(f"all {len(updates)} updates acknowledged after {time.monotonic() - t0:.1f} s "
                f"({sender.deliveries} deliveries, {sender.non_200} not 200)")
            if plan.sigterm_all:
                out.events.append(f"{time.monotonic() - t0:.1f}s SIGTERM all workers")
                for i in range(plan.workers):
                    cluster.signal(i, signal.SIGTERM)
                codes = await asyncio.gather(*(cluster.wait_exit(i, 120) for i in range(plan.workers)))
                out.exit_codes = [c for i, c in enumerate(codes) if not (i == 0 and plan.kill_at is not None
                                                                          and plan.restart_after is None)]
                out.events.append(f"{time.monotonic() - t0:.1f}s all stopped {codes}; restarting")
                await asyncio.gather(*(cluster.start_worker(i) for i in range(plan.workers)))
            # wait for every update and reminder to be answered (or the drain time to run out)
            wanted = {u["update_id"] for u in updates}
            deadline = time.monotonic() + plan.drain_timeout
            while time.monotonic() < deadline:
                calls = await cluster.tg.refresh()
                replied = {_reply_target(c.params) for c in calls if c.method.startswith("send")}
                texts = "\n".join(c.params.get("text", "") for c in calls if c.method == "sendMessage")
                if wanted <= replied and all(t in texts for t in reminder_texts):
                    break
                await asyncio.sleep(0.5)
            await asyncio.sleep(1.0)  # late doubles, if any, arrive now
            await cluster.tg.refresh()
            t_wall = time.time() - (time.monotonic() - t0)
            _count(out, cluster, sender, updates, reminder_texts, t_wall)
            with open(work / "calls.jsonl", "w", encoding="utf-8") as f:
                for c in cluster.tg.calls:
                    f.write(json.dumps({"m": c.method, "chat": c.params.get("chat_id"), "at": round(c.at - t_wall, 3),
                                        "reply_to": _reply_target(c.params) if c.method.startswith("send") else None,
                                        "text": str(c.params.get("text", ""))[:30]}, ensure_ascii=False) + "\n")
            if out.lost:
                out.events.extend(await _explain_lost(cluster, updates, sender))
            if out.doubled:
                out.events.extend(_explain_doubled(cluster, updates))
    finally:
        await cluster.stop()
        out.seconds = time.monotonic() - t_start
        if hasattr(os, "getloadavg"):
            out.load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return out


async def _explain_lost(cluster: Cluster, updates: list[dict[str, Any]], sender: Sender) -> list[str]:
    """Where each unanswered update is in the inbox (diagnostics for the report)."""
    from storage import inbox
    from storage.db import Database

    replied = {_reply_target(c.params) for c in cluster.tg.calls if c.method.startswith("send")}
    db = Database(cluster.db_url)
    lines = []
    try:
        for u in updates:
            uid = u["update_id"]
            if uid in replied:
                continue
            rows = [r for r in [await inbox.state_of(db, scope=s, update_id=uid) for s in await _scopes(db)] if r]
            row = rows[0] if rows else None
            lines.append(f"lost {uid} acked={uid in sender.acked} inbox="
                         + (f"{row['state']} owner={row['owner']} attempts={row['attempts']}" if row else "none"))
    finally:
        await db.close()
    return lines[:20]


def _explain_doubled(cluster: Cluster, updates: list[dict[str, Any]]) -> list[str]:
    """The replies of each update answered more than once (diagnostics for the report)."""
    ids = {u["update_id"] for u in updates}
    replies: defaultdict[int, list[str]] = defaultdict(list)
    for c in cluster.tg.calls:
        target = _reply_target(c.params) if c.method.startswith("send") else None
        if target in ids:
            replies[target].append(f"{c.at:.1f}:{(c.params.get('text') or c.method)[:16]!r}")
    return [f"doubled {uid}: {' | '.join(r)}" for uid, r in replies.items() if len(r) > 1][:20]


async def _scopes(db: Any) -> list[str]:
    from sqlalchemy import text

    async with db.connect() as conn:
        return [r[0] for r in (await conn.execute(text("SELECT DISTINCT scope FROM update_inbox"))).all()]


def _count(out: Outcome, cluster: Cluster, sender: Sender, updates: list[dict[str, Any]],
           reminder_texts: list[str], t_wall: float = 0.0) -> None:
    from handlers.gate import DB_DOWN

    calls = [c for c in cluster.tg.calls if c.method.startswith("send")]
    ids = {u["update_id"] for u in updates}
    replies: defaultdict[int, list[float]] = defaultdict(list)
    for c in calls:
        target = _reply_target(c.params)
        if target in ids:
            replies[target].append(c.at)
            if c.params.get("text") == DB_DOWN:
                out.db_down_replies += 1
    out.sent = len(ids)
    out.deliveries, out.non_200 = sender.deliveries, sender.non_200
    out.replied = len(replies)
    out.lost = len(ids - set(replies))
    out.doubled = sum(1 for times in replies.values() if len(times) > 1)
    latencies = [min(times) - sender.first_post[uid] for uid, times in replies.items()]
    out.latency = {f"p{q}": percentile(latencies, q) for q in (50, 95, 99)}
    counts: Counter[str] = Counter()
    labelled = 0
    for c in calls:
        text = c.params.get("text", "") or ""
        for t in reminder_texts:
            if t in text:
                counts[t] += 1
                labelled += "补发" in text
    out.reminders_expected = len(reminder_texts)
    out.reminders_sent = len(counts)
    out.reminders_doubled = sum(n - 1 for n in counts.values() if n > 1)
    out.reminders_resent_labelled = labelled
    out.reminders_lost = len(reminder_texts) - len(counts)
    by_group: defaultdict[Any, list[float]] = defaultdict(list)
    for c in calls:
        chat = c.params.get("chat_id")
        with contextlib.suppress(TypeError, ValueError):
            if int(chat) < 0:
                by_group[int(chat)].append(c.at)
    out.max_group_per_min = max((max_in_window(ts, 60.0) for ts in by_group.values()), default=0)
    out.max_bot_per_s, at = busiest_window([c.at for c in calls], 1.0)
    if out.max_bot_per_s:
        out.busiest_second_s = round(at - t_wall, 1)


# ---------------------------------------------------------------------------------------------- demo
async def demo(workers: int, work: Path) -> None:
    """``make scale-demo``: the profile, running until Ctrl-C."""
    plan = Plan(workers=workers, kill_at=None, outage_at=None)
    cluster = Cluster(plan, work)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await cluster.start()
        print(f"PostgreSQL database {cluster.db_name}; fake Bot API {cluster.tg.base_url}")
        print(f"{workers} workers ({', '.join(f'127.0.0.1:{p}' for p in cluster.ports)}) behind "
              f"{cluster.proxy_kind} at http://127.0.0.1:{cluster.proxy_port}/telegram")
        print(f"flood limits: {'shared through ' + REDIS_URL if cluster.shared_limits else 'per process (no Redis)'}")
        print(f"logs: {work}/worker*.log   health: curl 'http://127.0.0.1:{cluster.ports[0]}/healthz?token=bench'")
        print("Ctrl-C stops everything.")
        await stop.wait()
    finally:
        await cluster.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaleout")
    parser.add_argument("mode", choices=("demo", "faults"))
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--small", action="store_true", help="the make-test size")
    parser.add_argument("--dir", default="")
    args = parser.parse_args(argv)
    reason = postgres_reason()
    if reason:
        print(reason)
        return 2
    import logging
    import tempfile

    logging.basicConfig(level=logging.WARNING)
    work = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="nianbao-scale-"))
    if args.mode == "demo":
        asyncio.run(demo(args.workers, work))
        return 0
    plan = small_plan() if args.small else Plan(workers=args.workers)
    out = asyncio.run(run_faults(plan, work, log=lambda m: print(m, flush=True)))
    print("\n".join(out.events))
    print(out.summary())
    return 0


def small_plan() -> Plan:
    """The ``make test`` size: two workers, a few seconds of traffic and of each fault."""
    return Plan(workers=2, groups=4, privates=8, updates=60, rate=20.0, dup_ratio=0.15, reminders=6,
                kill_at=1.0, restart_after=None, outage_at=2.0, outage_s=3.0, lease_s=6.0, drain_timeout=40.0,
                retry_for=40.0)


if __name__ == "__main__":
    sys.exit(main())

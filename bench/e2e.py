"""End to end through the real PTB application and the fake Bot API on loopback.

* verdict latency — a user sends a .docx in a group (each file in its own group, as offices do); the clock runs from the update being queued to the
  bot's first message (or edit) in that chat carrying a verdict (✅ ⚠️ ❌). Files are sent one at a
  time; p95 target < 1 s. This includes long polling, getFile, the download, the worker pool, the
  validator and storage.
* question throughput — 50 groups with stored reports; every group asks questions at once (each
  mentions the bot, as a group member would); answered questions per second, target ≥ 100/s.
* peak memory — the bot runs as its own process, started as ``nianbao run`` starts it (bench/botproc.py),
  apart from the fake Bot API and the generated files: its peak RSS (VmHWM) over the run, < 300 MB;
  and the whole footprint with the parse workers (fork server and workers) as PSS, so pages they
  share are not counted twice.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections import Counter
from typing import Any

from bench import Context, Figure, Target, median, missing, percentile
from bench.corpus import generate, office_name, render
from bench.dataset import Shape, build, chat_id, store_all
from bench.machine import cpu_seconds, descendants, peak_rss_mb, pss_mb

VERDICT_TARGET = Target("<", 1000)
QPS_TARGET = Target(">=", 100)
RSS_TARGET = Target("<", 300)
VERDICT_MARKS = ("✅", "⚠️", "❌")
ADMIN = 1
#: Telegram's overall sending limit for one bot (AIORateLimiter's overall_max_rate).
TELEGRAM_MSGS_PER_SECOND = 30


def _settings(tg: Any, db_url: str, chats: list[int]) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": tg.token,
        "TELEGRAM_API_BASE_URL": tg.base_url,
        "TELEGRAM_API_FILE_URL": tg.file_url,
        "DATABASE_URL": db_url,
        "NIANBAO_ADMINS": str(ADMIN),
        "NIANBAO_ALLOWED_CHATS": ",".join(str(c) for c in chats),
        "NIANBAO_SCHEDULER": "false",
    }


def _rate(answered: int, seconds: float) -> float | None:
    return answered / seconds if seconds > 0 and answered else None


def _text_of(call: Any) -> str:
    return str(call.params.get("text") or call.params.get("caption") or "")


async def _wait_reply(tg: Any, chat: int, start_index: int, predicate: Any, timeout: float = 30) -> Any:
    """The first call at or after ``start_index`` to ``chat`` for which ``predicate(call)`` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for call in tg.calls[start_index:]:
            if call.params.get("chat_id") == chat and predicate(call):
                return call
        await asyncio.sleep(0.002)
    return None


async def _ask_all(tg: Any, questions: list[tuple[int, str]]) -> tuple[int, float]:
    """Every chat asks its questions at once; (answered, seconds from the first ask to the last reply)."""
    start = len(tg.calls)
    t0 = time.monotonic()
    await asyncio.gather(*(
        tg.send_text(cid, f"@{tg.bot_user['username']} {q}", user_id=ADMIN + 1 + i % 7)
        for i, (cid, q) in enumerate(questions)))

    def replies() -> list[Any]:
        return [c for c in tg.calls[start:] if c.method == "sendMessage"]

    deadline = time.monotonic() + 120
    while len(replies()) < len(questions) and time.monotonic() < deadline:
        await asyncio.sleep(0.005)
    done = replies()
    return len(done), max((c.at for c in done), default=t0) - t0


def _fill(db_url: str, shape: Shape) -> None:
    """Build and store the background reports (run in a child process)."""
    from storage.db import Database

    async def go() -> None:
        async with Database(db_url) as db:
            await store_all(db, build(shape))

    asyncio.run(go())


def run(ctx: Context) -> list[Figure]:
    """Fill a database for 50 chats, start the fake Bot API and the bot, then measure."""
    try:
        from storage.db import upgrade
        from tests.support.fake_telegram import FakeTelegram
    except ImportError as exc:
        why = f"bot app or fake Bot API not available ({exc})"
        return [missing("verdict latency (.docx, e2e) p95", "ms", VERDICT_TARGET, why),
                missing("question throughput (50 chats, e2e)", "q/s", QPS_TARGET, why),
                missing("peak RSS of the bot process (e2e)", "MB", RSS_TARGET, why)]
    shape = Shape(chats=50, offices=ctx.n(10, 3), years=(2024, 2025))
    chats = [chat_id(c) for c in range(shape.chats)]
    db_url = f"sqlite:///{ctx.workdir / 'e2e.db'}"
    upgrade(db_url)
    ctx.log("filling the database in a child process (keeps this process's peak RSS the bot's)")
    child = multiprocessing.get_context("spawn").Process(target=_fill, args=(db_url, shape))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"filling the e2e database failed (exit code {child.exitcode})")
    n_docs = ctx.n(21, 6)  # the first is the uncounted warm-up
    # each file comes from a different office group, as in real use (one group would hit 20 msgs/min)
    doc_chats = [chat_id(shape.chats + 1 + i) for i in range(n_docs)]
    docs = []
    try:
        for i, gen in enumerate(generate(n_docs, seed=77, year=2025)):
            docs.append((f"{i:03d}_{gen.report.office.short_name}2025年报.docx", render(gen.report, "docx")))
    except ImportError as exc:
        return [missing("verdict latency (.docx, e2e) p95", "ms", VERDICT_TARGET, str(exc)),
                missing("question throughput (50 chats, e2e)", "q/s", QPS_TARGET, "e2e needs the .docx renderer"),
                missing("peak RSS of the bot process (e2e)", "MB", RSS_TARGET, "e2e needs the .docx renderer")]
    per_chat = ctx.n(6, 2)
    questions = []
    for c in range(shape.chats):
        for k in range(per_chat):
            office = office_name(c * shape.offices + (k % shape.offices))
            q = ("{s}收到多少申请", "{s}2025年办结多少件", "{s}2024年行政复议几件")[k % 3]
            questions.append((chats[c], q.format(s=office.short_name)))

    def start_bot(tg: Any, rate_limit: bool) -> Any:
        from bench.botproc import serve

        proc = multiprocessing.get_context("spawn").Process(
            target=serve, args=(_settings(tg, db_url, [*chats, *doc_chats]), rate_limit))
        proc.start()
        return proc

    async def stop_bot(proc: Any) -> None:
        proc.terminate()  # SIGTERM: run_polling shuts down cleanly
        await asyncio.get_running_loop().run_in_executor(None, proc.join, 30)
        if proc.is_alive():
            proc.kill()

    async def wait_ready(tg: Any, proc: Any, timeout: float = 60) -> None:
        """Until the bot answers a first question (polling, database and jieba warm), or fail."""
        deadline = time.monotonic() + timeout
        start = len(tg.calls)
        cid, question = questions[0]
        await tg.send_text(cid, f"@{tg.bot_user['username']} {question}", user_id=ADMIN + 1)
        while not any(c.method == "sendMessage" and c.params.get("chat_id") == cid for c in tg.calls[start:]):
            if not proc.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the bot process did not answer (exit code {proc.exitcode})")
            await asyncio.sleep(0.05)

    def footprint(pid: int) -> dict[str, float]:
        """Peak RSS of the bot, its parse workers' peak RSS, and everyone's PSS now (MB)."""
        workers = descendants(pid)
        return {"bot_peak": peak_rss_mb(pid) or 0.0,
                "workers_peak": sum(peak_rss_mb(p) or 0.0 for p in workers),
                "workers": len(workers),
                "pss": sum(pss_mb(p) or 0.0 for p in [pid, *workers])}

    async def go() -> dict[str, Any]:
        async with FakeTelegram() as tg:
            for cid in [*chats, *doc_chats]:
                tg.group(cid, f"政务公开工作群{-cid % 1000}", admins=[ADMIN])
            ctx.log("starting the bot in its own process")
            proc = start_bot(tg, rate_limit=True)
            try:
                await wait_ready(tg, proc)
                latencies, misses, marks = [], 0, Counter()
                # one warm-up file (worker-pool start, first imports) is sent and not counted
                for n, (name, data) in enumerate([docs[-1], *docs[:-1]]):
                    doc_chat = doc_chats[n]
                    start = len(tg.calls)
                    t0 = time.monotonic()
                    await tg.send_document(doc_chat, name, data, user_id=ADMIN)
                    call = await _wait_reply(
                        tg, doc_chat, start,
                        lambda c: c.method in ("sendMessage", "editMessageText")
                        and any(m in _text_of(c) for m in VERDICT_MARKS))
                    if n == 0:
                        continue
                    if call is None:
                        misses += 1
                    else:
                        latencies.append((call.at - t0) * 1000)
                        marks.update(m for m in VERDICT_MARKS if m in _text_of(call))
                ctx.log(f"{len(latencies)} verdicts; asking {len(questions)} questions")
                limited = await _ask_all(tg, questions)
                memory = footprint(proc.pid)
            finally:
                await stop_bot(proc)
            ctx.log("again without the rate limiter")
            tg.calls.clear()
            proc = start_bot(tg, rate_limit=False)
            try:
                await wait_ready(tg, proc)
                bot_cpu, own_cpu = cpu_seconds(proc.pid) or 0.0, time.process_time()
                unlimited = await _ask_all(tg, questions)
                cpu = {"bot": (cpu_seconds(proc.pid) or 0.0) - bot_cpu, "bench": time.process_time() - own_cpu}
            finally:
                await stop_bot(proc)
        return {"latencies": latencies, "misses": misses, "marks": marks, "limited": limited, "unlimited": unlimited,
                "want": len(questions), "memory": memory, "cpu": cpu}

    r = asyncio.run(go())
    figures = []
    if r["latencies"]:
        figures.append(Figure("verdict latency (.docx, e2e) p95", percentile(r["latencies"], 95), "ms",
                              VERDICT_TARGET,
                              note=f"{len(r['latencies'])}/{n_docs - 1} verdicts after 1 warm-up file, "
                              f"median {median(r['latencies']):.0f} ms; verdicts on these correct reports: "
                              + " ".join(f"{m}×{n}" for m, n in r["marks"].items())
                              + (f"; {r['misses']} without a verdict in 30 s" if r["misses"] else "")))
    else:
        figures.append(missing("verdict latency (.docx, e2e) p95", "ms", VERDICT_TARGET,
                               f"no verdict message for any of {n_docs} files within 30 s"))
    answered, seconds = r["unlimited"]
    cpu = r["cpu"]
    figures.append(Figure("question throughput (50 chats, e2e)", _rate(answered, seconds), "q/s", QPS_TARGET,
                          note=f"{answered}/{r['want']} answered in {seconds:.2f} s; the bot's own capacity "
                          "(build_application(rate_limit=False)); CPU: bot "
                          f"{cpu['bot']:.2f} s, fake Bot API + clients {cpu['bench']:.2f} s on 2 cores; "
                          f"{shape.total} reports stored"))
    answered, seconds = r["limited"]
    figures.append(Figure("question replies as deployed (AIORateLimiter on)", _rate(answered, seconds), "q/s",
                          None, floor=TELEGRAM_MSGS_PER_SECOND,
                          note=f"{answered}/{r['want']} answered in {seconds:.2f} s; Telegram accepts about "
                          f"{TELEGRAM_MSGS_PER_SECOND} messages/s from a bot, so replies are paced there "
                          "(floor = that cap)"))
    mem = r["memory"]
    figures.append(Figure("peak RSS of the bot process (e2e)", mem["bot_peak"], "MB", RSS_TARGET,
                          note="`nianbao run` as its own process (fake Bot API and test files elsewhere), "
                          f"through {n_docs} .docx files and {len(questions)} questions"))
    figures.append(Figure("memory with parse workers, PSS (e2e)", mem["pss"], "MB", RSS_TARGET,
                          note=f"the bot and the {mem['workers']} processes below it (fork server, parse workers, resource tracker) at "
                          "the end, shared pages counted once; their own peak RSS sums to "
                          f"{mem['workers_peak']:.0f} MB"))
    return figures

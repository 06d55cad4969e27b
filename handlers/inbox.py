"""This process's side of the durable update inbox (``storage/inbox.py``; design in docs/SCALING.md).

One :class:`UpdateInbox` per application (``bot_data["inbox"]``):

* the webhook stores each update (:meth:`receive`) before it answers Telegram 200;
* the gate claims it (:meth:`claim`) before any feature handler runs — a redelivery of an update that is
  done, or that another live worker owns, stops there;
* :class:`InboxApplication` marks it done (:meth:`finished`) when every handler has run; the marks are
  written in batches and retried while the database is away, so a handled update is not run again;
* in webhook mode :meth:`start` keeps this process's leases alive (updates queued behind a slow chat
  are not taken from a live worker) and takes over updates whose worker died (their leases expired).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.deadlines.ticker import dead_on_this_host, default_worker_id
from storage import inbox as store
from storage.db import is_unavailable

logger = logging.getLogger(__name__)

#: How long an owned update may go without a heartbeat before another worker takes it over.
LEASE = timedelta(seconds=60)
#: Heartbeat and takeover check period (a third of the lease: two beats may fail before it expires).
BEAT_SECONDS = 20.0
#: Seconds between two prunes of done updates older than a week.
PRUNE_EVERY = 3600.0
#: Pause between retries of the "done" marks while the database is away.
RETRY_SECONDS = 1.0
#: Done-mark transactions at once. One was a queue: a mark waited for the batch being written, and
#: a worker killed meanwhile answered the update twice (the double window is reply → mark committed).
WRITERS = 3


def bot_scope(token: str) -> str:
    """The inbox scope of one bot: a hash of its token (update ids are per bot; never store the token)."""
    return "bot:" + hashlib.sha256(token.encode()).hexdigest()[:24]


class UpdateInbox:
    """Receive, claim and finish updates; keep leases alive; take over a dead worker's updates."""

    def __init__(self, db: Any, scope: str, *, owner: str | None = None, lease: timedelta = LEASE) -> None:
        self.beat_seconds = min(BEAT_SECONDS, lease.total_seconds() / 3)
        self.db = db
        self.scope = scope
        self.owner = owner or default_worker_id()
        self.lease = lease
        #: update id → monotonic time it was received or claimed here (waiting in the queue or running)
        self.in_flight: dict[int, float] = {}
        self._done: set[int] = set()
        self._claims: dict[int, list[asyncio.Future[bool]]] = {}
        self._claimer: asyncio.Task[None] | None = None
        self._claim_loop: asyncio.AbstractEventLoop | None = None
        self._pruned_at = -PRUNE_EVERY
        #: done-mark writers running (up to WRITERS): a mark never waits for a slow earlier batch
        self._flushers: set[asyncio.Task[None]] = set()
        self._writing: set[int] = set()
        self._flush_failing = False
        self._pruner: asyncio.Task[None] | None = None
        self._loop_task: asyncio.Task[None] | None = None
        #: set on SIGTERM: keep renewing our leases while the queue drains, take nothing new over
        self.draining = False
        self.taken_over = 0
        self.handed_back = 0
        self.redeliveries = 0

    # ------------------------------------------------------------------ the three steps of an update
    async def receive(self, update_id: int, payload: str) -> bool:
        """Store a webhook delivery (raises when the database is away: answer 503, Telegram retries).

        False for a redelivery: it is done, or queued/running in some worker, which will answer it.
        """
        fresh = await store.receive(self.db, scope=self.scope, update_id=update_id, payload=payload,
                                    owner=self.owner, lease=self.lease)
        if fresh:
            self.in_flight[update_id] = time.monotonic()
        else:
            self.redeliveries += 1
        return fresh

    async def claim(self, update_id: int) -> bool:
        """May this process handle the update now? (False: done, or owned by another live worker.)

        Claims arriving while one is being written share the next transaction (group commit: a burst
        of updates costs a few writes, not one each); the same id twice in a batch is claimed once."""
        if update_id in self._done:
            return False
        loop = asyncio.get_running_loop()
        if self._claim_loop is not loop:  # first use, or a new event loop (tests)
            self._claims, self._claimer, self._claim_loop = {}, None, loop
        future: asyncio.Future[bool] = loop.create_future()
        self._claims.setdefault(update_id, []).append(future)
        if self._claimer is None or self._claimer.done():
            self._claimer = loop.create_task(self._write_claims(), name="nianbao-inbox-claims")
        ok = await future
        if ok:
            self.in_flight.setdefault(update_id, time.monotonic())
        else:
            self.in_flight.pop(update_id, None)
        return ok

    async def _write_claims(self) -> None:
        while self._claims:
            batch, self._claims = self._claims, {}
            try:
                taken = await store.claim_many(self.db, scope=self.scope, update_ids=list(batch),
                                               owner=self.owner, lease=self.lease)
            except BaseException as exc:  # every caller of this batch sees the error (the gate fails closed)
                for futures in batch.values():
                    for future in futures:
                        if not future.done():
                            future.set_exception(exc if isinstance(exc, Exception) else RuntimeError("cancelled"))
                if not isinstance(exc, Exception):
                    raise
                continue
            for update_id, futures in batch.items():
                for i, future in enumerate(futures):
                    if not future.done():
                        future.set_result(i == 0 and update_id in taken)

    def finished(self, update_id: int) -> None:
        """Every handler ran (or the update was answered 「数据库暂时不可用」): mark it done, soon."""
        self.in_flight.pop(update_id, None)
        self._done.add(update_id)
        self._flushers = {task for task in self._flushers if not task.done()}
        if len(self._flushers) < WRITERS:
            self._flushers.add(asyncio.get_running_loop().create_task(self._flush(), name="nianbao-inbox-done"))

    def dropped(self, update_id: int) -> None:
        """The gate stopped the update without claiming it: nothing to mark."""
        self.in_flight.pop(update_id, None)

    # ------------------------------------------------------------------ background
    async def _flush(self) -> None:
        """Write the pending done marks no other writer has taken, in one transaction; retry while the
        database is away."""
        failures = 0
        while batch := self._done - self._writing:
            self._writing |= batch
            try:
                await store.done(self.db, scope=self.scope, update_ids=batch)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                failures += 1
                if not self._flush_failing:  # one line per outage, whatever the number of writers
                    self._flush_failing = True
                    logger.warning("inbox: %d done marks not written yet (%s); retrying", len(batch),
                                   _short(exc))
                await asyncio.sleep(min(RETRY_SECONDS * failures, 2.0))
                continue
            finally:
                self._writing -= batch
            self._done -= batch
            if self._flush_failing:
                self._flush_failing = False
                logger.info("inbox: done marks written after %d retries", failures)
            failures = 0
        # housekeeping in its own task: done marks arriving meanwhile are written at once, not after it
        if time.monotonic() - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = time.monotonic()
            self._pruner = asyncio.get_running_loop().create_task(self._prune(), name="nianbao-inbox-prune")

    async def _prune(self) -> None:
        """Forget done updates older than a week (at most once an hour; Telegram redelivers for a day)."""
        try:
            removed = await store.prune(self.db)
        except Exception as exc:  # noqa: BLE001 - housekeeping: try again in an hour
            logger.info("inbox: prune failed (%s)", _short(exc))
            return
        if removed:
            logger.info("inbox: forgot %d done updates older than a week", removed)

    async def flush(self, timeout: float = 5.0) -> None:
        """Wait (bounded) for the pending done marks — at shutdown."""
        running = [task for task in self._flushers if not task.done()]
        if running:
            with contextlib.suppress(asyncio.TimeoutError, Exception):
                await asyncio.wait_for(asyncio.shield(asyncio.gather(*running, return_exceptions=True)), timeout)

    def start(self, app: Application) -> None:
        """Webhook mode: heartbeat this process's leases and take over dead workers' updates."""
        if self._loop_task is None or self._loop_task.done():
            self._loop_task = asyncio.get_running_loop().create_task(self._run(app), name="nianbao-inbox")

    async def stop(self) -> None:
        """Stop the background loop and write the done marks still pending."""
        if self.handed_back:
            logger.info("stopping: handed %d update(s) not started yet back to the other workers",
                        self.handed_back)
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._loop_task
            self._loop_task = None
        await self.flush()

    async def _run(self, app: Application) -> None:
        beat = 0
        grace_until = 0.0
        while True:
            try:
                # after an outage, live owners first renew their leases and write their done marks:
                # taking over at once would re-run updates that were handled while the database was away
                await self.beat_once(app, takeover=not beat and not self.draining
                                     and time.monotonic() >= grace_until)
                if beat:
                    grace_until = time.monotonic() + self.lease.total_seconds()
                    logger.info("inbox: database back; takeovers resume in %.0f s", self.lease.total_seconds())
                beat = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database is away: leases are long enough to wait
                beat += 1
                if beat == 1:
                    logger.warning("inbox heartbeat failed (%s); retrying", _short(exc))
            await asyncio.sleep(self.beat_seconds if not beat else min(self.beat_seconds, 2.0 * beat))

    async def beat_once(self, app: Application, *, takeover: bool = True) -> int:
        """Extend our leases; then put updates of dead workers on our queue. Returns how many were taken."""
        held = list(self.in_flight)
        if held:
            await store.heartbeat(self.db, scope=self.scope, owner=self.owner, update_ids=held, lease=self.lease)
        if not takeover:
            return 0
        dead = dead_on_this_host(await store.owners(self.db, scope=self.scope))
        taken = await store.reclaim(self.db, scope=self.scope, owner=self.owner, lease=self.lease, dead=dead)
        for update_id, payload in taken:
            try:
                update = Update.de_json(_json(payload), app.bot)
            except Exception as exc:  # stored by an older/newer version: do not loop on it
                logger.warning("inbox: update %s cannot be read back (%s): dropped", update_id, _short(exc))
                self.finished(update_id)
                continue
            self.in_flight[update_id] = time.monotonic()
            await app.update_queue.put(update)
        if taken:
            self.taken_over += len(taken)
            logger.warning("inbox: took over %d update(s) of a worker that stopped: %s", len(taken),
                           " ".join(str(u) for u, _ in taken[:50]))
        return len(taken)

    async def give_back(self, update_id: int) -> None:
        """Draining: end our lease on an update we hold but have not started (another worker takes it)."""
        self.in_flight.pop(update_id, None)
        try:
            self.handed_back += await store.release(self.db, scope=self.scope, owner=self.owner,
                                                    update_ids=[update_id])
        except Exception as exc:  # noqa: BLE001 - the lease expires by itself
            logger.info("inbox: could not hand back update %s (%s)", update_id, _short(exc))

    async def hand_back_queued(self, app: Application) -> int:
        """SIGTERM: take the updates still waiting in the queue out of it and give them back (their leases
        end now), so the worker stops in seconds and another worker answers them. Running ones finish."""
        self.draining = True
        waiting: list[int] = []
        while True:
            try:
                update = app.update_queue.get_nowait()
            except asyncio.QueueEmpty:
                break
            app.update_queue.task_done()
            if isinstance(update, Update):
                waiting.append(update.update_id)
        if not waiting:
            return 0  # (with concurrent updates they wait past the queue; the gate hands them back)
        for update_id in waiting:
            self.in_flight.pop(update_id, None)
        try:
            released = await store.release(self.db, scope=self.scope, owner=self.owner, update_ids=waiting)
        except Exception as exc:  # noqa: BLE001 - their leases expire by themselves
            logger.warning("inbox: could not hand back %d queued updates (%s); their leases will expire",
                           len(waiting), _short(exc))
            return 0
        logger.info("stopping: handed %d queued update(s) back to the other workers", released)
        return released

    def snapshot(self) -> dict[str, Any]:
        """This process's queue for /healthz and the logs (waiting or running, and the oldest age)."""
        now = time.monotonic()
        oldest = min(self.in_flight.values(), default=now)
        return {"in_flight": len(self.in_flight), "oldest_s": round(now - oldest, 1),
                "done_pending": len(self._done), "taken_over": self.taken_over,
                "redeliveries": self.redeliveries}


def mark_answered(app: Application, update: object) -> None:
    """Mark an update the gate claimed done (once): by the group after the answering handlers
    (``handlers.gate.answered``), or when processing ended earlier (a handler stopped it, an error)."""
    if isinstance(update, Update):
        claimed: set[int] = app.bot_data.get("claimed_updates", set())
        if update.update_id in claimed:
            claimed.discard(update.update_id)
            inbox = app.bot_data.get("inbox")
            if inbox is not None:
                inbox.finished(update.update_id)


class InboxApplication(Application):
    """PTB's Application, plus: an update the gate claimed is marked done at the latest once all its
    handlers ran (normally earlier, right after the answering groups: ``handlers.gate.answered``)."""

    async def process_update(self, update: object) -> None:
        try:
            await super().process_update(update)
        finally:
            mark_answered(self, update)


def _json(payload: str) -> Any:
    import json

    return json.loads(payload)


def _short(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:160] if text else ''}"


__all__ = ["InboxApplication", "UpdateInbox", "bot_scope", "is_unavailable"]

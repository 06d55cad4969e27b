"""Scale-out under faults (``make bench``): three webhook workers on PostgreSQL behind nginx, 800 updates
at 40/s with duplicate deliveries and Telegram-style retries, a worker killed with SIGKILL and restarted,
PostgreSQL refusing connections for 15 s, then SIGTERM of all workers and a restart. The harness is
``bench/scaleout.py``; ``--quick`` runs the ``make test`` size."""

from __future__ import annotations

import asyncio

from bench import Context, Figure, Target, missing
from bench.scaleout import Plan, postgres_reason, run_faults, small_plan


def run(ctx: Context) -> list[Figure]:
    reason = postgres_reason()
    if reason:
        return [missing("scale-out fault test", "", None, reason)]
    plan = small_plan() if ctx.quick else Plan()
    out = asyncio.run(run_faults(plan, ctx.workdir / "scale", log=ctx.log))
    setup = (f"{plan.workers} workers behind {out.proxy}, {plan.updates} updates at {plan.rate:g}/s, "
             f"kill -9 at {plan.kill_at}s, DB refused {plan.outage_s:g}s, SIGTERM all; "
             f"{'Redis-shared' if out.shared_limits else 'per-process'} flood limits")
    return [
        Figure("updates sent", out.sent, "updates", note=setup),
        Figure("webhook deliveries (duplicates + retries)", out.deliveries, "requests",
               note=f"{out.non_200} answered non-200 (503 during the outage, 502 while a worker was down)"),
        Figure("updates replied", out.replied, "updates"),
        Figure("updates lost", out.lost, "updates", Target("<=", 0)),
        Figure("updates answered twice", out.doubled, "updates", Target("<=", 1),
               note="possible only for a worker killed between its reply and the done mark (docs/SCALING.md)"),
        Figure("「数据库暂时不可用」 replies", out.db_down_replies, "replies",
               note="one per update that reached a worker while PostgreSQL refused"),
        Figure("reminders expected", out.reminders_expected, "reminders"),
        Figure("reminders sent", out.reminders_sent, "reminders"),
        Figure("reminders lost", out.reminders_lost, "reminders", Target("<=", 0)),
        Figure("reminders sent twice", out.reminders_doubled, "reminders",
               note=f"{out.reminders_resent_labelled} re-sends labelled 补发 (docs/REMINDERS.md)"),
        Figure("max sends to one group in 60 s", out.max_group_per_min, "messages", Target("<=", 20)),
        Figure("max sends by the bot in 1 s", out.max_bot_per_s, "messages", Target("<=", 30),
               note=f"at the fake Bot API, busiest second from {out.busiest_second_s} s; 20/s admitted in Redis; "
                    f"load average at the end {out.load}"),
        Figure("reply latency p50", out.latency.get("p50"), "s", note="first delivery → reply, incl. faults"),
        Figure("reply latency p95", out.latency.get("p95"), "s"),
        Figure("reply latency p99", out.latency.get("p99"), "s"),
        Figure("workers exiting 0 on SIGTERM", sum(1 for c in out.exit_codes if c == 0), "workers",
               Target(">=", len(out.exit_codes) or 1), note=f"exit codes {out.exit_codes}"),
        Figure("fault test wall time", out.seconds, "s", note="; ".join(out.events)[:300]),
    ]

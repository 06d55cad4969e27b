"""The fake Bot API in its own process, for the scale-out profile (``bench/scaleout.py``).

Run apart from the traffic generator so that the time it records for each request is not delayed by the
generator's own event loop (the per-bot send rate is measured here). ``GET /calls?since=N`` on the
control port returns the requests recorded from the N-th on, with wall-clock times.

    python -m bench.fakeapi --token T --port P --control C --groups 20
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import time

from aiohttp import web

from bot.console import FakeTelegram


async def serve(token: str, port: int, control: int, groups: int) -> None:
    tg = FakeTelegram(token=token)
    for g in range(groups):
        tg.group(-1001000000000 - g, title=f"测试群{g}", admins=[1])
    await tg.start(port)
    offset = time.time() - time.monotonic()  # Call.at is monotonic: report wall-clock times

    async def calls(request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        return web.json_response([{"method": c.method, "params": c.params, "at": c.at + offset}
                                  for c in tg.calls[since:]], dumps=_dumps)

    app = web.Application()
    app.router.add_get("/calls", calls)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", control).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print("ready", flush=True)
    await stop.wait()
    await runner.cleanup()
    await tg.stop()


def _dumps(obj: object) -> str:
    import json

    return json.dumps(obj, ensure_ascii=False, default=str)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fakeapi")
    parser.add_argument("--token", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--control", type=int, required=True)
    parser.add_argument("--groups", type=int, default=0)
    args = parser.parse_args()
    asyncio.run(serve(args.token, args.port, args.control, args.groups))


if __name__ == "__main__":
    main()

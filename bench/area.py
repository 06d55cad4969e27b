"""``python -m bench.area NAME [--quick]`` — run one area's benchmarks, print its figures as JSON lines.

Run by ``bench/__main__.py`` in a child process. An area whose module or whose measured part cannot
be imported prints a single "not measured" figure with the reason instead of failing silently.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
import tempfile
import traceback
from pathlib import Path

from bench import Context, Figure, missing


def main(argv: list[str] | None = None) -> int:
    """Import ``bench.<name>``, call ``run(ctx)`` and print each figure's JSON on its own line."""
    parser = argparse.ArgumentParser(prog="python -m bench.area")
    parser.add_argument("name")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory(prefix=f"nianbao-bench-{args.name}-") as tmp:
        ctx = Context(quick=args.quick, workdir=Path(tmp),
                      log=lambda msg: print(f"[{args.name}] {msg}", file=sys.stderr, flush=True))
        try:
            module = importlib.import_module(f"bench.{args.name}")
            figures: list[Figure] = module.run(ctx)
        except Exception as exc:  # one broken area must not hide the others' figures
            traceback.print_exc()
            figures = [missing(args.name, "", None, f"{type(exc).__name__}: {str(exc)[:160]}")]
    for fig in figures:
        print(json.dumps(fig.to_json(), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``nianbao parse FILE... [--json]`` — read files into reports (CONTRACT.md exit codes 0 / 1)."""

from __future__ import annotations

import argparse
import json
import sys

from bot.commands import bounded
from bot.report import Source


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``parse`` sub-command."""
    p = subparsers.add_parser("parse", help="读取年报文件（.docx .doc .wps .pdf .html .txt 或 .zip）")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="每份报告输出一行JSON（JSON Lines）")
    bounded.add_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """0 when every file was read, 1 when any could not be read."""
    read = bounded.reader(args)
    try:
        return _run(args, read)
    finally:
        bounded.finish()


def _run(args: argparse.Namespace, read) -> int:
    status = 0
    for path in args.files:
        for result in read(path):
            if result.report is not None:
                report = result.report
                if args.json:
                    print(json.dumps(report.to_json(), ensure_ascii=False, allow_nan=False))
                else:
                    o = report.office
                    print(f"✅ {result.filename}: {o.name or '（未识别单位）'} {report.year or '?'}年度 格式{report.format}")
            else:
                status = 1
                err = result.error
                if args.json:
                    source = Source(result.filename)
                    line = {"source": {"filename": source.filename, "sha256": "", "kind": ""}, "error": err.to_json()}
                    print(json.dumps(line, ensure_ascii=False, allow_nan=False))
                else:
                    print(f"❌ {result.filename}: {err.code} {err.message}", file=sys.stderr)
    return status

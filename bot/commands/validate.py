"""``nianbao validate FILE... [--json]`` — read and check reports (CONTRACT.md).

Exit codes: 0 no error-severity finding, 1 at least one, 2 a file could not be read (2 wins over 1).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from bot.commands import bounded
from bot.report import Report
from bot.validation import summary, validate
from bot.validation.where_en import where_en

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` sub-command."""
    p = subparsers.add_parser("validate", help="读取并校验年报（勾稽关系、格式、文号、年份等）")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="每份报告输出一行JSON（含findings）")
    p.add_argument("--previous", metavar="FILE", help="同一单位上一年度的报告，用于跨年核对（XY规则）")
    p.add_argument("--today", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="按此日期判断报告年度是否合理（DL-03；不给则不判断）")
    p.add_argument("--received", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="报告收到/发布日期，用于判断是否逾期（DL-01）")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="输出语言")
    bounded.add_flag(p)
    p.set_defaults(func=run)


def _load_previous(path: str | None, read) -> Report | None:
    if not path:
        return None
    for result in read(path):
        if result.report is not None:
            return result.report
    return None


def run(args: argparse.Namespace) -> int:
    """Validate every file; print findings (or JSON Lines); return the CONTRACT exit code."""
    read = bounded.reader(args)
    try:
        return _run(args, read)
    finally:
        bounded.finish()


def _run(args: argparse.Namespace, read) -> int:
    unreadable = has_errors = False
    today = args.today  # DL-03 only on request: a batch of old reports is not "the wrong file"
    previous = _load_previous(args.previous, read)
    for path in args.files:
        try:
            results = read(path)
        except Exception as exc:  # the reader should never raise; a CLI user still gets one line
            unreadable = True
            _print_unreadable(Path(path).name, "ING-01", f"无法读取该文件：{exc}", args.json)
            continue
        for result in results:
            if result.report is None:
                unreadable = True
                err = result.error
                _print_unreadable(result.filename, getattr(err, "code", "ING-01"), getattr(err, "message", ""), args.json)
                continue
            report = result.report
            prev = previous if previous is not None and _is_last_year(previous, report) else None
            findings = validate(report, prev, received=args.received, today=today)
            has_errors |= any(f.severity == "error" for f in findings)
            if args.json:
                print(json.dumps(report.to_json(), ensure_ascii=False, allow_nan=False))
            else:
                _print_human(result.filename, report, args.lang)
    return 2 if unreadable else 1 if has_errors else 0


def _is_last_year(previous: Report, report: Report) -> bool:
    return previous.year is not None and report.year is not None and previous.year == report.year - 1


def _print_unreadable(filename: str, code: str, message: str, as_json: bool) -> None:
    if as_json:
        line = {"source": {"filename": filename, "sha256": "", "kind": ""}, "error": {"code": code, "message": message}}
        print(json.dumps(line, ensure_ascii=False, allow_nan=False))
    else:
        print(f"❌ {filename}: {code} {message}", file=sys.stderr)


def _print_human(filename: str, report: Report, lang: str) -> None:
    n = summary.counts(report.findings)
    emoji = summary.verdict_emoji(report.verdict)
    office = report.office.name or "（未识别单位）"
    if lang == "en":
        print(f"{emoji} {filename} — {office} {report.year or '?'}: "
              f"{n['error']} errors, {n['warning']} warnings, {n['info']} notes")
    else:
        print(f"{emoji} {filename} — {office} {report.year or '?'}年度：{report.verdict}"
              f"（错误{n['error']}项，警告{n['warning']}项，提示{n['info']}项）")
    for f in report.findings:
        text = (f.message_en or f.message) if lang == "en" else f.message
        label = f.severity if lang == "en" else SEVERITY_ZH.get(f.severity, f.severity)
        shown = where_en(f.where) if lang == "en" else f.where
        where = f" {shown}" if shown else ""
        print(f"  [{label}] {f.code}{where}：{text}" if lang != "en" else f"  [{label}] {f.code}{where}: {text}")

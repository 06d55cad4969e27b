"""The precision harness: every rule over every real report we hold, and the findings a person reviewed.

Real reports: the full reports and excerpts of ``tests/fixtures/corpus`` (vendored from
``../shared/corpus``), the five seeds in ``examples/``, and saved-web-page variants of them built here
(the same report with a site's navigation, publication metadata, an attachment list whose file names
carry 文号 in the wrong brackets, and a footer around it — what an office gets from 「另存为」 on its
own published page).

``reviewed_findings.json`` lists every error- and warning-level finding these produce, each with a
judgement (``real`` or ``false``) and a one-line reason. ``test_precision.py`` fails when a finding
appears that nobody has reviewed, or when a reviewed-false finding is an error.

Run ``python -m tests.bot.validation.precision`` to print the current findings as the markdown table
of docs/RULES_STATUS.md (and ``--json`` for the entries to review).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.reading import read_bytes
from bot.validation import validate
from tests.support.paths import CORPUS, EXAMPLES

REVIEWED = Path(__file__).with_name("reviewed_findings.json")

#: Lines a government site prints above a report (breadcrumb, metadata bar).
PAGE_TOP = (
    "首页 > 政务公开 > 政府信息公开 > 政府信息公开年报",
    "索引号：11330183002500000X/2022-00017　　分类：政府信息公开年报",
    "发布机构：{office}　　发布日期：2022-01-26　　字号：[ 大 中 小 ]",
)
#: Lines below it: an attachment list (文号 in the wrong brackets inside file names), buttons, footer.
PAGE_BOTTOM = (
    "附件：",
    "1.{office}2021年度政府信息公开工作年度报告（政办发[2022]3号）.docx",
    "2.关于报送年度报告的通知（办函(2022)12号）.pdf（86.5KB）",
    "【打印本页】　【关闭窗口】",
    "相关链接：中国政府网　浙江省人民政府　杭州市人民政府",
    "主办单位：杭州市富阳区人民政府办公室　　承办单位：杭州市富阳区大数据发展管理局",
    "网站标识码：3301830001　　浙ICP备05056370号-1　　浙公网安备 33018302000108号",
    "扫一扫在手机打开当前页",
)


@dataclass(frozen=True)
class Sample:
    """One real file as the bot would receive it."""

    name: str  # stable id used in reviewed_findings.json, e.g. "full/008.html", "page/seed-001.txt"
    filename: str
    data: bytes


def _office_of(text: str) -> str:
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first.split("20", 1)[0][:20] or "本单位"


def saved_page_txt(text: str) -> str:
    """The page text of the report as saved from its web page (furniture above and below)."""
    office = _office_of(text)
    top = "\n".join(line.format(office=office) for line in PAGE_TOP)
    bottom = "\n".join(line.format(office=office) for line in PAGE_BOTTOM)
    return f"{top}\n{text.rstrip()}\n{bottom}\n"


def saved_page_html(html: str, office: str) -> str:
    """An HTML report fragment inside a site's page (nav, metadata, attachment list, footer)."""
    top = "".join(f"<div class='nav'>{line.format(office=office)}</div>" for line in PAGE_TOP)
    bottom = "".join(f"<p>{line.format(office=office)}</p>" for line in PAGE_BOTTOM)
    return (
        "<html><head><meta charset='utf-8'><title>年报</title></head><body>"
        f"<div class='top'>{top}</div><div class='content'>{html}</div><div class='footer'>{bottom}</div>"
        "</body></html>"
    )


def samples() -> Iterator[Sample]:
    """Every real report, then its saved-page variant (seeds and full reports)."""
    for sub in ("full", "excerpts"):
        for path in sorted((CORPUS / sub).glob("0*")):
            yield Sample(f"{sub}/{path.name}", path.name, path.read_bytes())
    for path in sorted(EXAMPLES.glob("0*.txt")):
        yield Sample(f"seed/{path.name[:3]}", path.name, path.read_bytes())
    for path in sorted(EXAMPLES.glob("0*.txt")):
        text = path.read_text("utf-8")
        yield Sample(f"page/seed-{path.name[:3]}.txt", f"page-{path.name}", saved_page_txt(text).encode())
    for path in sorted((CORPUS / "full").glob("0*.txt")):
        text = path.read_text("utf-8")
        yield Sample(f"page/full-{path.name}", f"page-{path.name}", saved_page_txt(text).encode())
    html = (CORPUS / "full" / "008.html").read_text("utf-8")
    yield Sample("page/full-008.html", "page-008.html", saved_page_html(html, "上海市人民政府办公厅").encode())


def key(sample: str, code: str, severity: str, where: str) -> str:
    """The id of a finding in the reviewed list (file, code, severity, where)."""
    return f"{sample} | {code} | {severity} | {where}"


def findings(levels: tuple[str, ...] = ("error", "warning")) -> list[dict[str, str]]:
    """Every finding of the given severities (error and warning by default) on every sample."""
    out: list[dict[str, str]] = []
    for sample in samples():
        for result in read_bytes(sample.filename, sample.data):
            if result.report is None:
                continue
            for f in validate(result.report):
                if f.severity in levels:
                    out.append({
                        "key": key(sample.name, f.code, f.severity, f.where),
                        "file": sample.name,
                        "code": f.code,
                        "severity": f.severity,
                        "where": f.where,
                        "message": f.message,
                    })
    return out


def reviewed() -> dict[str, dict[str, str]]:
    """The reviewed findings by key: {"judgement": "real" | "false", "why": "..."}."""
    return json.loads(REVIEWED.read_text("utf-8"))


def markdown(rows: list[dict[str, str]], judged: dict[str, dict[str, str]]) -> str:
    """The table for docs/RULES_STATUS.md."""
    lines = ["| file | code | sev. | finding (as sent) | judgement | why |", "|---|---|---|---|---|---|"]
    for r in rows:
        j = judged.get(r["key"], {"judgement": "UNREVIEWED", "why": ""})
        msg = r["message"].replace("|", "\\|")
        lines.append(f"| {r['file']} | {r['code']} | {r['severity'][0].upper()} | {msg} | {j['judgement']} | "
                     f"{j['why'].replace('|', '/')} |")
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    rows = findings()
    judged = reviewed() if REVIEWED.exists() else {}
    if "--json" in argv:
        print(json.dumps({r["key"]: judged.get(r["key"], {"judgement": "?", "why": r["message"]})
                          for r in rows}, ensure_ascii=False, indent=1))
        return
    print(markdown(rows, judged))
    n = {s: sum(1 for r in rows if r["severity"] == s) for s in ("error", "warning")}
    false = {s: sum(1 for r in rows if r["severity"] == s and judged.get(r["key"], {}).get("judgement") == "false")
             for s in ("error", "warning")}
    print(f"\n{len(list(samples()))} files; errors {n['error']} (false {false['error']}), "
          f"warnings {n['warning']} (false {false['warning']})")


if __name__ == "__main__":
    main(sys.argv[1:])

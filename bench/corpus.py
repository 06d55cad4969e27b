"""A generator of realistic 2021-format annual reports for benchmarks, with optional injected errors.

``generate_report(seed)`` builds a :class:`~bot.report.Report` in which every identity of FORMAT.md
§1.6 holds (A1–A4 exactly; prose agrees with the tables), many cells are non-zero and the office name
follows a real 街道/乡镇 naming pattern (「富阳区鹿山街道」, 「道外区水泥路街道办事处」, 「两城镇」,
「赫章县兴发乡人民政府」 …). ``inject(report, kind)`` breaks it in one known way and returns the
findings a validator must report. ``write_corpus(outdir, n)`` renders the reports to files through the
reading engineer's renderers (``tests/support/render.py``) and writes ``manifest.json``::

    python -m bench.corpus OUTDIR --count 20 --errors 0.3 --kinds txt-cells,docx,pdf
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.report import (
    Office,
    ProseNumber,
    Report,
    Source,
    Value,
    empty_appeals,
    empty_applications,
    empty_proactive,
)
from bot.schema import (
    SECTIONS,
    T2_DOC_COLUMNS,
    T3_COLUMNS,
    T3_ROW_LABELS,
    T3_ROW_SHORT,
    T4_BLOCK_LABELS,
    T4_BLOCKS,
    T4_COLUMN_LABELS,
    t3_result_rows,
    t3_row_keys,
)

# --------------------------------------------------------------------------------------------
# Office names (patterns from the seeds and corpus/excerpts/index.csv)
# --------------------------------------------------------------------------------------------

#: (city, district) pairs seen in real report titles and URLs.
DISTRICTS: tuple[tuple[str, str], ...] = (
    ("杭州市", "富阳区"), ("哈尔滨市", "道外区"), ("铁岭市", "银州区"), ("长春市", "二道区"),
    ("榆林市", "榆阳区"), ("武汉市", "黄陂区"), ("沈阳市", "于洪区"), ("无锡市", "锡山区"),
    ("广州市", "海珠区"), ("南充市", "高坪区"), ("深圳市", "龙岗区"), ("乐山市", "五通桥区"),
    ("杭州市", "西湖区"), ("南京市", "鼓楼区"), ("广州市", "天河区"), ("哈尔滨市", "南岗区"),
    ("成都市", "武侯区"), ("西安市", "雁塔区"), ("济南市", "历下区"), ("郑州市", "金水区"),
)
#: Counties (县/县级市/区) for 乡镇.
COUNTIES: tuple[str, ...] = (
    "微山县", "宁陕县", "突泉县", "赫章县", "保康县", "兴海县", "沭阳县", "桐乡市", "梅河口市",
    "安吉县", "德清县", "丰县", "平阳县", "临安区", "建德市", "淳安县",
)
#: Real place words from the seeds and excerpts.
REAL_WORDS: tuple[str, ...] = (
    "鹿山", "青石山", "水泥路", "五星", "红旗", "东湖", "驼峰路", "三里桥", "和平", "迎宾路", "安镇",
    "口岸", "官洲", "螺溪", "牛华", "两城", "太平", "梅子", "永安", "兴发", "丰收", "南薰",
)
_FIRST = "东西南北金银青白龙凤石柳桃杏松梅花新长永安福兴和春"
_SECOND = "山湖桥河城苑关门岭塘湾坝坪庄营堡溪港口林"


def place_words() -> list[str]:
    """Real words first, then two-character combinations (28 × 21) for large corpora."""
    words = list(REAL_WORDS)
    seen = set(words)
    for a in _FIRST:
        for b in _SECOND:
            w = a + b
            if w not in seen:
                seen.add(w)
                words.append(w)
    return words


_WORDS = place_words()


#: Real naming patterns of 街道 and 乡镇 (full name template, office kind), picked by ``office_name``.
_NAME_PATTERNS: tuple[tuple[str, str], ...] = (
    ("{district}{word}街道", "街道"),
    ("{district}{word}街道办事处", "街道"),
    ("{city}{district}{word}街道办事处", "街道"),
    ("{district}{word}街道", "街道"),
    ("{county}{word}镇", "乡镇"),
    ("{county}{word}镇人民政府", "乡镇"),
    ("{county}{word}乡", "乡镇"),
    ("{county}{word}乡人民政府", "乡镇"),
)


def office_name(i: int) -> Office:
    """The ``i``-th office of an endless list of distinct, realistically named 街道 and 乡镇.

    Patterns: ``_NAME_PATTERNS`` (<区><词>街道 twice as often as the others). Distinct ``i`` give distinct
    full names and distinct (short name, district) pairs.
    """
    word = _WORDS[i % len(_WORDS)]
    block = i // len(_WORDS)
    pattern = (i * 7 + block) % 8
    city, district = DISTRICTS[block % len(DISTRICTS)]
    county = COUNTIES[block % len(COUNTIES)]
    if block >= len(DISTRICTS):  # past 20 × len(words) names: make the district unique
        district = f"{district[:-1]}{block // len(DISTRICTS) + 1}{district[-1]}"
    if block >= len(COUNTIES):
        county = f"{county[:-1]}{block // len(COUNTIES) + 1}{county[-1]}"
    template, kind = _NAME_PATTERNS[pattern]
    return Office(template.format(city=city, district=district, county=county, word=word), word, kind)


# --------------------------------------------------------------------------------------------
# One correct report
# --------------------------------------------------------------------------------------------

_TOPICS = (
    ("主动公开", "重点领域信息公开，突出做好社会保障、就业、医疗、养老、救助、环境保护等领域群众最迫切关心了解的信息"),
    ("依申请公开", "严格按照《中华人民共和国政府信息公开条例》规定的时限和程序办理政府信息公开申请，做到依法答复、规范答复"),
    ("政府信息管理", "完善政府信息公开保密审查机制，落实“先审查、后公开”和“一事一审”制度，动态更新政府信息公开目录"),
    ("政府信息公开平台建设", "依托区政府门户网站信息公开专栏、政务新媒体和社区公开栏，拓宽信息公开渠道，提升公开实效"),
    ("监督保障", "将政务公开工作纳入年度目标考核，开展政务公开专题培训，落实工作考核、社会评议和责任追究制度"),
)


@dataclass
class Generated:
    """A generated report and what it was made to contain."""

    report: Report
    injected: list[str] = field(default_factory=list)
    expected: list[dict[str, Any]] = field(default_factory=list)


def generate_report(seed: int, *, office_index: int | None = None, year: int = 2025,
                    paragraphs: int = 20, carried_over: int | None = None) -> Report:
    """A complete 2021-format report in which every identity holds; ``seed`` varies the numbers.

    ``paragraphs`` sets how much narrative each sub-topic of 一、总体情况 gets (20 ≈ a six-page PDF,
    the length of a typical real report).
    ``carried_over`` fixes 上年结转·总计 (put in the 自然人 column) to chain years (XY-01).
    """
    rng = random.Random(seed)
    office = office_name(seed if office_index is None else office_index)
    fmt = "2021"
    apps = empty_applications(fmt)
    result_rows = t3_result_rows(fmt)
    weights = (1.0, 0.6, 0.25, 0.3, 0.35, 0.4)  # 自然人 dominate, as in real reports
    for col_i, weight in enumerate(weights):
        results = {
            row: (rng.randint(1, 12 if row in ("granted", "partial") else 5)
                  if rng.random() < 0.55 * weight + 0.15 else 0)
            for row in result_rows
        }
        processed = sum(results.values())
        forward = rng.randint(1, 4) if rng.random() < 0.5 else 0
        if carried_over is not None:
            carried = carried_over if col_i == 0 else 0
        else:
            carried = rng.randint(1, 3) if rng.random() < 0.4 else 0
        new = processed + forward - carried
        if new < 0:
            results["granted"] += -new
            processed = sum(results.values())
            new = 0
        apps["new_received"][col_i] = Value(new)
        apps["carried_over"][col_i] = Value(carried)
        for row in result_rows:
            apps[row][col_i] = Value(results[row])
        apps["total_processed"][col_i] = Value(processed)
        apps["carried_forward"][col_i] = Value(forward)
    for row in apps:
        apps[row][6] = Value(sum(int(v.value or 0) for v in apps[row][:6]))
        for col, v in zip(T3_COLUMNS, apps[row], strict=True):
            v.raw = str(v.value)
            v.where = f"表3 {T3_ROW_SHORT[row]} {col}"

    appeals = empty_appeals()
    for block in T4_BLOCKS:
        parts = [rng.randint(0, 3) if rng.random() < 0.6 else 0 for _ in range(4)]
        for col, n in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            appeals[block][col] = Value(n, str(n), f"表4 {T4_BLOCK_LABELS[block]} {T4_COLUMN_LABELS[col]}")
        appeals[block]["total"] = Value(sum(parts), str(sum(parts)), f"表4 {T4_BLOCK_LABELS[block]} 总计")

    t2 = empty_proactive()
    issued = rng.randint(1, 8)
    repealed = rng.randint(0, issued)
    in_force = issued - repealed + rng.randint(5, 40)
    t2["regulations"] = {c: Value(0, "0", f"表2 规章 {c}") for c in T2_DOC_COLUMNS}
    t2["normative_documents"] = {
        "issued": Value(issued, str(issued), "表2 行政规范性文件 本年制发件数"),
        "repealed": Value(repealed, str(repealed), "表2 行政规范性文件 本年废止件数"),
        "in_force": Value(in_force, str(in_force), "表2 行政规范性文件 现行有效件数"),
    }
    for key, label in (("licensing", "行政许可"), ("penalty", "行政处罚"), ("enforcement", "行政强制")):
        n = rng.randint(1, 600)
        t2[key] = Value(n, str(n), f"表2 {label}")
    fee = round(rng.uniform(0, 12), 2) if rng.random() < 0.4 else 0
    t2["fees_10k_yuan"] = Value(fee, str(fee), "表2 行政事业性收费")

    report = Report(
        source=Source(f"{office.short_name}_{year}.txt", f"{seed:064x}", "txt"),
        office=office,
        year=year,
        format=fmt,
        format_evidence=["本年制发件数", "本年废止件数", "现行有效件数"],
        title=f"{office.name}{year}年政府信息公开工作年度报告",
        sections=list(SECTIONS),
        proactive=t2,
        applications=apps,
        appeals=appeals,
    )
    _write_prose(report, rng, paragraphs)
    return report


def _write_prose(report: Report, rng: random.Random, paragraphs: int) -> None:
    """Narrative whose numbers agree with the tables (S3), plus the matching ``report.prose``."""
    year, who = report.year, report.office.short_name + ("街道" if report.office.kind == "街道" else "")
    new_total = int(report.t3("new_received") or 0)
    carried = int(report.t3("carried_over") or 0)
    processed = int(report.t3("total_processed") or 0)
    forward = int(report.t3("carried_forward") or 0)
    review = int(report.t4("review") or 0)
    litigation = int((report.t4("litigation_direct") or 0) + (report.t4("litigation_after_review") or 0))
    issued = int(report.t2("normative_documents", "issued") or 0)
    published = rng.randint(120, 900)
    where1 = "一、总体情况"
    received_text = f"全年共收到政府信息公开申请{new_total}件"
    processed_text = f"办结{processed}件"
    overview = [
        f"{year}年，{who}在区委区政府的正确领导下，认真贯彻落实《中华人民共和国政府信息公开条例》，"
        f"围绕中心工作，扎实推进政府信息公开工作。{received_text}（另有上年结转{carried}件），"
        f"{processed_text}，结转下年度继续办理{forward}件。",
    ]
    for n, (topic, body) in enumerate(_TOPICS, start=1):
        overview.append(f"（{'一二三四五'[n - 1]}）{topic}")
        for p in range(paragraphs):
            extra = ""
            if n == 1 and p == 0:
                extra = f"全年主动公开政府信息{published}条，制发行政规范性文件{issued}件。"
            if n == 2 and p == 0:
                extra = f"因政府信息公开工作被申请行政复议{review}件，被提起行政诉讼{litigation}件。"
            overview.append(
                f"{year}年，{who}{body}。{extra}"
                f"第{p + 1}项措施：建立健全工作台账，明确责任分工，定期梳理公开事项，"
                f"对照标准逐项核查，确保公开内容准确、完整、及时，切实增强群众获得感和满意度。"
            )
    report.section_text = {
        SECTIONS[0]: "\n".join(overview),
        SECTIONS[1]: "本年度主动公开政府信息情况见下表。",
        SECTIONS[2]: "本年度收到和处理政府信息公开申请情况见下表。",
        SECTIONS[3]: "本年度政府信息公开行政复议、行政诉讼情况见下表。",
        SECTIONS[4]: "一是公开内容不够丰富，政策解读形式较为单一；二是工作人员业务能力有待提升。"
        "下一步，将加强业务培训，丰富解读形式，提升政务公开质量和实效。",
        SECTIONS[5]: "本年度未收取信息处理费。无其他需要报告的事项。",
    }
    report.text = "\n".join([report.title, *report.section_text.values()])
    report.prose = [
        ProseNumber("received", new_total, received_text, where1),
        ProseNumber("processed", processed, processed_text, where1),
        ProseNumber("carried_forward", forward, f"结转下年度继续办理{forward}件", where1),
        ProseNumber("published", published, f"主动公开政府信息{published}条", where1),
        ProseNumber("normative_issued", issued, f"制发行政规范性文件{issued}件", where1),
        ProseNumber("review", review, f"被申请行政复议{review}件", where1),
        ProseNumber("litigation", litigation, f"被提起行政诉讼{litigation}件", where1),
    ]


# --------------------------------------------------------------------------------------------
# Identities (an independent check, so the generator can be tested without the validator)
# --------------------------------------------------------------------------------------------


def broken_identities(report: Report) -> list[tuple[str, str]]:
    """Every arithmetic identity A1–A4 that does not hold, as (finding code, row/column/block key).

    Cells that are blank make an identity unknown, not broken (a blank is T3-05, not T3-01).
    """
    out: list[tuple[str, str]] = []
    apps = report.applications or {}
    rows = t3_row_keys(report.format)
    results = t3_result_rows(report.format)

    def v(row: str, i: int) -> float | None:
        return apps[row][i].value if row in apps else None

    for i, col in enumerate(T3_COLUMNS):
        a1 = [v(r, i) for r in ("new_received", "carried_over", "total_processed", "carried_forward")]
        if None not in a1 and a1[0] + a1[1] != a1[2] + a1[3]:
            out.append(("T3-01", col))
        parts = [v(r, i) for r in results]
        total = v("total_processed", i)
        if None not in parts and total is not None and sum(parts) != total:
            out.append(("T3-02", col))
    for row in rows:
        values = [v(row, i) for i in range(7)]
        if None not in values and sum(values[:6]) != values[6]:
            out.append(("T3-03", row))
    for block, cells in (report.appeals or {}).items():
        parts = [cells[c].value for c in ("upheld", "corrected", "other", "pending")]
        if None not in parts and cells["total"].value is not None and sum(parts) != cells["total"].value:
            out.append(("T4-01", block))
    return out


def prose_mismatches(report: Report) -> list[tuple[str, str]]:
    """Prose numbers that disagree with the tables, as (finding code, prose kind)."""
    table = {
        "received": ("TXT-01", report.t3("new_received")),
        "processed": ("TXT-02", report.t3("total_processed")),
        "carried_forward": ("TXT-03", report.t3("carried_forward")),
        "review": ("TXT-05", report.t4("review")),
        "litigation": ("TXT-05", _sum(report.t4("litigation_direct"), report.t4("litigation_after_review"))),
        "normative_issued": ("TXT-07", report.t2("normative_documents", "issued")),
    }
    out = []
    for p in report.prose:
        if p.kind in table:
            code, value = table[p.kind]
            if value is not None and p.value != value:
                out.append((code, p.kind))
    return out


def _sum(*values: float | None) -> float | None:
    return None if None in values else sum(values)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Injected errors
# --------------------------------------------------------------------------------------------

#: Kinds of injected error, each with the findings (code, severity) a validator must report.
INJECTIONS: dict[str, str] = {
    "t3_total_cell": "a 表3 总计 cell of a result row off by k → T3-03 (that row) and T3-02 (总计 column)",
    "t3_applicant_cell": "本年新收·自然人 off by k → T3-03 (本年新收 row) and T3-01 (自然人 column)",
    "t3_result_pair": "a result cell and its row total both off by k → T3-02 (that column and 总计)",
    "t4_total": "a 表4 block 总计 off by k → T4-01 (and TXT-05: the prose states the old total)",
    "blank_cell": "a 表3 applicant cell left blank → T3-05",
    "prose_received": "prose 收到申请N件 ≠ 本年新收 → TXT-01",
    "placeholder": "template placeholder 「XX街道」 left in the text → META-07",
}


def inject(report: Report, kind: str, rng: random.Random) -> list[dict[str, Any]]:
    """Break ``report`` in place in the way ``kind`` names; return the expected findings.

    Each expected finding is ``{"code", "severity", "table", "row", "col", "where"}`` where ``where`` is a
    human hint (表3 row label and column) — validators may word their own ``where`` differently.
    """
    apps = report.applications
    assert apps is not None and report.appeals is not None
    k = rng.randint(1, 3)

    def exp(code: str, severity: str, table: str, row: str, col: str) -> dict[str, Any]:
        label = T3_ROW_LABELS.get(row, T4_BLOCK_LABELS.get(row, row))
        return {"code": code, "severity": severity, "table": table, "row": row, "col": col,
                "where": f"{'表3' if table == 't3' else '表4' if table == 't4' else ''} {label} {col}".strip()}

    if kind == "t3_total_cell":
        row = rng.choice(t3_result_rows(report.format))
        cell = apps[row][6]
        cell.value = int(cell.value or 0) + k
        cell.raw = str(cell.value)
        return [exp("T3-03", "error", "t3", row, "total"), exp("T3-02", "error", "t3", "total_processed", "total")]
    if kind == "t3_applicant_cell":
        cell = apps["new_received"][0]
        cell.value = int(cell.value or 0) + k
        cell.raw = str(cell.value)
        return [exp("T3-03", "error", "t3", "new_received", "total"),
                exp("T3-01", "error", "t3", "new_received", "natural_person")]
    if kind == "t3_result_pair":
        row = rng.choice(t3_result_rows(report.format))
        col_i = rng.randrange(6)
        for i in (col_i, 6):
            apps[row][i].value = int(apps[row][i].value or 0) + k
            apps[row][i].raw = str(apps[row][i].value)
        return [exp("T3-02", "error", "t3", "total_processed", T3_COLUMNS[col_i]),
                exp("T3-02", "error", "t3", "total_processed", "total")]
    if kind == "t4_total":
        block = rng.choice(T4_BLOCKS)
        cell = report.appeals[block]["total"]
        cell.value = int(cell.value or 0) + k
        cell.raw = str(cell.value)
        # the prose states 复议/诉讼 counts from the totals, so it now disagrees too (TXT-05)
        return [exp("T4-01", "error", "t4", block, "total"),
                {"code": "TXT-05", "severity": "warning", "table": "prose",
                 "row": "review" if block == "review" else "litigation", "col": "", "where": "一、总体情况"}]
    if kind == "blank_cell":
        row = rng.choice(t3_result_rows(report.format))
        col_i = rng.randrange(6)
        apps[row][col_i].value = None
        apps[row][col_i].raw = ""
        return [exp("T3-05", "warning", "t3", row, T3_COLUMNS[col_i])]
    if kind == "prose_received":
        actual = int(report.t3("new_received") or 0)
        wrong = actual + k
        old = f"全年共收到政府信息公开申请{actual}件"
        new = f"全年共收到政府信息公开申请{wrong}件"
        _replace_text(report, old, new)
        for p in report.prose:
            if p.kind == "received":
                p.value, p.text = wrong, new
        return [{"code": "TXT-01", "severity": "warning", "table": "prose", "row": "received", "col": "",
                 "where": "一、总体情况"}]
    if kind == "placeholder":
        first = SECTIONS[0]
        report.section_text[first] = report.section_text[first].replace(
            f"{report.year}年，", f"{report.year}年，XX街道", 1)
        report.text = "\n".join([report.title, *report.section_text.values()])
        return [{"code": "META-07", "severity": "error", "table": "text", "row": "", "col": "",
                 "where": "一、总体情况"}]
    raise ValueError(f"unknown injection {kind!r}; choose from {sorted(INJECTIONS)}")


def _replace_text(report: Report, old: str, new: str) -> None:
    for key, text in report.section_text.items():
        report.section_text[key] = text.replace(old, new)
    report.text = "\n".join([report.title, *report.section_text.values()])


def generate(n: int, *, seed: int = 0, error_rate: float = 0.0, year: int = 2025,
             paragraphs: int = 20, kinds: Iterable[str] | None = None) -> list[Generated]:
    """``n`` reports from distinct offices; a share ``error_rate`` of them get one injected error each.

    Injected kinds cycle through ``kinds`` (default: all of :data:`INJECTIONS`) so every kind occurs.
    """
    rng = random.Random(seed)
    kinds = list(kinds or INJECTIONS)
    out: list[Generated] = []
    injected_count = 0
    for i in range(n):
        report = generate_report(seed * 100_003 + i, office_index=i, year=year, paragraphs=paragraphs)
        gen = Generated(report)
        if error_rate and rng.random() < error_rate:
            kind = kinds[injected_count % len(kinds)]
            injected_count += 1
            gen.injected.append(kind)
            gen.expected = inject(report, kind, rng)
        out.append(gen)
    return out


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------

#: File kinds the corpus can be written as: label → (extension, render function name, kwargs).
FILE_KINDS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "txt-cells": (".txt", "render_txt", {"layout": "cells"}),
    "txt-rows": (".txt", "render_txt", {"layout": "rows"}),
    "txt-pipes": (".txt", "render_txt", {"layout": "pipes"}),
    "docx": (".docx", "render_docx", {}),
    "pdf": (".pdf", "render_pdf", {}),
    "html": (".html", "render_html", {}),
}


def renderers() -> Any:
    """The reading engineer's renderers module; ImportError says plainly that it is missing."""
    try:
        from tests.support import render
    except ImportError as exc:  # pragma: no cover - depends on the state of the shared tree
        raise ImportError(f"renderers (tests/support/render.py) not available yet: {exc}") from exc
    return render


def render(report: Report, kind: str) -> bytes:
    """The report as a file of ``kind`` (a key of :data:`FILE_KINDS`)."""
    _ext, fn_name, kwargs = FILE_KINDS[kind]
    out = getattr(renderers(), fn_name)(report, **kwargs)
    return out.encode("utf-8") if isinstance(out, str) else out


def file_name(gen: Generated, index: int, kind: str) -> str:
    """``0007_鹿山_2025_cells.txt`` — index first so names sort and never collide."""
    ext = FILE_KINDS[kind][0]
    layout = kind.split("-", 1)[1] if "-" in kind else ""
    suffix = f"_{layout}" if layout else ""
    return f"{index:04d}_{gen.report.office.short_name}_{gen.report.year}{suffix}{ext}"


def write_corpus(outdir: Path, gens: list[Generated], kinds: Iterable[str]) -> dict[str, Any]:
    """Render every generated report as every kind into ``outdir`` and write ``manifest.json``.

    The manifest lists, per file, the office, year, kind, injected error kinds and expected findings,
    so a benchmark or an acceptance run can score a reader + validator against known answers.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    files = []
    for i, gen in enumerate(gens):
        for kind in kinds:
            name = file_name(gen, i, kind)
            (outdir / name).write_bytes(render(gen.report, kind))
            files.append({
                "file": name,
                "kind": kind,
                "office": gen.report.office.name,
                "short_name": gen.report.office.short_name,
                "office_kind": gen.report.office.kind,
                "year": gen.report.year,
                "injected": gen.injected,
                "expected_findings": gen.expected,
            })
    manifest = {"generator": "bench.corpus", "format": "2021", "count": len(gens), "files": files}
    (outdir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.corpus OUTDIR [--count N] [--errors RATE] [--kinds a,b] [--seed S]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--errors", type=float, default=0.0, help="share of reports with one injected error")
    parser.add_argument("--kinds", default=",".join(FILE_KINDS), help="comma-separated: " + ",".join(FILE_KINDS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args(argv)
    kinds = [k for k in args.kinds.split(",") if k]
    unknown = [k for k in kinds if k not in FILE_KINDS]
    if unknown:
        parser.error(f"unknown kinds: {unknown}")
    gens = generate(args.count, seed=args.seed, error_rate=args.errors, year=args.year)
    try:
        manifest = write_corpus(args.outdir, gens, kinds)
    except ImportError as exc:
        print(f"无法生成文件：{exc}", file=sys.stderr)
        return 1
    print(f"{len(manifest['files'])} files → {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

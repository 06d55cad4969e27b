"""Write a :class:`Report` as the messy text PDF converters and OCR produce (issue 17), one layout per variant.

Each variant reproduces a layout seen in real converted reports (corpus/full/009.txt and the PDFs offices
send): header words one per line or one character per line, row labels wrapped over 2–3 lines with the
seven numbers alone on the line after (or before) them, a space inside a word, 表4 as one bare line of 15
numbers, page footers and page numbers inside a table, a row split by a page break, 「3、其他」 numbering,
misprinted labels, the 2019 single-row 「（六）其他处理」, markdown tables with labels and numbers in rows of
their own, glued digits under a misprinted heading. ``cell_accuracy`` compares a reading with the truth.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from bot.report import Report, Value
from bot.schema import SECTIONS, T3_ROW_GROUPS, T3_ROW_LABELS, T4_BLOCKS, T4_COLUMNS, t3_row_keys

_NUMERALS = "一二三四五六"
_T3_HEAD_WORDS = ["本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", "申请人情况", "自然人",
                  "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
_T4_HEAD_WORDS = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
                  "未经复议直接起诉", "复议后起诉", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
                  "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def _n(v: Value) -> str:
    if v.value is None:
        return ""
    x = v.value
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


class _Style:
    """The knobs of one variant; ``rng`` decides the per-row choices."""

    def __init__(self, seed: int, **kw: object) -> None:
        self.rng = random.Random(seed)
        self.header = kw.get("header", "words")  # words | chars | inline
        self.wrap = kw.get("wrap", 0)  # wrap labels at this many characters (0: one line)
        self.numbers = kw.get("numbers", "same")  # same | after | before
        self.space_in_label = bool(kw.get("space_in_label"))
        self.numbering = kw.get("numbering", ".")  # . | 、
        self.misprint = float(kw.get("misprint", 0.0))  # share of labels with a character dropped/doubled
        self.pages = bool(kw.get("pages"))  # footers, page numbers and a row split by a page break
        self.t4 = kw.get("t4", "rows")  # rows | bare
        self.heading_typo = bool(kw.get("heading_typo"))
        self.glued = bool(kw.get("glued"))
        self.group_inline = bool(kw.get("group_inline"))  # 「（三）不予公开 1.属于国家秘密 0 0 …」 on one line
        self.blanks = float(kw.get("blanks", 0.0))  # share of cells left blank in the document (markdown)


def _label(key: str, st: _Style) -> str:
    label = T3_ROW_LABELS[key]
    if st.numbering != "." and label[:1].isdigit():
        label = label.replace(".", st.numbering, 1)
    if st.misprint and st.rng.random() < st.misprint:
        core_from = 2 if label[:1].isdigit() else 3
        if len(label) > core_from + 4:
            i = st.rng.randrange(core_from + 1, len(label) - 1)
            label = label[:i] + label[i + 1 :] if st.rng.random() < 0.5 else label[:i] + label[i] + label[i:]
    if st.space_in_label and len(label) > 6 and st.rng.random() < 0.4:
        i = st.rng.randrange(3, len(label) - 2)
        label = label[:i] + " " + label[i:]
    return label


def _wrap(text: str, width: int, rng: random.Random) -> list[str]:
    if not width or len(text) <= width:
        return [text]
    w = width + rng.randint(-2, 2)
    return [text[i : i + w] for i in range(0, len(text), w)][:3] if len(text) <= 3 * w else [
        text[:w], text[w : 2 * w], text[2 * w :]]


def _header(words: list[str], st: _Style) -> list[str]:
    if st.header == "chars":
        return [ch for w in words for ch in w if not ch.isspace()]
    if st.header == "inline":
        return [" ".join(words)]
    return list(words)


class _Pager:
    """Inserts a page footer every ``every`` lines of a table (and keeps the page count)."""

    def __init__(self, st: _Style, page: int = 3) -> None:
        self.st, self.page, self.count = st, page, 0
        self.every = st.rng.randint(9, 14)

    def footer(self) -> list[str]:
        self.page += 1
        kind = self.st.rng.choice(["dash", "bare", "di"])
        return [{"dash": f"- {self.page} -", "bare": str(self.page), "di": f"第 {self.page} 页"}[kind]]

    def tick(self, out: list[str]) -> None:
        if not self.st.pages:
            return
        self.count += 1
        if self.count % self.every == 0:
            out.extend(self.footer())


def _t2(report: Report, st: _Style) -> list[str]:
    t2 = report.proactive
    if t2 is None:
        return []
    out = ["第二十条第（一）项", *_header(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], st)]
    def row(label: str, *numbers: str) -> list[str]:
        if not st.wrap:
            return [" ".join([label, *numbers])]
        lines = [label[:5], label[5:]] if len(label) > 5 else [label]  # narrow first column
        return [*lines, " ".join(numbers)] if st.numbers != "same" else [*lines[:-1], " ".join([lines[-1], *numbers])]

    for key, label in (("regulations", "规章"), ("normative_documents", "行政规范性文件")):
        out += row(label, *(_n(t2[key][c]) for c in ("issued", "repealed", "in_force")))
    out += ["第二十条第（五）项", *_header(["信息内容", "本年处理决定数量"], st), *row("行政许可", _n(t2["licensing"]))]
    out += ["第二十条第（六）项", *_header(["信息内容", "本年处理决定数量"], st), *row("行政处罚", _n(t2["penalty"])),
            *row("行政强制", _n(t2["enforcement"]))]
    out += ["第二十条第（八）项", *_header(["信息内容", "本年收费金额（单位：万元）"], st),
            *row("行政事业性收费", _n(t2["fees_10k_yuan"]))]
    return out


def _t3(report: Report, st: _Style) -> list[str]:
    apps = report.applications
    if apps is None:
        return []
    out = _header(_T3_HEAD_WORDS, st)
    pager = _Pager(st)
    groups: set[str] = set()
    split_done = False
    for key in t3_row_keys(report.format):
        if key not in apps:
            continue
        group = T3_ROW_GROUPS[key]
        if report.format == "2019" and key == "other_other":
            label = "（六）其他处理"
        else:
            label = _label(key, st)
            if group and group not in groups:
                if st.group_inline:
                    label = f"{group} {label}"
                else:
                    out.append(group)
            groups.add(group)
        numbers = [_n(v) for v in apps[key]]
        if st.glued:
            out.append(label + "".join(numbers))
            pager.tick(out)
            continue
        lines = _wrap(label, int(st.wrap), st.rng)
        nums = " ".join(numbers)
        if st.pages and not split_done and key == "deny_process":
            # a row split by a page break: three numbers, the footer and the repeated header, four numbers
            out.extend(lines)
            out.append(" ".join(numbers[:3]))
            out.extend(pager.footer())
            out.extend(_header(_T3_HEAD_WORDS[2:], st))
            out.append(" ".join(numbers[3:]))
            split_done = True
        elif st.numbers == "after" or st.numbers == "mixed" and st.rng.random() < 0.5:
            out.extend(lines)
            out.append(nums)
        elif st.numbers == "before":
            out.append(nums)
            out.extend(lines)
        else:
            out.extend(lines[:-1])
            out.append(f"{lines[-1]} {nums}")
        pager.tick(out)
    return out


def _t4(report: Report, st: _Style) -> list[str]:
    if report.appeals is None:
        return []
    numbers = [_n(report.appeals[b][c]) for b in T4_BLOCKS for c in T4_COLUMNS]
    if st.t4 == "bare":
        words = list(_T4_HEAD_WORDS)
        st.rng.shuffle(words)
        head = _header(words, st) if st.header != "inline" else [" ".join(words)]
        return [*head, " ".join(numbers)]
    if st.glued:
        return ["行政复议 行政诉讼", " ".join(_T4_HEAD_WORDS[2:]), "".join(numbers)]
    return [*_header(_T4_HEAD_WORDS, st), " ".join(numbers[:5]), " ".join(numbers[5:10]), " ".join(numbers[10:])]


def render_messy(report: Report, variant: str, seed: int = 0) -> str:
    """The report as converted text in one of :data:`VARIANTS`."""
    st = _Style(seed, **VARIANTS[variant])
    out = [report.title or f"{report.office.name}{report.year}年政府信息公开工作年度报告", ""]
    tables: dict[str, Callable[[Report, _Style], list[str]]] = {SECTIONS[1]: _t2, SECTIONS[2]: _t3, SECTIONS[3]: _t4}
    for i, section in enumerate(SECTIONS):
        if section not in report.sections:
            continue
        heading = f"{_NUMERALS[i]}、{section}"
        if st.heading_typo and section in (SECTIONS[2], SECTIONS[3]):
            heading = heading.replace("处理", "处里").replace("行政复议", "行政法复议")
        out.append(heading)
        if section in tables:
            out.extend(tables[section](report, st))
        else:
            out.extend(p for p in report.section_text.get(section, "").split("\n") if p.strip())
        out.append("")
    return "\n".join(out) + "\n"


#: Layout variants (issue 17): name → knobs of :class:`_Style`.
VARIANTS: dict[str, dict[str, object]] = {
    "header-words": {"header": "words"},
    "header-chars": {"header": "chars"},
    "wrapped-after": {"wrap": 12, "numbers": "after"},
    "wrapped-before": {"wrap": 12, "numbers": "before", "header": "chars"},
    "wrapped-same": {"wrap": 10, "numbers": "same"},
    "space-in-label": {"space_in_label": True},
    "t4-bare": {"t4": "bare", "header": "chars"},
    "pages": {"pages": True, "wrap": 14, "numbers": "after"},
    "numbering-dun": {"numbering": "、", "wrap": 12, "numbers": "after"},
    "misprints": {"misprint": 0.3, "numbers": "same"},
    "misprints-wrapped": {"misprint": 0.3, "wrap": 12, "numbers": "after", "pages": True},
    "glued-typo-heading": {"glued": True, "heading_typo": True},
    "mixed-group-inline": {"numbers": "mixed", "wrap": 13, "group_inline": True, "space_in_label": True},
    "before-pages-misprints": {"numbers": "before", "wrap": 9, "pages": True, "misprint": 0.25, "header": "chars"},
    "everything": {"header": "chars", "wrap": 11, "numbers": "after", "space_in_label": True, "numbering": "、",
                   "misprint": 0.2, "pages": True, "t4": "bare", "heading_typo": True},
}


def render_markdown(report: Report, seed: int = 0, blanks: float = 0.0) -> str:
    """A PDF converter's markdown: 表3 with each label in a row of its own and its numbers in the next row,
    some rows of numbers without any label, 表4 as one row of 15 cells; ``blanks`` of the 表3 cells are
    left empty (``| |``: a blank the document shows, which must read as blank)."""
    rng = random.Random(seed)
    out = [f"# {report.title}", ""]
    for i, section in enumerate(SECTIONS):
        if section not in report.sections:
            continue
        out += [f"## {_NUMERALS[i]}、{section}", ""]
        if section == SECTIONS[2] and report.applications is not None:
            out += ["| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
                    "|---|---|---|---|---|---|---|---|"]
            for key in t3_row_keys(report.format):
                cells = [_n(v) for v in report.applications[key]]
                if blanks:
                    cells = ["" if rng.random() < blanks else c for c in cells]
                if key != "new_received" and rng.random() < 0.15:
                    out.append("| " + " | ".join(cells) + " |")  # numbers without a label
                    continue
                out.append(f"| {T3_ROW_LABELS[key]} | | | | | | | |")
                out.append("| | " + " | ".join(cells) + " |")
            out.append("")
        elif section == SECTIONS[3] and report.appeals is not None:
            numbers = [_n(report.appeals[b][c]) for b in T4_BLOCKS for c in T4_COLUMNS]
            out += ["| 行政复议 | | | | | 行政诉讼 |", "|" + "---|" * 15, "| " + " | ".join(numbers) + " |", ""]
        elif section == SECTIONS[1] and report.proactive is not None:
            out += [line if " " not in line or line.startswith("第") else "| " + " | ".join(line.split(" ")) + " |"
                    for line in _t2(report, _Style(seed))]
            out.append("")
        else:
            out += [p for p in report.section_text.get(section, "").split("\n") if p.strip()] + [""]
    return "\n".join(out) + "\n"


def cell_accuracy(truth: Report, got: Report | None) -> tuple[int, int, list[str]]:
    """(right, total, wrong cells) over every 表2/表3/表4 cell of ``truth``."""
    want = truth.cells()
    if got is None:
        return 0, len(want), ["(no report)"]
    have = {(t, r, c): v.value for t, r, c, v in got.cells()}
    wrong = [f"{t}.{r}.{c}={have.get((t, r, c))}≠{v.value}" for t, r, c, v in want if have.get((t, r, c)) != v.value]
    return len(want) - len(wrong), len(want), wrong

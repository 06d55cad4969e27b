"""Structure rules (RULES.md §6.2 STR-01..07): the six statutory sections, their numbering and titles,
tables in the table sections, standard rows."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.report import Heading
from bot.schema import SECTIONS, T3_ROW_LABELS
from bot.validation.engine import Context, Hit, rule

NUMERALS = "一二三四五六"
SECTION_ORDINAL = {name: NUMERALS[i] for i, name in enumerate(SECTIONS)}

#: Keywords that identify a heading with a section even when it is worded differently (seed 001:
#: 「5、 存在问题及整改情况」).
_KEYWORDS: dict[str, tuple[str, ...]] = {
    SECTIONS[0]: ("总体情况", "概述"),
    SECTIONS[1]: ("主动公开",),
    SECTIONS[2]: ("申请",),
    SECTIONS[3]: ("复议", "诉讼"),
    SECTIONS[4]: ("问题",),
    SECTIONS[5]: ("其他需要报告", "其他事项"),
}

_SPACE_PUNCT_RE = re.compile(r"[\s、，,.．：:（）()“”\"]+")


def section_of(title: str) -> str | None:
    """The canonical section a heading text stands for, by keywords; ``None`` when none."""
    for name, words in _KEYWORDS.items():
        if any(w in title for w in words):
            return name
    return None


def _canonical(h: Heading) -> str | None:
    return h.canonical if h.canonical in SECTIONS else section_of(h.title)


def present_sections(ctx: Context) -> set[str]:
    """Sections the reader found, by any of the signals it gives (names, headings, section texts)."""
    if "sections" in ctx.memo:
        return ctx.memo["sections"]  # type: ignore[return-value]
    found = {s for s in ctx.report.sections if s in SECTIONS}
    ctx.memo["sections"] = found
    found |= {c for h in ctx.report.headings if (c := _canonical(h))}
    found |= {s for s in ctx.report.section_text if s in SECTIONS}
    for s in list(ctx.report.sections):
        if s not in SECTIONS and (c := section_of(s)):
            found.add(c)
    # by content: a table the reader found is its section, whatever its heading says
    for name, (attr, _) in _TABLE_OF.items():
        if getattr(ctx.report, attr) is not None:
            found.add(name)
    if len(found) < len(SECTIONS):  # the reader may miss a heading style (「## 一、总体情况」): look again
        for m in _HEADING_LINE_RE.finditer(ctx.text):
            if (c := section_of(m.group(2))) and c not in found and _NUMERAL_OF.get(m.group(1)) == c:
                found.add(c)
    return found


_HEADING_LINE_RE = re.compile(r"(?m)^[#\s]*([一二三四五六1-6１-６])\s*[、.．]\s*([^\n]{2,40})$")
_NUMERAL_OF = {
    **{n: SECTIONS[i] for i, n in enumerate(NUMERALS)},
    **{str(i + 1): SECTIONS[i] for i in range(6)},
    **{chr(0xFF11 + i): SECTIONS[i] for i in range(6)},
}


def _checkable(ctx: Context) -> bool:
    """Structure is only judged for the 2019/2021 formats and when the reader saw any structure (a
    pre-2019 report follows the old 条例's layout and is checked only for what it has)."""
    r = ctx.report
    old = r.format == "pre2019" or (r.year is not None and r.year < 2019)
    return not old and bool(r.sections or r.headings or r.section_text)


@rule("STR-01", "error", "缺少法定部分")
def missing_section(ctx: Context) -> Iterator[Hit]:
    """Statutory sections missing — one finding naming them all."""
    if not _checkable(ctx):
        return
    present = present_sections(ctx)
    cut = ctx.cut_off
    trailing = set(cut.trailing) if cut else set()
    missing = [i for i, name in enumerate(SECTIONS) if name not in present and i not in trailing]
    if missing:
        parts = "、".join(f"第{NUMERALS[i]}部分“{SECTIONS[i]}”" for i in missing)
        yield Hit(
            f"缺少{parts}，条例第五十条规定年报须包含该部分内容，请补上。",
            "Missing section(s): " + ", ".join(f"{i + 1} “{SECTIONS[i]}”" for i in missing)
            + " (required by 条例 art. 50); add them.",
            f"第{NUMERALS[missing[0]]}部分",
            len(missing),
        )
    if cut:
        where = f"第{NUMERALS[cut.last]}部分"
        if cut.t3_row:
            where += f"表3“{T3_ROW_LABELS[cut.t3_row]}”行"
        first, last = NUMERALS[cut.trailing[0]], NUMERALS[cut.trailing[-1]]
        span = f"第{first}部分" if first == last else f"第{first}至{last}部分"
        yield Hit(
            f"文件在{where}处结束，未见{span}；请确认发送的是完整报告（如报告本身缺少这些部分，须补齐）。",
            f"The file ends in section {cut.last + 1}; sections {cut.trailing[0] + 1}–{cut.trailing[-1] + 1} "
            "are not in it. Send the whole report (if the report lacks them, they must be added).",
            where,
            len(cut.trailing),
            severity="warning",
        )


_ARABIC = re.compile(r"^[0-9０-９]+$")


@rule("STR-02", "warning", "部分编号错误或顺序颠倒")
def numbering(ctx: Context) -> Iterator[Hit]:
    """Section numerals are not 一…六 in order (「5、」「1、」, restarted or shifted numbering)."""
    heads = [(h, c) for h in ctx.report.headings if (c := _canonical(h))]
    if not heads or not _checkable(ctx):
        return
    arabic = [h for h, _ in heads if _ARABIC.match(h.numeral.strip())]
    wrong = [
        (h, c)
        for h, c in heads
        if h.numeral.strip() and not _ARABIC.match(h.numeral.strip()) and h.numeral.strip() != SECTION_ORDINAL[c]
    ]
    order = [SECTIONS.index(c) for _, c in heads]
    if arabic:
        ords = [SECTION_ORDINAL[c] for h, c in heads if h in arabic]
        shown = "”“".join(f"{h.numeral.strip()}、" for h in arabic)
        want = "”“".join(f"{o}、" for o in ords)
        yield Hit(
            f"第{'、'.join(ords)}部分标题使用“{shown}”，应为“{want}”。",
            f"Section headings numbered “{shown}” should use Chinese numerals (“{want}”).",
            f"第{arabic[0].line}行" if arabic[0].line else "标题",
        )
    if wrong:
        h, c = wrong[0]
        yield Hit(
            f"“{h.numeral}、{h.title}”编号有误，应为“{SECTION_ORDINAL[c]}、”。",
            f"Heading “{h.numeral}、{h.title}” should be numbered {SECTION_ORDINAL[c]}.",
            f"第{h.line}行" if h.line else "标题",
        )
    elif order != sorted(order):
        yield Hit(
            "各部分顺序与规定格式不一致，应依次为总体情况、主动公开、依申请公开、复议诉讼、问题及改进、其他事项。",
            "The sections are out of the prescribed order.",
            "标题",
        )


#: Accepted wordings besides the canonical one (2019 format titles of section 五, etc.).
_ACCEPTED = {
    SECTIONS[2]: ("收到和处理政府信息公开申请情况",),
    SECTIONS[3]: ("行政复议、行政诉讼情况", "行政复议和行政诉讼情况", "行政复议或提起行政诉讼情况"),
    SECTIONS[4]: ("存在的主要问题及改进情况",),
}
_TYPOS = {"行政法复议": "行政复议", "主动公开政府息": "主动公开政府信息", "政府信公开": "政府信息公开"}


@rule("STR-03", "info", "部分标题与规定格式不一致")
def heading_text(ctx: Context) -> Iterator[Hit]:
    """A section heading's wording deviates from the canonical text (incl. typos)."""
    if not _checkable(ctx):
        return
    for h in ctx.report.headings:
        c = _canonical(h)
        if c is None:
            continue
        title = _SPACE_PUNCT_RE.sub("", h.title)
        for typo, right in _TYPOS.items():
            if typo in title:
                yield Hit(
                    f"第{SECTION_ORDINAL[c]}部分标题“{h.title.strip()}”中“{typo}”疑为“{right}”。",
                    f"Heading “{h.title.strip()}” seems to contain a typo (“{typo}” → “{right}”).",
                    f"第{h.line}行" if h.line else f"第{SECTION_ORDINAL[c]}部分",
                )
                break
        else:
            want = _SPACE_PUNCT_RE.sub("", c)
            if want in title or any(_SPACE_PUNCT_RE.sub("", a) in title for a in _ACCEPTED.get(c, ())):
                continue
            yield Hit(
                f"第{SECTION_ORDINAL[c]}部分标题“{h.title.strip()}”与规定格式“{c}”不一致。",
                f"Heading “{h.title.strip()}” differs from the prescribed “{c}”.",
                f"第{h.line}行" if h.line else f"第{SECTION_ORDINAL[c]}部分",
            )


#: Header words that show a table is printed even when its numbers could not be read.
_HEADER_WORDS = {
    "表2": ("第二十条", "信息内容", "本年制发件数", "本年新制作数量"),
    "表3": ("勾稽关系", "申请人情况", "本年新收"),
    "表4": ("结果维持", "尚未审结", "复议后起诉"),
}
_TABLE_OF = {SECTIONS[1]: ("proactive", "表2"), SECTIONS[2]: ("applications", "表3"), SECTIONS[3]: ("appeals", "表4")}


@rule("STR-04", "error", "表格部分缺少统计表")
def section_without_table(ctx: Context) -> Iterator[Hit]:
    """A table section is present but has no table (e.g. only 「未收到申请」)."""
    if not _checkable(ctx):
        return
    present = present_sections(ctx)
    cut = ctx.cut_off
    for name, (attr, table) in _TABLE_OF.items():
        if cut is not None and SECTIONS.index(name) == cut.last:
            continue  # the file ends in this section: its table may be after the cut (STR-01 says so)
        if name in present and getattr(ctx.report, attr) is None:
            text = (ctx.section(name) or "").strip()
            if any(w in text for w in _HEADER_WORDS[table]):
                continue  # the table is there but could not be read: the reader's finding, not ours
            if any(f.code == "ING-08" and table in f.where for f in ctx.report.ingest_findings):
                continue  # the reader says it could not read it (a picture OCR could not read): ING-08
            said = f"只有文字“{text[:20]}”，" if text else ""
            yield Hit(
                f"第{SECTION_ORDINAL[name]}部分{said}缺少统计{table}；即使全部为0也应列出表格。",
                f"Section {NUMERALS.index(SECTION_ORDINAL[name]) + 1} has no table ({table}); "
                "list it even when all zero.",
                table,
            )


@rule("STR-05", "warning", "表格行缺失或改名")
def missing_rows(ctx: Context) -> Iterator[Hit]:
    """Standard rows missing or renamed (the reader lists them; 表3 keys absent from the table)."""
    if any(f.code == "STR-05" for f in ctx.report.ingest_findings):
        return
    named = list(ctx.report.missing_rows)
    apps = ctx.report.applications
    if apps is not None:
        for key in ctx.row_keys:
            if key not in apps:
                label = T3_ROW_LABELS[key]
                if label not in named:
                    named.append(label)
    if ctx.report.format == "2019" or ctx.fmt == "2019":
        named = [n for n in named if n not in (T3_ROW_LABELS["other_no_correction"], T3_ROW_LABELS["other_fee_unpaid"])]
    if ctx.cut_rows and apps is not None:  # the file ends inside 表3: rows after the cut are not missing
        after = {T3_ROW_LABELS[k] for k in ctx.row_keys[ctx.row_keys.index(next(iter(ctx.cut_rows))) :]}
        named = [n for n in named if n not in after]
    if named:
        shown = "、".join(f"“{label}”" for label in named[:3])
        more = f"等{len(named)}行" if len(named) > 3 else "行"
        yield Hit(
            f"表格缺少{shown}{more}（或行名被改写），请按规定格式填报。",
            f"{len(named)} standard row(s) missing or renamed, e.g. “{named[0]}”.",
            f"“{named[0]}”行",
            len(named),
        )


@rule("STR-06", "warning", "非标准行或表格重复")
def extra_rows(ctx: Context) -> Iterator[Hit]:
    """Non-standard rows such as a 「不予公开小计」 (the reader lists them)."""
    if any(f.code == "STR-06" for f in ctx.report.ingest_findings):
        return
    for label in ctx.report.extra_rows:
        yield Hit(
            f"表格出现非标准行“{label}”，已忽略，请勿另加小计行。",
            f"Non-standard row “{label}” ignored; do not add subtotal rows.",
            f"“{label}”行",
        )


_SUBTOPICS = re.compile(r"^(?:主动公开(?:情况)?|依申请公开(?:情况)?|政府信息管理(?:情况)?|"
                        r"(?:政府信息公开)?平台建设(?:情况)?|监督保障(?:情况)?)$")


@rule("STR-07", "warning", "总体情况的小标题被提升为一级标题")
def promoted_subtopics(ctx: Context) -> Iterator[Hit]:
    """「二、政府信息管理」 as a top-level heading instead of 「（三）政府信息管理」 under 总体情况."""
    if not _checkable(ctx):
        return
    for h in ctx.report.headings:
        title = _SPACE_PUNCT_RE.sub("", h.title)
        if h.canonical in (None, "", SECTIONS[0]) and _SUBTOPICS.match(title) and "政府信息情况" not in title:
            yield Hit(
                f"“{h.numeral}、{h.title.strip()}”应为总体情况下的小标题（如“（三）{h.title.strip()}”）。",
                f"“{h.title.strip()}” is a sub-topic of section 1, not a top-level section.",
                f"第{h.line}行" if h.line else "标题",
            )

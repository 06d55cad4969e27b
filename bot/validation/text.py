"""Prose ↔ table rules (RULES.md §6.6 TXT-01..11), over the numbers the reader found in the prose
(``report.prose``) and the section texts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.report import Number, ProseNumber
from bot.schema import SECTIONS, T3_COLUMNS, T3_GROUPS
from bot.validation import access as A
from bot.validation import labels as L
from bot.validation.engine import Context, Hit, rule
from bot.validation.t3 import total_of


def _prose(ctx: Context, *kinds: str) -> list[ProseNumber]:
    return [p for p in ctx.report.prose if p.kind in kinds]


def _where(p: ProseNumber, default: str = "正文") -> str:
    return f"正文 {p.where}".strip() if p.where else default


#: Words that make a 「申请」 something else than an information request (an appeal, a complaint).
_NOT_REQUESTS = ("复议", "诉讼", "投诉", "举报", "信访")
_WHO_NAME = {"natural": "自然人", "legal": "法人或其他组织"}
_WHO_EN = {"natural": "natural persons", "legal": "legal persons and other organisations"}


def own(ctx: Context, p: ProseNumber) -> bool:
    """True when the number is this office's total for the report year (not another year's, not
    applications made to another office, not 上年's, not a part such as 「其中通过网上平台…」)."""
    if p.who.startswith("year:"):
        return ctx.year is not None and p.who == f"year:{ctx.year}"
    return p.who not in ("prev", "other", "part")


def subject_value(ctx: Context, row: str, who: str) -> Number | None:
    """The 表3 number of ``row`` for the subject: 自然人 column, the five 法人或其他组织 columns, or 总计."""
    if who == "natural":
        return A.t3(ctx.report, row, "natural_person")
    if who == "legal":
        parts = [A.t3(ctx.report, row, c) for c in T3_COLUMNS[1:6]]
        return None if any(v is None for v in parts) else sum(parts)  # type: ignore[arg-type]
    return total_of(ctx, row)


def _subject(p: ProseNumber) -> tuple[str, str]:
    """「（自然人）」 and " (natural persons)" for a subject-specific number; empty for a total."""
    if p.who in _WHO_NAME:
        return f"{_WHO_NAME[p.who]}", f" from {_WHO_EN[p.who]}"
    return "", ""


@rule("TXT-01", "warning", "正文收到申请数与表3不符")
def received(ctx: Context) -> Iterator[Hit]:
    """Prose 「收到/新收 N件」 ≠ 本年新收·总计 and ≠ 新收 + 上年结转."""
    for p in _prose(ctx, "received"):
        if not own(ctx, p) or any(w in p.text for w in _NOT_REQUESTS) or _qualified(p.text):
            continue  # 「收到行政复议申请1件」 is an appeal; 「收到需延期答复的申请1件」 a part
        new, old = subject_value(ctx, "new_received", p.who), subject_value(ctx, "carried_over", p.who)
        if new is None:
            continue
        if p.value == new or (old is not None and p.value == new + old):
            continue
        if p.who == "" and new == 0 and (old or 0) == 0 and p.value > 0:
            continue  # TXT-06 says it (as an error)
        both = f"（含上年结转共{L.num(new + old)}件）" if old else ""
        who, who_en = _subject(p)
        col = f"“{who}”列" if who else ""
        yield Hit(
            f"正文“{p.text}”称收到{who}申请{L.num(p.value)}件，表3本年新收{col}为{L.num(new)}件{both}；"
            "请核对正文或表3，使两者一致。",
            f"The text says {L.num(p.value)} applications were received{who_en}; 表3 says {L.num(new)} new.",
            _where(p),
            p.value,
            new,
            p.value - new,
        )


@rule("TXT-02", "warning", "正文办结数与表3不符")
def processed(ctx: Context) -> Iterator[Hit]:
    """Prose 「办结/答复 N件」 ≠ （七）总计."""
    done = total_of(ctx, "total_processed")
    if done is None:
        return
    for p in _prose(ctx, "processed"):
        if own(ctx, p) and p.who not in _WHO_NAME and p.value != done:
            yield Hit(
                f"正文称办结{L.num(p.value)}件，表3“（七）总计”为{L.num(done)}件。",
                f"The text says {L.num(p.value)} were answered; 表3 total processed is {L.num(done)}.",
                _where(p),
                p.value,
                done,
                p.value - done,
            )


@rule("TXT-03", "warning", "正文结转数与表3不符")
def carried_forward(ctx: Context) -> Iterator[Hit]:
    """Prose 「结转 N件」 ≠ 结转下年度·总计."""
    fwd = total_of(ctx, "carried_forward")
    if fwd is None:
        return
    for p in _prose(ctx, "carried_forward"):
        if own(ctx, p) and p.who not in _WHO_NAME and p.value != fwd:
            yield Hit(
                f"正文称{L.num(p.value)}件结转下年度，表3结转下年度为{L.num(fwd)}件。",
                f"The text says {L.num(p.value)} carried forward; 表3 says {L.num(fwd)}.",
                _where(p),
                p.value,
                fwd,
                p.value - fwd,
            )


#: Prose kinds for 办理结果 categories → the 表3 rows they sum.
_CATEGORY_ROWS: dict[str, tuple[str, ...]] = {
    "granted": ("granted",),
    "partial": ("partial",),
    "granted_or_partial": ("granted", "partial"),
    "denied": T3_GROUPS["deny"],
    "deny": T3_GROUPS["deny"],
    "unable": T3_GROUPS["unable"],
    "not_processed": T3_GROUPS["noproc"],
    "noproc": T3_GROUPS["noproc"],
    "other_handling": T3_GROUPS["other"],
}
_CATEGORY_NAMES = {
    "granted": "予以公开",
    "partial": "部分公开",
    "granted_or_partial": "予以公开及部分公开",
    "denied": "不予公开",
    "deny": "不予公开",
    "unable": "无法提供",
    "not_processed": "不予处理",
    "noproc": "不予处理",
    "other_handling": "其他处理",
}


def _group_sum(ctx: Context, rows: tuple[str, ...]) -> tuple[Number | None, list[Number]]:
    parts = [total_of(ctx, r) for r in rows if ctx.report.applications and r in ctx.report.applications]
    if not parts or any(p is None for p in parts):
        return None, []
    return sum(parts), parts  # type: ignore[arg-type]


def _group_floor(ctx: Context, rows: tuple[str, ...]) -> Number | None:
    """A lower bound for a group when 总计 cells are blank: the filled applicant cells (blanks skipped).

    Only used to say a prose number is certainly too small (Shanghai 2019: 「予以公开及部分公开258件」
    while the filled cells already add up to 275)."""
    apps = ctx.report.applications or {}
    values = [
        v.value
        for r in rows
        for v in (apps.get(r) or [])[:6]
        if v.value is not None
    ]
    return sum(values) if values else None


_CATEGORY_RE = re.compile(
    r"(予以公开(?:及|和|、|或)部分公开|予以公开|部分公开|不予公开|无法提供|不予处理|其他处理)"
    r"(?:的|类)?(?:申请)?(?:共|合计)?(\d+)件"
)
_CATEGORY_KIND = {"予以公开": "granted", "部分公开": "partial", "不予公开": "denied", "无法提供": "unable",
                  "不予处理": "not_processed", "其他处理": "other_handling"}


def category_claims(ctx: Context) -> list[ProseNumber]:
    """Category counts the reader found, plus 「不予公开35件」-style phrases of sections 一/三 for the
    categories it did not report (never table text: table cells carry no 件)."""
    found = _prose(ctx, *_CATEGORY_ROWS)
    have = {_category_kind(p) for p in found}
    text = "\n".join(ctx.section(s) or "" for s in (SECTIONS[0], SECTIONS[2])) or ctx.text
    for m in _CATEGORY_RE.finditer(text):
        name = m.group(1)
        kind = "granted_or_partial" if len(name) > 4 else _CATEGORY_KIND[name]
        if kind not in have:
            found.append(ProseNumber(kind, int(m.group(2)), m.group(0)))
    return found


def _category_kind(p: ProseNumber) -> str:
    return "granted_or_partial" if p.kind == "granted" and "部分公开" in p.text else p.kind


@rule("TXT-04", "warning", "正文办理结果分类数与表3不符")
def categories(ctx: Context) -> Iterator[Hit]:
    """Prose category counts ≠ 表3 group sums, or the stated categories exceed 办结; and the outcome the
    prose states in words (「均已同意公开」) against the row 表3 counts it in (:func:`outcome_wording`)."""
    yield from category_counts(ctx)
    yield from outcome_wording(ctx)


def category_counts(ctx: Context) -> Iterator[Hit]:
    """Prose category counts ≠ 表3 group sums, or the stated categories exceed 办结."""
    stated: list[Number] = []
    for p in category_claims(ctx):
        if not own(ctx, p) or p.who in _WHO_NAME:
            continue  # another year's, another office's, or one applicant kind's count
        kind = _category_kind(p)
        total, parts = _group_sum(ctx, _CATEGORY_ROWS[kind])
        if total is None:
            floor = _group_floor(ctx, _CATEGORY_ROWS[kind])
            if floor is not None and p.value < floor:
                yield Hit(
                    f"正文称“{p.text or _CATEGORY_NAMES[kind] + L.num(p.value) + '件'}”，少于表3{_CATEGORY_NAMES[kind]}"
                    f"已填各列之和{L.num(floor)}件。",
                    f"The text gives {L.num(p.value)} for “{_CATEGORY_NAMES[kind]}”; the filled 表3 cells "
                    f"already add up to {L.num(floor)}.",
                    _where(p),
                    p.value,
                    floor,
                    p.value - floor,
                )
            continue
        stated.append(p.value)
        if p.value != total:
            expr = "+".join(L.num(x) for x in parts if x) if len([x for x in parts if x]) > 1 else ""
            shown = f"{expr}={L.num(total)}" if expr else L.num(total)
            yield Hit(
                f"正文称“{p.text or _CATEGORY_NAMES[kind] + L.num(p.value) + '件'}”，表3{_CATEGORY_NAMES[kind]}为{shown}件。",
                f"The text gives {L.num(p.value)} for “{_CATEGORY_NAMES[kind]}”; 表3 gives {L.num(total)}.",
                _where(p),
                p.value,
                total,
                p.value - total,
            )
    done = total_of(ctx, "total_processed")
    if done is not None and stated and sum(stated) > done:
        yield Hit(
            f"正文各类办理结果合计{L.num(sum(stated))}件，超过办结总数{L.num(done)}件。",
            f"The categories in the text add up to {L.num(sum(stated))}, more than the {L.num(done)} processed.",
            "正文",
            sum(stated),
            done,
            sum(stated) - done,
        )


@rule("TXT-05", "warning", "正文复议/诉讼数与表4不符")
def appeals(ctx: Context) -> Iterator[Hit]:
    """Prose 行政复议/行政诉讼 N件 ≠ 表4 totals (诉讼 = 直接起诉 + 复议后起诉)."""
    if not ctx.report.appeals:
        return
    review = A.t4(ctx.report, "review")
    direct, after = A.t4(ctx.report, "litigation_direct"), A.t4(ctx.report, "litigation_after_review")
    lawsuits = None if direct is None or after is None else direct + after
    for kind, table, name, name_en in (
        ("review", review, "行政复议", "administrative reviews"),
        ("litigation", lawsuits, "行政诉讼", "lawsuits"),
    ):
        if table is None:
            continue
        for p in _prose(ctx, kind):
            if own(ctx, p) and p.value != table:
                extra = "（直接起诉+复议后起诉）" if kind == "litigation" else ""
                yield Hit(
                    f"正文称{name}{L.num(p.value)}件，表4{name}合计{extra}为{L.num(table)}件。",
                    f"The text says {L.num(p.value)} {name_en}; 表4 says {L.num(table)}.",
                    _where(p),
                    p.value,
                    table,
                    p.value - table,
                )




_NONE_GAP_RE = re.compile(r"(?:收到|受理|接到)(.*?)申请")
#: Words between 「未收到」 and 「申请」 that keep the claim about every information request (or about
#: one applicant kind, which ProseNumber.who carries); anything else narrows it — 「未收到需要延期答复的
#: 申请」「未收到书面申请」 say nothing about how many requests there were.
_GENERAL_WORDS_RE = re.compile(
    r"政府信息公开|信息公开|依申请公开|政府信息|公开|任何|有关|相关|本机关|本单位|我局|我办|我委|我街道|我镇|我乡|"
    r"公民|法人|或者|其他组织|自然人|企业|个人|群众|社会组织|向|对|提出|提交|的|或|和|及|、|类|方面|各类|共计|共|"
    r"全年|累计|本年度?|今年|\d+|件|宗|次|\s"
)


def _qualified(text: str) -> bool:
    """True when 「未收到…申请」 names a narrower kind of request than "information requests"."""
    m = _NONE_GAP_RE.search(text)
    return bool(m and _GENERAL_WORDS_RE.sub("", m.group(1)))


@rule("TXT-06", "error", "正文称未收到申请但表3有申请（或相反）")
def none_received(ctx: Context) -> Iterator[Hit]:
    """Prose 「未收到申请」 while 本年新收 > 0, or prose counts applications while the table has none.

    A negation is about its own subject only: 「未收到法人或其他组织申请」 is compared with the five
    法人或其他组织 columns, not with the total; another year's or another office's sentence is not
    compared at all."""
    if total_of(ctx, "new_received") is None:
        return
    # 「未收到…行政复议申请」 is about appeals, not about information requests
    claims = [
        p for p in _prose(ctx, "none_received")
        if not any(w in p.text for w in _NOT_REQUESTS) and own(ctx, p) and not _qualified(p.text)
    ]
    for p in claims:
        new = subject_value(ctx, "new_received", p.who)
        if new is None or new <= 0:
            continue
        who, who_en = _subject(p)
        col = f"“{who}”列" if who else ""
        yield Hit(
            f"正文称“{p.text or '未收到政府信息公开申请'}”，但表3本年新收{col}为{L.num(new)}件；"
            "请改正正文或表3。",
            f"The text says no applications were received{who_en}, but 表3 shows {L.num(new)} new ones.",
            _where(p),
            0,
            new,
        )
        return
    new = total_of(ctx, "new_received")
    old = total_of(ctx, "carried_over") or 0
    if new == 0 and old == 0:
        for p in _prose(ctx, "received"):
            if p.value > 0 and own(ctx, p) and not any(w in p.text for w in _NOT_REQUESTS):
                yield Hit(
                    f"正文“{p.text}”称收到申请{L.num(p.value)}件，但表3本年新收和上年结转均为0；请改正正文或表3。",
                    f"The text says {L.num(p.value)} applications were received, but 表3 shows none.",
                    _where(p),
                    p.value,
                    0,
                    p.value,
                )
                return


_NORMATIVE_KINDS = {"normative_issued": ("normative_documents", "行政规范性文件"), "regulations_issued": ("regulations", "规章")}


@rule("TXT-07", "warning", "正文规范性文件/规章件数与表2不符")
def normative_documents(ctx: Context) -> Iterator[Hit]:
    """Prose 制发规范性文件/规章 N件 ≠ 表2 本年制发件数."""
    if not ctx.report.proactive:
        return
    for p in _prose(ctx, *_NORMATIVE_KINDS):
        if not own(ctx, p):
            continue
        row, name = _NORMATIVE_KINDS[p.kind]
        table = A.t2(ctx.report, row, "issued")
        if table is not None and p.value != table:
            yield Hit(
                f"正文称制发{name}{L.num(p.value)}件，表2本年制发件数为{L.num(table)}件。",
                f"The text says {L.num(p.value)} {row} issued; 表2 says {L.num(table)}.",
                _where(p),
                p.value,
                table,
                p.value - table,
            )


def _percent_base(ctx: Context, what: str) -> float | None:
    """The percentage a phrase like 「予以公开占」 or 「办结率」 refers to, computed from 表3/表4."""
    done = total_of(ctx, "total_processed")
    granted, partial = total_of(ctx, "granted"), total_of(ctx, "partial")
    if "办结率" in what or "答复率" in what:
        new, old = total_of(ctx, "new_received"), total_of(ctx, "carried_over")
        if None in (new, old, done) or not (new + old):  # type: ignore[operator]
            return None
        return 100 * done / (new + old)  # type: ignore[operator]
    if "纠错率" in what or "纠正率" in what:
        review = [A.t4(ctx.report, "review", c) for c in ("corrected", "total", "pending")]
        if None in review or not (review[1] - review[2]):  # type: ignore[operator]
            return None
        return 100 * review[0] / (review[1] - review[2])  # type: ignore[operator]
    if not done:
        return None
    if "实质公开" in what or ("予以公开" in what and "部分公开" in what) or what.strip() == "公开率":
        if granted is None or partial is None:
            return None
        return 100 * (granted + partial) / done
    for key, rows in (("部分公开", ("partial",)), ("予以公开", ("granted",)), ("不予公开", T3_GROUPS["deny"]),
                      ("无法提供", T3_GROUPS["unable"]), ("不予处理", T3_GROUPS["noproc"])):
        if key in what:
            total, _ = _group_sum(ctx, rows)
            return None if total is None else 100 * total / done
    return None


@rule("TXT-08", "info", "正文百分比无法由表格复算")
def percentages(ctx: Context) -> Iterator[Hit]:
    """Percentages in prose that the tables do not reproduce (to one decimal, with rounding slack)."""
    for p in _prose(ctx, "percent"):
        base = _percent_base(ctx, p.what or p.text)
        if base is None:
            continue
        if abs(base - p.value) > 0.15:
            yield Hit(
                f"正文称“{p.text or p.what}”，按表格计算为{base:.1f}%。",
                f"The text says {L.num(p.value)}% ({p.what}); the tables give {base:.1f}%.",
                _where(p),
                p.value,
                round(base, 1),
                round(p.value - base, 1),
            )


_FEE_WORDS = ("处理费", "收费", "收取费用", "信息公开费")
_NOTHING_RE = re.compile(r"^[\s。.]*(?:无|暂无|没有|无其他需要报告的事项|无需要报告的事项)[\s。.]*$")


@rule("TXT-09", "info", "第六部分未说明信息处理费")
def six_silent_on_fees(ctx: Context) -> Iterator[Hit]:
    """Section 六 says nothing about 信息处理费 (even 「未收取」 should be stated)."""
    six = ctx.section(SECTIONS[5])
    if six is None:
        return
    if not any(w in six for w in _FEE_WORDS):
        yield Hit(
            "第六部分未说明信息处理费收取情况（无收费也应说明“未收取”）。",
            "Section 6 does not mention information-processing fees (say so even when none were charged).",
            "第六部分",
        )


_FEE_AMOUNT_RE = re.compile(r"(?:信息处理费|处理费)[^。；\n]{0,20}?([1-9]\d*(?:\.\d+)?)\s*万?元")


@rule("TXT-10", "warning", "第六部分写“无”但别处有收费")
def six_empty_but_fees(ctx: Context) -> Iterator[Hit]:
    """Section 六 is just 「无」 while a fee shows in 表2 or the prose."""
    six = ctx.section(SECTIONS[5])
    if six is None or not _NOTHING_RE.match(six.strip()):
        return
    fee = A.t2(ctx.report, "fees_10k_yuan")
    elsewhere = _FEE_AMOUNT_RE.search(ctx.text)
    if fee or elsewhere:
        shown = f"表2收费{L.num(fee)}万元" if fee else f"正文“{elsewhere.group(0)}”"  # type: ignore[union-attr]
        yield Hit(
            f"{shown}，但第六部分仅写“{six.strip()}”，请说明收费情况。",
            "Fees are reported elsewhere, but section 6 only says “none”.",
            "第六部分",
            fee,
        )


@rule("TXT-11", "warning", "第五部分内容过于简略")
def five_too_short(ctx: Context) -> Iterator[Hit]:
    """Section 五 empty, 「无」 or under 30 characters."""
    five = ctx.section(SECTIONS[4])
    if five is None:
        return
    n = len(re.sub(r"\s", "", five))
    if n < 30:
        yield Hit(
            f"第五部分内容过于简略（{n}字），应写明存在问题及改进措施。",
            f"Section 5 is too short ({n} characters); describe the problems and the improvements.",
            "第五部分",
            n,
            30,
        )




# -- TXT-04 (words): the outcome the prose states vs the 表3 row the office counted it in -------------------

#: Outcome words → the 表3 rows they mean (「同意公开」 is the old word for 予以公开). Longest first, and
#: a word preceded by 不 is the opposite outcome (「不同意公开」).
_OUTCOMES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("予以公开及部分公开", r"(?:予以|同意)公开(?:及|和|、|或)(?:同意)?部分公开", ("granted", "partial")),
    ("部分公开", r"(?:同意|予以)?部分公开", ("partial",)),
    ("予以公开", r"(?<![不未动])(?:予以公开|同意公开|全部公开|依申请予以公开)", ("granted",)),
    ("不予公开", r"不予(?:以)?公开|不同意公开", T3_GROUPS["deny"]),
    ("无法提供", r"无法提供|信息不存在|(?:本机关|我局|我办|我单位)?不掌握|非本机关(?:掌握|信息)|不属于本机关", T3_GROUPS["unable"]),
    ("不予处理", r"不予处理", T3_GROUPS["noproc"]),
)
_OUTCOME_RE = re.compile("|".join(f"(?P<o{i}>{pat})" for i, (_, pat, _) in enumerate(_OUTCOMES)))
#: A cheap test that a line can hold an outcome at all (the full pattern is slow to try at every position).
_OUTCOME_WORD_RE = re.compile(r"予以公开|同意公开|全部公开|部分公开|不予以?公开|无法提供|信息不存在|不掌握|非本机关|不属于本机关|不予处理")
#: A table row flattened into one line: five numbers or more.
_TABLE_LINE_RE = re.compile(r"(?:\d+\D+){5}")
#: A sentence about what was done with this year's applications (not a policy statement such as
#: 「能公开的予以公开，不能公开的说明理由」).
_DONE_RE = re.compile(r"申请|答复|办理|办结|件")
_ASSERT_RE = re.compile(r"均|全部|已|经审查|经核查|作出|答复")
_POLICY_RE = re.compile(r"能公开的|可以公开的|应当|应予|依法应|对于|凡是?|一律|原则|做到|确保|坚持|规范|流程|制度|要求|的[，,]")
_ALL_RE = re.compile(r"均(?:已)?(?:依法|按规定|按期|及时|依规)*(?:予以|同意)公开|全部(?:予以|同意)公开|(?:予以|同意)公开全部")


def outcome_claims(ctx: Context) -> list[tuple[str, tuple[str, ...], bool, str, str]]:
    """(name, 表3 rows, claims all, sentence, section) for each outcome the prose of sections 一/三
    states without a number (numbers are TXT-04's)."""
    out: list[tuple[str, tuple[str, ...], bool, str, str]] = []
    for section in (SECTIONS[0], SECTIONS[2]):
        for line in (ctx.section(section) or "").split("\n"):
            # table rows (TAB-separated) and lines about nothing done are skipped before the costly search
            if "\t" in line or not _OUTCOME_WORD_RE.search(line) or not _DONE_RE.search(line):
                continue
            if len(line) < 80 and _TABLE_LINE_RE.search(line):
                continue
            out.extend(_line_claims(line, section))
    return out


def _line_claims(text: str, section: str) -> list[tuple[str, tuple[str, ...], bool, str, str]]:
    """The outcome claims of one prose line (see :func:`outcome_claims`)."""
    out: list[tuple[str, tuple[str, ...], bool, str, str]] = []
    for m in _OUTCOME_RE.finditer(text):  # few matches: find each one's sentence, not every sentence
        start = max(text.rfind(c, 0, m.start()) for c in "。；;") + 1
        ends = [i for c in "。；;" if (i := text.find(c, m.end())) >= 0]
        end = min(ends) if ends else len(text)
        sentence = text[start:end]
        if not _DONE_RE.search(sentence) or _POLICY_RE.search(sentence):
            continue
        a, b = m.start() - start, m.end() - start
        if re.match(r"\s*(?:[:：]?\s*\d|的?(?:申请)?(?:共|合计)?\s*\d)", sentence[b : b + 4]):
            continue  # 「予以公开3件」: a count, checked above
        if not _ASSERT_RE.search(sentence[:a] + sentence[b:]):
            continue
        i = next(int(k[1:]) for k, v in m.groupdict().items() if v)
        name, _, rows = _OUTCOMES[i]
        claims_all = bool(_ALL_RE.search(sentence)) and rows == ("granted",)
        out.append((name, rows, claims_all, sentence.strip(), section))
    return out


def outcome_wording(ctx: Context) -> Iterator[Hit]:
    """Part of TXT-04 (category wording vs 表3): prose says an application was 同意公开/予以公开 (or 不予
    公开, 无法提供 …) without a number while 表3 counts nothing under that outcome — the same answer is
    reported two ways, and one of them is wrong."""
    done = total_of(ctx, "total_processed")
    if not done:
        return
    seen: set[str] = set()
    for name, rows, claims_all, sentence, section in outcome_claims(ctx):
        total, _ = _group_sum(ctx, rows)
        if total is None or name in seen:
            continue
        counted = [
            (r, v) for r in ctx.result_rows if (v := total_of(ctx, r)) and r not in rows
        ]
        elsewhere = "、".join(f"“{L.row_short(r, ctx.fmt)}”{L.num(v)}件" for r, v in counted[:2])
        where = f"正文 {SECTION_ORDINAL_NAME[section]}"
        quoted = sentence if len(sentence) <= 40 else sentence[:38] + "…"
        if total == 0:
            seen.add(name)
            yield Hit(
                f"正文称“{quoted}”，但表3“{name}”为0件" + (f"（办理结果计入{elsewhere}）" if elsewhere else "")
                + "；请核对办理结果应归入哪一行，使正文与表3一致。",
                f"The text says the outcome was “{name}”, but 表3 counts none under it; make the text and 表3 agree.",
                where,
                None,
                0,
            )
        elif claims_all and total != done:
            seen.add(name)
            yield Hit(
                f"正文称“{quoted}”，但表3办结{L.num(done)}件中“{name}”为{L.num(total)}件"
                + (f"（另有{elsewhere}）" if elsewhere else "") + "；请核对正文或表3。",
                f"The text says every application was granted, but 表3 has {L.num(total)} of {L.num(done)}.",
                where,
                total,
                done,
                total - done,
            )


SECTION_ORDINAL_NAME = {SECTIONS[0]: "一、总体情况", SECTIONS[2]: "三、收到和处理政府信息公开申请情况"}

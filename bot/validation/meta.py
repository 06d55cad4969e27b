"""Metadata rules (RULES.md §6.7 META-01..07): years and periods, document numbers, unit names,
template placeholders. All regexes run on NFKC text (full-width brackets/digits become ASCII) except
where the original bracket matters (META-05)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from bot.validation.engine import Context, Hit, rule

_YEAR_RE = re.compile(r"(\d{4})\s*年")
_PERIOD_RE = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起)?\s*(?:至|到|~|～|—|-|－)+\s*"
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_PERIOD_CONTEXT = ("统计", "期限", "数据", "时限")


def title_text(ctx: Context) -> str:
    """The title block: the reader's title, else the lines before the first section heading."""
    if "title" not in ctx.memo:
        ctx.memo["title"] = _title_text(ctx)
    return ctx.memo["title"]  # type: ignore[return-value]


def _title_text(ctx: Context) -> str:
    if ctx.report.title.strip():
        return ctx.report.title.strip()
    head = ctx.text[:400]
    cut = re.search(r"(?m)^\s*(?:一|1|１)\s*[、.．]", head)
    return head[: cut.start()] if cut else head.split("\n\n", 1)[0]


def title_year(ctx: Context) -> int | None:
    for m in _YEAR_RE.finditer(title_text(ctx)):
        if _plausible(year := int(m.group(1))):
            return year
    return None


def _plausible(year: int) -> bool:
    return 1990 <= year <= 2099


def year_hits(ctx: Context) -> list[tuple[int, int]]:
    """Every 「YYYY年」 in the text as (position, year), found in one scan that the date rules share."""
    if "year_hits" in ctx.memo:
        return ctx.memo["year_hits"]  # type: ignore[return-value]
    text, hits = ctx.text, []
    i = text.find("年")  # str.find and slicing beat a regex scan of Chinese text several times over
    while i >= 0:
        j = i
        while j > 0 and text[j - 1] in " \u3000\xa0":
            j -= 1
        digits = text[j - 4 : j] if j >= 4 else ""
        if digits.isdigit() and not (j > 4 and text[j - 5].isdigit()) and _plausible(y := int(digits)):
            hits.append((j - 4, y))
        i = text.find("年", i + 1)
    ctx.memo["year_hits"] = hits
    return hits


def periods(ctx: Context) -> list[tuple[str, tuple[int, int, int], tuple[int, int, int]]]:
    """Date ranges stated as the statistics period (a 统计/期限 word within 40 chars before)."""
    if "periods" in ctx.memo:
        return ctx.memo["periods"]  # type: ignore[return-value]
    out: list[tuple[str, tuple[int, int, int], tuple[int, int, int]]] = []
    ctx.memo["periods"] = out
    text = ctx.text
    for pos, _ in year_hits(ctx):
        m = _PERIOD_RE.match(text, pos)
        if m is None:
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        if not any(w in before or w in m.group(0) for w in _PERIOD_CONTEXT):
            continue
        y1, m1, d1 = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y2 = int(m.group(4)) if m.group(4) else y1
        out.append((m.group(0), (y1, m1, d1), (y2, int(m.group(5)), int(m.group(6)))))
    return out


def _body(ctx: Context) -> str:
    text = ctx.text
    title = title_text(ctx)
    i = text.find(title) if title else -1
    return text[i + len(title) :] if i >= 0 else text


@rule("META-01", "error", "标题、统计期限与正文年份不一致")
def year_mismatch(ctx: Context) -> Iterator[Hit]:
    """Title vs period vs body years, and sections 五/六 that name only earlier years (warning)."""
    yield from title_period_body(ctx)
    yield from stale_years_in_five_six(ctx)


def title_period_body(ctx: Context) -> Iterator[Hit]:
    """Title year vs statistics period vs the body (a body that never names the title's year but
    names another one at least three times — a copied report)."""
    ty = title_year(ctx)
    if ty is None:
        return
    for shown, start, end in periods(ctx):
        if start[0] != ty and end[0] != ty:
            yield Hit(
                f"标题为{ty}年度，正文统计期限写为“{shown}”。",
                f"The title says {ty}, but the statistics period reads “{shown}”.",
                "统计期限",
                ty,
                start[0],
                ty - start[0],
            )
            return
    body_start = len(ctx.text) - len(_body(ctx))
    years = Counter(y for pos, y in year_hits(ctx) if pos >= body_start)
    if years and ty not in years:
        other, n = years.most_common(1)[0]
        if n >= 3 and other != ty:
            yield Hit(
                f"标题为{ty}年度，但正文通篇写的是{other}年（{n}处），疑似沿用往年报告，请核对正文年份。",
                f"The title says {ty}, but the body only speaks of {other} ({n} times).",
                "标题",
                ty,
                other,
                ty - other,
                severity="warning",  # a suspicion a reviewer asks about, not a certainty
            )


@rule("META-02", "warning", "统计期限不是整个自然年")
def partial_period(ctx: Context) -> Iterator[Hit]:
    """The stated statistics period is not 1月1日–12月31日 of one year."""
    for shown, start, end in periods(ctx):
        if start[1:] != (1, 1) or end[1:] != (12, 31) or start[0] != end[0]:
            y = ctx.year or start[0]
            yield Hit(
                f"统计期限应为{y}年1月1日至{y}年12月31日，报告写为“{shown}”。",
                f"The statistics period must be 1 Jan – 31 Dec {y}; the report says “{shown}”.",
                "统计期限",
            )
            return


_LATE_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")
_PLAN_WORDS = ("计划", "将", "下一步", "预计", "力争", "发布", "印发", "成文", "日期", "时间", "前", "以前")


@rule("META-03", "warning", "出现晚于报告年度的日期")
def dates_after_year(ctx: Context) -> Iterator[Hit]:
    """「截至2022年12月31日」 in a 2021 report (not a publication or plan date)."""
    y = ctx.year or title_year(ctx)
    if y is None:
        return
    text = ctx.text
    for pos, year in year_hits(ctx):
        if year <= y:
            continue
        m = _LATE_DATE_RE.match(text, pos)
        if m is None:
            continue
        month = int(m.group(2))
        cutoff = text[max(0, m.start() - 2) : m.start()] in ("截至", "截止")
        if not cutoff:
            before = text[max(0, m.start() - 12) : m.start()]
            if any(w in before for w in _PLAN_WORDS) or (year == y + 1 and month <= 3):
                continue  # a plan, a publication date, or the signature date early next year
        shown = ("截至" if cutoff else "") + m.group(0)
        yield Hit(
            f"{y}年度报告中出现“{shown}”，请核对年份。",
            f"A {y} report mentions “{shown}”; check the year.",
            "正文",
            year,
            y,
        )
        return


_DOCNO_RE = re.compile(r"[\[(（【〔［]\s*(\d{4})\s*[\])）】〕］]\s*(\d{1,4})\s*号")
_PREFIX_RE = re.compile(r"[\u4e00-\u9fa5]{1,8}$")


def _prefix(text: str, start: int) -> str:
    """The issuing-office abbreviation right before a 文号's bracket (「国办公开办函」)."""
    m = _PREFIX_RE.search(text, max(0, start - 8), start)
    if not m:
        return ""
    prefix = m.group(0)
    i = prefix.find("国")
    if i > 0 and prefix[i : i + 2] in ("国办", "国发", "国函", "国务"):
        return prefix[i:]
    return _LEAD_WORDS_RE.sub("", prefix) or prefix


_LEAD_WORDS_RE = re.compile(r"^(?:依据|根据|按照|依照|参照|对照|执行|落实|印发|转发|按|据|见|和|及|与|或|的)+")
_DECREE_RE = re.compile(r"(?:国务院令|中华人民共和国国务院令)\s*(?:第)?\s*(\d+)\s*号")


@rule("META-04", "warning", "文号或文件名称错误")
def document_numbers(ctx: Context) -> Iterator[Hit]:
    """109号 = 国办函〔2020〕109号; 30号 = 国办公开办函〔2021〕30号 (its own title); 60号 only for
    2019/2020 reports; the 条例 is 国务院令第711号."""
    text = ctx.text
    done: set[str] = set()
    for m in _DOCNO_RE.finditer(text):
        prefix, year, no = _prefix(text, m.start()), int(m.group(1)), str(int(m.group(2)))
        cited = prefix + m.group(0)
        before = text[max(0, m.start() - 80) : m.start()]
        msg: tuple[str, str] | None = None
        if no == "109" and (prefix.endswith("国办函") or "处理费" in before):
            if year != 2020 or not prefix.endswith("国办函"):
                msg = (
                    f"《政府信息公开信息处理费管理办法》文号应为国办函〔2020〕109号，报告写作“{cited}”。",
                    f"The fee measures are 国办函〔2020〕109号; the report cites “{cited}”.",
                )
        elif no == "30" and prefix.endswith("国办公开办函"):
            if year != 2021:
                msg = (
                    f"年度报告格式通知文号应为国办公开办函〔2021〕30号，报告写作“{cited}”。",
                    f"The format notice is 国办公开办函〔2021〕30号; the report cites “{cited}”.",
                )
            elif "有关事项的通知" in before[-40:]:
                msg = (
                    f"“{cited}”的标题应为《关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》，"
                    "“关于政府信息公开工作年度报告有关事项的通知”是国办公开办函〔2019〕60号。",
                    f"“{cited}” is the notice issuing the report format; the “有关事项” notice is 60号 (2019).",
                )
        elif no == "60" and prefix.endswith("国办公开办函"):
            if ctx.year is not None and ctx.year >= 2021:
                msg = (
                    f"{ctx.year}年度报告应按国办公开办函〔2021〕30号编制，“{cited}”（2019年试行格式）仅适用于2019、2020年度。",
                    f"“{cited}” (2019 trial format) applies only to 2019/2020 reports; use 30号 (2021).",
                )
            elif year != 2019:
                msg = (
                    f"文号应为国办公开办函〔2019〕60号，报告写作“{cited}”。",
                    f"The notice is 国办公开办函〔2019〕60号; the report cites “{cited}”.",
                )
        if msg and cited not in done:
            done.add(cited)
            yield Hit(msg[0], msg[1], "正文")
    for m in _DECREE_RE.finditer(text):
        near = text[max(0, m.start() - 60) : m.end() + 10]
        if "信息公开条例" in near and m.group(1) != "711" and (ctx.year or 2019) >= 2019:
            yield Hit(
                f"现行《中华人民共和国政府信息公开条例》为国务院令第711号，报告写作“{m.group(0)}”。",
                f"The current Regulations are State Council Decree No. 711; the report cites “{m.group(0)}”.",
                "正文",
            )
            return


#: An attachment's file name ends the line (same test as the reader's body marking, bot/reading/meta.py).
FILE_NAME_RE = re.compile(r"\.(?:docx?|pdf|wps|xlsx?|et|zip|rar|ofd)\s*(?:[（(]\s*[\d.]+\s*[KMG]?B\s*[)）])?\s*$", re.I)
_BAD_BRACKET_RE = re.compile(r"[\[(（【［]((?:19|20)\d{2})[\])）】］](\d{1,4})号")


@rule("META-05", "info", "文号年份应使用六角括号〔〕")
def bracket_style(ctx: Context) -> Iterator[Hit]:
    """文号 written with [ ] or ( ) instead of 〔 〕 (checked on the original text)."""
    seen: set[str] = set()
    for m in _BAD_BRACKET_RE.finditer(ctx.text):
        line_end = ctx.text.find("\n", m.end())
        if FILE_NAME_RE.search(ctx.text[m.end() : None if line_end < 0 else line_end]):
            continue  # an attachment's file name (「关于…（2022）3号.docx」) is a name, not the report's 文号
        prefix = _prefix(ctx.text, m.start())
        if not prefix or prefix[-1] not in "发函字办令":
            continue
        cited = prefix + m.group(0)
        if cited in seen:
            continue
        seen.add(cited)
        fixed = f"{prefix}〔{m.group(1)}〕{m.group(2)}号"
        yield Hit(
            f"文号年份应使用六角括号：“{cited}”应为“{fixed}”。",
            f"Document numbers take 〔 〕 around the year: “{fixed}”.",
            "正文",
        )


_UNIT_SUFFIX_RE = re.compile(r"([\u4e00-\u9fa5]{2,16}?(?:街道办事处|街道|办事处|街|人民政府|政府|乡|镇|局|委员会|委|办公室|中心))")
_REGION_RE = re.compile(r"^(?:[\u4e00-\u9fa5]{1,4}?(?:省|市|区|县))+(?=[\u4e00-\u9fa5]{2,})")


def _title_unit(ctx: Context) -> str | None:
    title = re.sub(r"[\s()（）]", "", title_text(ctx))
    title = re.sub(r"\d{4}年度?", "", title)
    title = title.replace("政府信息公开工作年度报告", "").replace("政府信息公开工作", "").replace("年度报告", "")
    m = _UNIT_SUFFIX_RE.search(title)
    return m.group(1) if m else None


@rule("META-06", "info", "标题单位名称与正文不一致")
def unit_name(ctx: Context) -> Iterator[Hit]:
    """The unit in the title is truncated or differs from the body (「红旗街」 vs 「红旗街道」)."""
    unit = _title_unit(ctx)
    if not unit:
        return
    core = _REGION_RE.sub("", unit) or unit
    body = _body(ctx)
    if not body:
        return
    if unit.endswith("街"):
        longer = next((core + tail for tail in ("道办事处", "道", "办事处") if core + tail in body), None)
        if longer:
            yield Hit(
                f"标题单位“{core}”与正文“{longer}”不一致，请统一单位全称。",
                f"The title names the unit “{core}”, the body “{longer}”.",
                "标题",
            )
        return
    if core in body or len(core) < 3:
        return
    short = core[:2]
    i = body.find(short)
    while i >= 0:  # 「鹿山街道」 in the title, 「鹿山镇」 in the body
        m = _UNIT_TAIL_RE.match(body, i + len(short))
        if m:
            other = short + m.group(0)
            if other != core:
                yield Hit(
                    f"标题单位“{core}”与正文“{other}”不一致，请统一单位名称。",
                    f"The title names the unit “{core}”, the body “{other}”.",
                    "标题",
                )
            return
        i = body.find(short, i + 1)


_UNIT_TAIL_RE = re.compile(r"[\u4e00-\u9fa5]{0,4}?(?:街道|乡|镇|局|办事处)")


_PLACEHOLDER_RE = re.compile(
    r"20[Xx×Ｘｘ]{2}年|(?<![A-Za-z])[Xx×Ｘｘ]{2,3}(?=[\u4e00-\u9fa5])|(?<=[\u4e00-\u9fa5])[Xx×Ｘｘ]{2,3}(?![A-Za-z])"
    r"|【(?:单位|单位名称|机关|机关名称|部门|部门名称|年份|日期|名称)[^】]{0,4}】|[×]{2,}|○○"
)


_PLACEHOLDER_CHARS = ("X", "x", "×", "Ｘ", "ｘ", "【", "○")


#: Common surnames: 「申请人王××」「李XX诉某区政府」 is a name masked on purpose, not a template left in.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)


def _masked_name(text: str, m: re.Match[str]) -> bool:
    """True when the placeholder-looking run follows a surname (a person's name masked for privacy)."""
    before = text[max(0, m.start() - 1) : m.start()]
    return bool(before) and before in _SURNAMES and not m.group(0).startswith("20")


@rule("META-07", "error", "报告中残留模板占位符")
def placeholders(ctx: Context) -> Iterator[Hit]:
    """Template placeholders left in the text: XX街道, ××, 【单位】, 20XX."""
    text = ctx.text
    if not any(ch in text for ch in _PLACEHOLDER_CHARS):
        return
    m = next((m for m in _PLACEHOLDER_RE.finditer(text) if not _masked_name(text, m)), None)
    if m:
        around = text[m.start() : m.end() + 4].split("\n")[0].strip()
        yield Hit(
            f"报告中仍有模板占位符“{around}”，请替换。",
            f"A template placeholder is still in the text (“{around}”).",
            "正文",
        )


_SECTION_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_THIS_YEAR_WORDS = ("本年", "今年", "本年度", "当年", "年内")


def stale_years_in_five_six(ctx: Context) -> Iterator[Hit]:
    """Part of META-01 (year mismatch with the body), as a warning: section 五 (problems and
    improvements) or 六 names only earlier years — a 2025 report whose 五 reviews 「2024年」's work and
    names no 2025 work was copied from last year's. The year there should be the report year, or the
    next one for plans."""
    from bot.schema import SECTIONS

    year = ctx.year
    if year is None:
        return
    for index, name in ((4, "第五部分"), (5, "第六部分")):
        text = ctx.section(SECTIONS[index]) or ""
        plain = re.sub(r"《[^》]{0,60}》|〔\d{4}〕|\[\d{4}\]|[(（]\d{4}[)）]", "", text)
        years = [int(y) for y in _SECTION_YEAR_RE.findall(plain)]
        if not years or any(y in (year, year + 1) for y in years):
            continue
        if any(w in plain for w in _THIS_YEAR_WORDS):
            continue
        stale = sorted({y for y in years if year - 3 <= y < year})
        if not stale:
            continue
        shown = "、".join(f"{y}年" for y in stale)
        yield Hit(
            f"{name}只写到{shown}的工作，未提及{year}年；该部分应写本年度（{year}年）的情况"
            f"（改进计划可写{year + 1}年），请核对是否沿用了往年内容。",
            f"Section {index + 1} names only {shown}, not {year}: it should describe {year} "
            f"(plans: {year + 1}); check it was not copied from an earlier report.",
            name,
            stale[-1],
            year,
            severity="warning",
        )

"""Everything around the tables: title, office, year, format version, section headings and prose numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.reading.cells import MAX_DIGITS, nfkc, squash
from bot.reading.doc import Row
from bot.reading.office_names import office_from_body
from bot.report import Heading, Office, ProseNumber
from bot.schema import SECTIONS

# -- headings -----------------------------------------------------------------------------------

_HEADING_FIRST = frozenset("一二三四五六七八九十123456789１２３４５６７８９")
_HEADING_RE = re.compile(r"^\s*([一二三四五六七八九十]|[1-9])\s*[、.．]\s*(\S.{0,40}?)\s*$")
#: 「第一部分 总体情况」「第三部分：收到和处理政府信息公开申请情况」: the same sections, numbered in words.
_PART_HEADING_RE = re.compile(r"^\s*第\s*([一二三四五六七八九十])\s*部分\s*[、.．:：]?\s*(\S.{0,40}?)\s*$")
#: Keywords that identify each canonical section in a heading's text (order matters: first match wins).
_SECTION_KEYS: list[tuple[str, tuple[str, ...]]] = [
    ("其他需要报告的事项", ("其他需要报告",)),
    ("存在的主要问题及改进情况", ("问题", "改进", "整改")),
    ("政府信息公开行政复议、行政诉讼情况", ("行政复议", "行政诉讼", "被申请复议", "复议、起诉", "复议和起诉", "复议、诉讼")),
    ("收到和处理政府信息公开申请情况", ("收到和处理", "依申请公开", "申请情况")),
    ("主动公开政府信息情况", ("主动公开",)),
    ("总体情况", ("总体情况", "概述", "基本情况")),
]
#: 表3 row labels that reuse section numerals: never section headings.
_ROW_LABELS = ("本年新收", "上年结转", "本年度办理结果", "结转下年度")


def canonical_section(title: str) -> str | None:
    """The canonical section a heading text names, or None (e.g. a promoted sub-topic)."""
    s = squash(title)
    if any(r in s for r in _ROW_LABELS):
        return None
    for name, keys in _SECTION_KEYS:
        if any(k in s for k in keys):
            return name
    return None


def find_headings(rows: list[Row]) -> list[tuple[int, Heading]]:
    """Top-level headings as (row index, Heading). Accepts 「一、」 and 「5、」 numerals."""
    out: list[tuple[int, Heading]] = []
    bare: list[tuple[int, Heading]] = []  # 「总体情况」 alone on its line, without a numeral
    for i, row in enumerate(rows):
        if not row.cells:
            continue
        first = row.cells[0].lstrip(" \t\u3000\xa0#*")  # markdown 「## 一、总体情况」 (OCR output)
        if first and len(row.cells) == 1 and squash(first) in _BARE_TITLES:
            bare.append((i, Heading("", first.strip(), _BARE_TITLES[squash(first)], row.line)))
            continue
        if not first or (first[0] not in _HEADING_FIRST and first[0] != "第") or len(first) > 60:
            continue
        cells = [c for c in row.cells if c.strip()]
        if len(cells) != 1:
            continue
        line = nfkc(cells[0]).replace("\u3000", " ").lstrip(" #*").rstrip("*")
        m = _HEADING_RE.match(line) or _PART_HEADING_RE.match(line)
        if not m:
            continue
        title = m.group(2).strip()
        canon = canonical_section(title)
        if canon is None and (len(title) > 16 or any(r in squash(title) for r in _ROW_LABELS)):
            continue
        if canon is None and (re.search(r"[。，；：]", title) or m.group(1).isdigit()):
            continue
        numeral = m.group(1)
        out.append((i, Heading(numeral, title, canon, row.line)))
    settle_by_position([h for _, h in out])
    numbered = {h.canonical for _, h in out}
    out.extend((i, h) for i, h in bare if h.canonical not in numbered)
    out.sort(key=lambda ih: ih[0])
    return out


#: A section's exact title on a line of its own, without a numeral, is that section's heading.
_BARE_TITLES = {squash(name): name for name in SECTIONS}


_NUMERAL_INDEX = {**{n: i for i, n in enumerate("一二三四五六")}, **{str(i + 1): i for i in range(6)}}
#: Sub-topics of 总体情况 that offices sometimes number 一、二、… (STR-07): never a section by position.
_SUBTOPIC_WORDS = ("政府信息管理", "平台建设", "监督保障", "主动公开", "依申请公开", "组织领导", "队伍建设")


def settle_by_position(headings: list[Heading]) -> None:
    """Decide a section by its position as well as its title (in place).

    「六、其他应说明事项」 names no section by its words but stands where 其他需要报告的事项 stands;
    「一、政府信息主动公开工作」 reads like 主动公开 but 「二、主动公开政府信息情况」 follows, so it is the
    总体情况 under another title. A heading takes the section of its numeral when its title names none
    (or names one another heading holds at its own place), and no other heading's title names that
    section — so a missing section is never invented over one that is present."""
    claimed = {h.canonical for h in headings if h.canonical}
    at_place = {h.canonical for h in headings if h.canonical and _NUMERAL_INDEX.get(h.numeral) == SECTIONS.index(h.canonical)}
    for h in headings:
        k = _NUMERAL_INDEX.get(h.numeral)
        if k is None:
            continue
        place = SECTIONS[k]
        if h.canonical == place or place in claimed:
            continue
        if h.canonical is None and any(w in squash(h.title) for w in _SUBTOPIC_WORDS):
            continue
        if h.canonical is not None and h.canonical not in at_place:
            continue
        h.canonical = place
        claimed.add(place)


# -- where the report's body lies in a saved web page ---------------------------------------------

#: Lines that belong to the page around a report, not to the report: attachment lists, print/close
#: buttons, site footers, share bars, previous/next links.
_FURNITURE_RE = re.compile(
    r"^[【\[]?\s*(?:附件(?:下载)?\s*[:：]|相关附件|下载附件|附件下载|打印(?:本页|此页)?\s*[】\]]|关闭(?:窗口|本页)?\s*[】\]]|"
    r"【\s*(?:打印|关闭|收藏|返回)|主办单位|承办单位|主办\s*[:：]|网站标识码|.{0,4}ICP备|.{0,3}公网安备|版权所有|Copyright|"
    r"扫一扫|相关链接|相关文件\s*[:：]|相关阅读|上一篇|下一篇|分享到|技术支持|联系我们|网站地图|返回顶部|我要纠错)",
    re.I,
)
#: An attachment's file name (「XX〔2022〕3号.docx」): a name, not a sentence of the report.
FILE_NAME_RE = re.compile(r"\.(?:docx?|pdf|wps|xlsx?|et|zip|rar|ofd)\s*(?:[（(]\s*[\d.]+\s*[KMG]?B\s*[)）])?\s*$", re.I)


def body_rows(rows: list[Row], title: str, after_title: int, headings: list[tuple[int, Heading]]) -> tuple[int, int]:
    """The rows [start, end) that are the report itself.

    Starts at the title's first line (or where :func:`find_title` saw the body begin, when there is no
    title), so navigation and publication metadata above it are left out; ends at the first line of
    page furniture (attachment list, print/close buttons, site footer) after the last section heading."""
    start = after_title
    head = nfkc(title).replace(" ", "")[:8]
    if head:
        for i in range(min(after_title, len(rows))):
            text = re.sub(r"^标题[:：]", "", nfkc(rows[i].text).replace(" ", "").lstrip("#"))
            if text and (text.startswith(head) or head.startswith(text[:8])):
                start = i
                break
    end = len(rows)
    top = [i for i, h in headings if h.canonical]
    if top:
        for i in range(top[-1] + 1, len(rows)):
            text = rows[i].text.strip()
            if _FURNITURE_RE.match(text) or (FILE_NAME_RE.search(text) and len(text) < 80):
                end = i
                break
    return start, end


# -- title, year, office ------------------------------------------------------------------------

_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_PERIOD_RE = re.compile(r"统计期限[^。]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_TITLE_WORDS_RE = re.compile(
    r"^关于|政府信息公开(?:工作)?情况的报告|[(（]?\s*(?:19|20)\d{2}\s*年度?\s*[)）]?|政府信息公开工作年度报告|政府信息公开年度报告|政府信息公开工作|年度报告|工作报告"
)
_REGION_RE = re.compile(r"^(?:[^省市区县旗镇乡街]{1,7}?(?:省|自治区))?(?:[^省市区县旗镇乡街]{1,7}?(?:市|自治州|地区|盟))?"
                        r"(?:[^省市区县旗镇乡街]{1,7}?(?:区|县|旗))?")
_SUFFIXES = ("街道办事处", "街道办", "办事处", "街道", "人民政府", "乡人民政府", "镇人民政府", "综合实验区", "街")


_CHROME_RE = re.compile(
    r"首页|登录|注册|索引号|发布时间|发布日期|发文日期|微信|微博|字号|无障碍|打印|分享|来源[:：]|当前位置|更新时间"
    r"|公开方式|发布机构|成文日期|点击数|文号|时效|分类[:：|]|\d{4}-\d{1,2}-\d{1,2}"
)
_ORG_LINE_RE = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(?:委员会|人民政府|政府|区|市|县|旗|局|街道|办事处|镇|乡)$")


def find_title(rows: list[Row]) -> tuple[str, int]:
    """The report title (office + year + 「政府信息公开工作年度报告」) and the index of the first body row.

    Web pages put navigation and publication metadata around it; titles are split over lines
    (「富阳区鹿山街道2021年政府信息公开工作」/「年度报告」) or name the office on a line of its own."""
    lines: list[str] = []
    body = 0
    for i, row in enumerate(rows[:20]):
        text = row.text.strip().lstrip("#").strip()
        body = i
        if not text:
            continue
        if text.startswith(("标题:", "标题：")):
            return text[3:].strip(), i + 1
        if _HEADING_RE.match(nfkc(text)) or text.startswith(("根据", "本报告", "本年度报告", "按照")):
            break
        if len(text) > 60 and not lines and 6 <= text.find("年度报告") <= 40 and not re.search(r"[，,。]", text[: text.find("年度报告")]):
            lines.append(text[: text.index("年度报告") + 4])  # 「…年度报告是根据…」: the title opens the paragraph
            break
        if len(text) > 60 or (_CHROME_RE.search(text) and "报告" not in text):
            continue
        lines.append(text)
    else:
        body = min(len(rows), 20)
    for k in range(len(lines) - 2, -1, -1):
        if "报告" in lines[k] + lines[k + 1] and "报告" not in lines[k] and "报告" not in lines[k + 1]:
            lines[k : k + 2] = [lines[k] + lines[k + 1]]  # a PDF line broke inside 「报告」 (「…年度报」/「告」)
    titled = [k for k, t in enumerate(lines) if "报告" in t and not _CHROME_RE.search(t)]
    if not titled:
        return "", body
    k = titled[-1]
    title = lines[k]
    before = _YEAR_RE.split(nfkc(title))[0] if _YEAR_RE.search(nfkc(title)) else ""
    if k > 0 and "报告" not in lines[k - 1] and (not before.strip() or _ORG_LINE_RE.match(lines[k - 1])):
        title = lines[k - 1] + title
    for extra in lines[k + 1 : k + 3]:
        if len(extra) <= 30 and "报告" not in extra:
            title += extra
    return title, body


def find_year(title: str, text: str) -> int | None:
    """Report year from the title, else 统计期限, else the first year in the opening text.

    ``text`` should already be NFKC-normalised (build.py does it once for the whole document)."""
    m = _YEAR_RE.search(nfkc(title))
    if m:
        return int(m.group(1))
    m = _PERIOD_RE.search(text)
    if m:
        return int(m.group(1))
    m = _YEAR_RE.search(text[:1500])
    return int(m.group(1)) if m else None


_PROSE_OFFICE_RE = re.compile(
    r"([\u4e00-\u9fff]{2,20}?(?:街道办事处|街道|办事处|人民政府|管理委员会|委员会|办公室|镇|乡|局))"
    r"(?:认真|高度重视|全面|坚持|深入|严格|持续|紧紧|积极|始终|以)"
)


def office_from_title(title: str, opening: str = "") -> Office:
    """Office name from the title (else from the opening prose: 「2022年，二道区…办公室认真贯彻…」)."""
    name = _TITLE_WORDS_RE.sub(" ", title)
    name = re.sub(r"\s+", " ", name).strip(" 　()（）")
    name = name.split(" ")[0] if " " in name else name
    if not name and opening:  # 「由保康县农业农村局编制」「永安镇人民政府2024年…」: the body's stock sentences
        name = office_from_body(opening)
    if not name and opening:
        for m in _PROSE_OFFICE_RE.finditer(nfkc(opening[:1500])):
            candidate = re.sub(r"^(?:\d{4}年度?|在|我|本)", "", m.group(1))
            if len(candidate) >= 3 and not candidate.startswith(("区委", "县委", "市委", "上级")):
                name = candidate
                break
    if not name:
        return Office()
    return Office(name, short_name(name), office_kind(name))


def short_name(name: str) -> str:
    """The name people type: region prefix and 街道/办事处/人民政府 suffix removed (富阳区鹿山街道 → 鹿山).

    The government's own offices keep their region (上海市人民政府办公厅 → 上海市政府办公厅): without it
    every city's 办公厅 would have the same name."""
    core = name
    for suffix in _SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix) + 1:
            core = core[: -len(suffix)]
            break
    stripped = _REGION_RE.sub("", core, count=1)
    if stripped.startswith(("人民政府", "政府")):  # the government's own office: 上海市政府办公厅, not 人民政府办公厅
        core = core[: len(core) - len(stripped)] + stripped.removeprefix("人民")
    elif len(stripped) >= 2:
        core = stripped
    if core.endswith(("镇", "乡")) and len(core) > 2:
        core = core[:-1]
    return core


def office_kind(name: str) -> str:
    """街道 / 乡镇 / 区县政府 / 部门 / 其他 from the name's ending.

    A name ending in 市 or 省/自治区 (「淮安市人民政府」「义乌市人民政府」) is not taken for a 区县政府: a
    市 may be a 设区的市 (with 规章制定权) or a 县级市, and the name alone does not say which — the
    kind stays 其他 (unknown), and rules that depend on the kind do not judge it."""
    if re.search(r"(街道办事处|街道|办事处|街)$", name):
        return "街道"
    if re.search(r"[镇乡](人民政府)?$", name):
        return "乡镇"
    if re.search(r"(?:省|自治区|[^区县旗]市|自治州|地区|盟)(人民政府|政府)?$", name):
        return "其他"
    if re.search(r"[区县旗](人民政府)?$", name) or name.endswith(("管委会", "实验区")):
        return "区县政府"
    if re.search(r"(局|委员会|委|办公室|办|厅|中心|院|所|队|站)$", name):
        return "部门"
    return "其他"


# -- format -------------------------------------------------------------------------------------

_FP_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年收费金额", "逾期未按收费通知要求缴纳费用")
_FP_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减", "其他对外管理服务事项",
            "第二十条第(九)项", "政府集中采购", "采购总金额")
_FP_PRE = ("指标名称", "计量单位", "同意公开", "同意部分公开", "信息不存在", "非本部门掌握", "收费及减免", "概述")


def detect_format(squashed: str) -> tuple[str, list[str]]:
    """FORMAT.md §1.7 fingerprints: score every version, pick the best, keep the evidence.

    ``squashed`` is the document text after :func:`squash` (no spaces, half-width brackets)."""
    s = squashed
    hits = {
        "2021": [f for f in _FP_2021 if squash(f) in s],
        "2019": [f for f in _FP_2019 if squash(f) in s],
        "pre2019": [f for f in _FP_PRE if f in s] if "第二十条第" not in s else [],
    }
    best = max(hits, key=lambda k: len(hits[k]))
    if not hits[best]:
        return "unknown", []
    if best == "pre2019" and len(hits[best]) < 2:
        return "unknown", hits[best]
    return best, hits[best]


# -- prose numbers ------------------------------------------------------------------------------

_N = r"\s*(\d+(?:\.\d+)?)"  # 「申请 749 件」: spaces around numbers are common
_PROSE_RES: list[tuple[str, re.Pattern[str]]] = [
    ("received", re.compile(r"(?:收到|新收|受理|接收|发生|提出的?|全年收)[^。；，,\d]{0,16}?申请(?:公开)?(?:办?件)?(?:共计|共|数量为?|总数为?)?"
                            + _N + r"\s*(?:件|次|宗)")),
    ("received", re.compile(r"(?:共|全年)?(?:收到|新收|受理)" + _N + r"\s*件[^。；，,]{0,12}?申请")),
    # 「结转下年度继续办理N件」「正在办理N件」 are pending, not processed
    ("processed", re.compile(r"(?<!的)(?<!继续)(?<!正在)(?:办结|答复|办理)[^。；，,\d案]{0,8}?" + _N + r"\s*件")),
    ("carried_forward", re.compile(_N + r"\s*件[^。；，,\d上]{0,4}结转")),
    ("carried_forward", re.compile(r"结转(?:至|到)?下(?:一)?年度?(?:继续办理)?" + _N + r"\s*件")),
    ("review", re.compile(r"行政复议[^。；，,\d]{0,6}?" + _N + r"\s*(?:件|起)")),
    ("litigation", re.compile(r"行政诉讼[^。；，,\d]{0,6}?" + _N + r"\s*(?:件|起)")),
    ("published", re.compile(r"主动公开[^。；，,\d]{0,16}?(?:信息|政府信息)[^。；，,\d]{0,4}?" + _N + r"\s*条")),
    ("normative_issued", re.compile(r"制发[^。；，,\d]{0,8}?规范性文件[^。；，,\d]{0,4}?" + _N + r"\s*件")),
    ("granted", re.compile(r"予以公开[^。；，,\d]{0,4}?" + _N + r"\s*件")),
]
_NONE_RECEIVED_RE = re.compile(
    r"(?:未|没有)(?:收到|受理|接到)[^。；，,]{0,16}?申请(?!行政复议|复议)|(?:无|未发生)依申请公开(?:的)?(?:情况|事项|件)"
)
_ALL_PROCESSED_RE = re.compile(r"(?:全部|均已|已全部)(?:办结|答复)")
_ALL_UPHELD_RE = re.compile(r"均(?:获|被)?维持|零败诉")
_PERCENT_RE = re.compile(r"([^。；，,\d]{1,12}?)" + _N + r"\s*%")
#: No match of the patterns below can contain 「。；，,」, so they are run clause by clause, and only on
#: clauses holding a word every match contains: same matches in the same order, without trying every
#: position of a long narrative (these patterns start with optional parts or a broad class).
_CLAUSE_RE = re.compile(r"[。；，,]")
_BY_CLAUSE: dict[re.Pattern[str], str] = {
    _PROSE_RES[1][1]: "申请",
    _PROSE_RES[3][1]: "结转",
    _NONE_RECEIVED_RE: "申请",
    _PERCENT_RE: "%",
}


def _finditer(pattern: re.Pattern[str], flat: str, clauses: list[tuple[int, str]]) -> Iterator[tuple[re.Match[str], int]]:
    """Matches of ``pattern`` with the offset of the string they were found in (a clause, or 0)."""
    needle = _BY_CLAUSE.get(pattern)
    if needle is None:
        for m in pattern.finditer(flat):
            yield m, 0
        return
    if needle not in flat:
        return
    if not clauses:
        start = 0
        for part in _CLAUSE_RE.split(flat):  # separators are one character each
            clauses.append((start, part))
            start += len(part) + 1
    for base, clause in clauses:
        if needle in clause:
            for m in pattern.finditer(clause):
                yield m, base


# -- whose number: 自然人 / 法人或其他组织 / 总计 / another year / another office ------------------------

_NATURAL_RE = re.compile(r"自然人|公民|个人|群众|居民")
_LEGAL_RE = re.compile(r"法人|其他组织|(?<![本我该])企业|社会组织|科研机构|公益组织|法律服务机构|律师")
_SENTENCE_ENDS = "。；;！!？?\n"
_CLAUSE_ENDS = "，,：:"
_YEAR_IN_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_PREV_RE = re.compile(r"上一?年度?(?!结转)|去年|上年度")
#: 「受理公民、法人和其他组织向市政府及市政府办公室提出的申请5件」: applications made to someone else.
_OTHER_OFFICE_RE = re.compile(r"向(?!本|我)[^，,。；]{1,14}?(?:政府|办公室|办公厅|局|委|部门)[^，,。；]{0,6}?提出")


def subject_of(flat: str, start: int, end: int, year: int | None = None) -> str:
    """Whose number the text at ``flat[start:end]`` states (ProseNumber.who).

    The applicant kind is read from the clause (comma to comma) up to the number, so 「收到公民申请2件；
    未收到法人或其他组织申请」 gives ``natural`` then ``legal``, and 「公民、法人和其他组织」 both (the
    total). The last year named in the sentence before the number, when it is not ``year`` (the report
    year), marks another year's number; 上年/去年 in the clause too."""
    sent = max(flat.rfind(c, 0, start) for c in _SENTENCE_ENDS) + 1
    clause = max(sent, *(flat.rfind(c, 0, start) + 1 for c in _CLAUSE_ENDS))
    sentence, words = flat[sent:end], flat[clause:end]
    if _OTHER_OFFICE_RE.search(sentence):
        return "other"
    years = [int(y) for y in _YEAR_IN_RE.findall(sentence)]
    if years and year is not None and years[-1] != year:  # the year nearest before the number counts
        return f"year:{years[-1]}"
    if not years and _PREV_RE.search(words):
        return "prev"
    natural, legal = bool(_NATURAL_RE.search(words)), bool(_LEGAL_RE.search(words))
    if natural and not legal:
        return "natural"
    if legal and not natural:
        return "legal"
    if re.match(r"\s*其中", words) or re.search(r"通过[^，,。；]{0,12}(?:收到|受理|提交|提出)", words):
        return "part"  # 「其中通过网上平台收到申请1件」: a part of the total, by channel or kind
    return ""


def prose_numbers(
    section_text: dict[str, str], headings: list[Heading], year: int | None = None
) -> list[ProseNumber]:
    """Numbers the narrative states (ProseNumber kinds of bot/report.py), with their section and whose
    numbers they are (:func:`subject_of`; ``year`` is the report year)."""
    out: list[ProseNumber] = []
    label = {h.canonical: f"{h.numeral}、{h.canonical}" for h in headings if h.canonical}
    for section, text in section_text.items():
        if section not in (SECTIONS[0], SECTIONS[4], SECTIONS[5]) and section in SECTIONS[1:4]:
            # the table sections' text is mostly table cells; still read their sentences
            text = "\n".join(line for line in text.split("\n") if "\t" not in line and len(line) > 12)
        where = label.get(section, section)
        flat = nfkc(text)
        clauses: list[tuple[int, str]] = []

        def who(m: re.Match[str], base: int) -> str:
            return subject_of(flat, base + m.start(), base + m.end(), year)  # noqa: B023 (used at once)

        for kind, pattern in _PROSE_RES:
            for m, base in _finditer(pattern, flat, clauses):
                num = m.group(1)
                if len(num) > MAX_DIGITS:  # 「申请999…9件」: no count, and past int()'s digit limit
                    continue
                out.append(ProseNumber(kind, float(num) if "." in num else int(num), m.group(0), where, who=who(m, base)))
        for m, base in _finditer(_NONE_RECEIVED_RE, flat, clauses):
            out.append(ProseNumber("none_received", 0, m.group(0), where, who=who(m, base)))
        for m, base in _finditer(_ALL_PROCESSED_RE, flat, clauses):
            out.append(ProseNumber("all_processed", 0, m.group(0), where, who=who(m, base)))
        for m, _base in _finditer(_ALL_UPHELD_RE, flat, clauses):
            out.append(ProseNumber("all_upheld", 0, m.group(0), where))
        for m, _base in _finditer(_PERCENT_RE, flat, clauses):
            num = m.group(2)
            if len(num) > MAX_DIGITS:
                continue
            out.append(ProseNumber("percent", float(num), m.group(0), where, what=m.group(1).strip()))
    return out

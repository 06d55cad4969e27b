"""Read 表2, 表3 and 表4 out of document rows, aligning cells by row label, never by column index.

Rows are found by their labels (fuzzy: whitespace, bracket width and quotes ignored); the numbers of a
row are the cells after its label. Shifted rows (an extra or missing empty cell) keep their last 7
numbers; a blank row stays blank (``None``); glued digits are split with the identities (glued.py).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from bot.reading import glued
from bot.reading.cells import clean_cell, is_digits, is_value_cell, nfkc, parse_value, squash
from bot.reading.doc import Row
from bot.reading.t3_sequence import (
    all_hold,
    identities,
    names_label,
    read_sequence,
    score_t3,
    t3_label_core,
    wrapped_fits,
)
from bot.report import Finding, Value, empty_appeals, empty_applications, empty_proactive
from bot.schema import (
    T2_LABELS,
    T3_COLUMN_LABELS,
    T3_COLUMNS,
    T3_ROW_LABELS,
    T3_ROW_SHORT,
    T4_BLOCK_LABELS,
    T4_BLOCKS,
    T4_COLUMN_LABELS,
    T4_COLUMNS,
    t3_result_rows,
    t3_row_keys,
)

_NUMERAL_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十\d]+\)|\d+[、.])")
_GROUPS = {
    "三、本年度办理结果": None,
    "(三)不予公开": "deny",
    "(四)无法提供": "unable",
    "(五)不予处理": "noproc",
    "(六)其他处理": "other",
    "(六)其他": "other",
}


def _strip_numeral(s: str) -> str:
    return _NUMERAL_RE.sub("", s, count=1)


_T3_FULL: dict[str, str] = {squash(label): key for key, label in T3_ROW_LABELS.items()}
_T3_CORES: list[tuple[str, str]] = sorted(
    ((_strip_numeral(squash(label)), key) for key, label in T3_ROW_LABELS.items()),
    key=lambda kc: -len(kc[0]),
)
_GROUP_FULL = {squash(g): g for g in _GROUPS}


def match_t3(cell: str) -> str | None:
    """The 表3 row key a label cell names, or None. Short labels (「3.其他」「（七）总计」) need their numeral."""
    s = squash(cell)
    if not s:
        return None
    if s in _T3_FULL:
        return _T3_FULL[s]
    core = _strip_numeral(s)
    if len(core) < 4:
        return None
    for label_core, key in _T3_CORES:
        if len(label_core) < 4:
            continue
        if core == label_core or core.startswith(label_core[:10]) and len(label_core) >= 6:
            return key
        if len(core) >= 6 and label_core.startswith(core):
            return key
    return None


def match_group(cell: str) -> str | None:
    """「（三）不予公开」 and the other group labels of 办理结果 (they carry no numbers)."""
    s = squash(cell)
    if s in _GROUP_FULL:
        return _GROUP_FULL[s]
    return None


def _label_regex(labels: list[str]) -> re.Pattern[str]:
    parts = sorted({squash(lb) for lb in labels}, key=len, reverse=True)
    return re.compile("|".join(r"\s*".join(re.escape(ch) for ch in p) for p in parts))


_T3_SPLIT_RE = _label_regex([*T3_ROW_LABELS.values(), *_GROUPS])
_T2_NAMES: list[tuple[str, str]] = [
    ("normative_documents", "行政规范性文件"),
    ("normative_documents", "规范性文件"),
    ("other_admin_services", "其他对外管理服务事项"),
    ("licensing", "行政许可"),
    ("penalty", "行政处罚"),
    ("enforcement", "行政强制"),
    ("fees", "行政事业性收费"),
    ("procurement", "政府集中采购"),
    ("regulations", "规章"),
]
_T2_SPLIT_RE = re.compile(
    r"第二十条第\s*[（(][一二三四五六七八九十]+[)）]\s*项|"
    + _label_regex([n for _, n in _T2_NAMES]).pattern
)
_QUOTE_RE = re.compile(r"[\"'“”‘’「」]")


def expand_glued(rows: list[Row], splitter: re.Pattern[str], min_labels: int = 2) -> list[Row]:
    """Break a long line holding several labels (glued page text) into one row per label."""
    out: list[Row] = []
    for row in rows:
        if len(row.cells) > 2 and not any(
            len(splitter.findall(_QUOTE_RE.sub("", nfkc(c)))) >= min_labels for c in row.cells if len(c) > 8
        ):
            # a real table row (group label and row label in cells of their own): its empty cells are
            # blank values and must keep their positions, so it is not re-split like glued page text
            out.append(row)
            continue
        joined = " ".join(c for c in row.cells if c.strip())
        text = _QUOTE_RE.sub("", nfkc(joined))
        matches = list(splitter.finditer(text)) if len(text) > 40 else []
        if len(matches) < min_labels:
            out.append(row)
            continue
        head = text[: matches[0].start()].strip()
        if head:
            out.append(Row(row.line, [head]))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            rest = text[m.end() : end]
            tokens = [t for t in re.split(r"\s+", rest) if t]
            if tokens and not all(is_value_cell(t) for t in tokens):
                # keep only the leading numbers; trailing header words are not cells of this row
                kept = []
                for t in tokens:
                    if not is_value_cell(t):
                        break
                    kept.append(t)
                tokens = kept
            out.append(Row(row.line, [m.group(0), *tokens]))
    return out


@dataclass
class Tables:
    """What the table reader found, with its own findings (ING-04/05/07, STR-06, FMT-05)."""

    proactive: dict | None = None
    proactive_2019: dict[str, list[Value]] | None = None
    applications: dict[str, list[Value]] | None = None
    appeals: dict[str, dict[str, Value]] | None = None
    extra_rows: list[str] = field(default_factory=list)
    missing_rows: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    single_other_row: bool = False
    #: Which tables' headings or header words were seen (a table seen but not read is said so, ING-08).
    anchors: dict[str, bool] = field(default_factory=dict)


def _first(rows: list[Row], pred, start: int = 0) -> int | None:
    for i in range(start, len(rows)):
        if pred(rows[i]):
            return i
    return None


def _has(row: Row, *needles: str) -> bool:
    s = row.key
    return any(n in s for n in needles)


_END_OF_T4_RE = re.compile(r"^[五六七5-7][、.]")


def _is_section_after_t4(row: Row) -> bool:
    s = row.key
    if not s or len(s) > 60:
        return False
    return bool(_END_OF_T4_RE.match(s)) or "存在的主要问题" in s or "其他需要报告" in s


class _Locator:
    """Finds anchors row by row, and — when no single row holds one — in the rows joined into one
    squashed string, so a word wrapped over lines or set one character per line (vertical header text of
    a PDF) is still found; answers the row the match starts in. The joined text is built only then."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows
        self.starts: list[int] = []
        self.text = ""

    def _join(self) -> None:
        parts: list[str] = []
        pos = 0
        for r in self.rows:
            self.starts.append(pos)
            parts.append(r.key)
            pos += len(r.key)
        self.text = "".join(parts)

    def find(self, pattern: re.Pattern[str], start: int = 0, back: int = 0) -> int | None:
        """The first row at or after ``start`` where ``pattern`` matches; ``back``: also look that many
        rows before a row-level match for an earlier match spread over lines (a vertical header)."""
        for i in range(start, len(self.rows)):
            if pattern.search(self.rows[i].key):
                lo = max(start, i - back)
                if back and i > lo:
                    keys = [r.key for r in self.rows[lo:i]]
                    m = pattern.search("".join(keys))
                    if m is not None:
                        pos = m.start()
                        for j, k in enumerate(keys):
                            if pos < len(k):
                                return lo + j
                            pos -= len(k)
                return i
        if start >= len(self.rows):
            return None
        if not self.starts:
            self._join()
        m = pattern.search(self.text, self.starts[start])
        return None if m is None else bisect.bisect_right(self.starts, m.start()) - 1


_T3_ANCHOR_RE = re.compile("勾稽关系|申请人情况|本年新收政府信息公开申请")
_T2_ANCHOR_RE = re.compile("第二十条第|本年制发件数|本年新制作数量")
_T4_ANCHOR_RE = re.compile("结果维持|结果纠正|尚未审结")
_T4_HEAD_RE = re.compile(r"^[#*]*[四4][、.]?[^、]{0,12}行政法?复议")


def read_tables(rows: list[Row], fmt: str) -> Tables:
    """Find the three tables by their anchors (or their content) and read each."""
    out = Tables()
    loc = _Locator(rows)
    t3_start = loc.find(_T3_ANCHOR_RE, back=150)
    t2_start = loc.find(_T2_ANCHOR_RE)
    t2_end = t3_start if t3_start is not None and (t2_start is None or t3_start > t2_start) else len(rows)
    if t2_start is not None:
        _read_t2(split_spaced(expand_glued(rows[t2_start:t2_end], _T2_SPLIT_RE)), fmt, out)
    t4_from = 0
    if t3_start is not None:
        fwd = _first(rows, lambda r: _has(r, "结转下年度继续办理"), t3_start)
        t4_head = _first(rows, lambda r: _has(r, "行政复议") and len(squash(r.text)) < 60, t3_start + 1)
        # where 表4 begins: its heading (even misprinted), or its header words
        if t4_head is None:  # a misprinted heading (「行政法复议」)
            t4_head = _first(rows, lambda r: bool(_T4_HEAD_RE.match(r.key)), t3_start + 1)
        heads = [i for i in (t4_head, loc.find(_T4_ANCHOR_RE, t3_start + 1)) if i is not None]
        t4_bound = min(heads) if heads else None
        t3_end = fwd + 1 if fwd is not None else t4_bound if t4_bound is not None else len(rows)
        if fwd is not None:
            # the last row's numbers may stand in rows of their own after its label (markdown, PDF text)
            while t3_end < min(len(rows), fwd + 9) and not any(
                c.strip() and not is_value_cell(c) for c in rows[t3_end].cells
            ):
                t3_end += 1
        _read_t3(split_spaced(expand_glued(rows[t3_start:t3_end], _T3_SPLIT_RE), glued=True), fmt, out)
        # the whole region up to 表4 (numbers may follow the last label), for a second reading
        later = [i for i in heads if i >= t3_end - 1]
        arbitrate_t3(rows[t3_start : max(min(later) if later else len(rows), t3_end)], fmt, out)
        t4_from = t3_end
    t4_start = t4_words = loc.find(_T4_ANCHOR_RE, t4_from)
    if t4_start is None:
        t4_start = _first(rows, lambda r: bool(_T4_HEAD_RE.match(r.key)), t4_from)
    if t4_start is not None:
        t4_end = _first(rows, _is_section_after_t4, t4_start + 1) or len(rows)
        _read_t4(rows[t4_start:t4_end], out)
    out.anchors = {"t2": t2_start is not None, "t3": t3_start is not None, "t4": t4_words is not None}
    return out


_DIGIT_RE = re.compile(r"[0-9０-９]")
_SPACED_RE = re.compile(r"[ \u3000\xa0]+")


_GLUED_TAIL_RE = re.compile(r"^(.{2,60}?[^\d\s.,，、:：])(\d{7,})$")


def split_spaced(rows: list[Row], glued: bool = False) -> list[Row]:
    """A one-cell line 「2.重复申请 4 6 0 3 0 4 17」 or 「0 0 0 0 0 0 0」 (text of a PDF or converter)
    → cells: the label, then one cell per number. With ``glued``, a label with its digits glued on
    (「2.重复申请46030417」) becomes the label and one run of digits, split later by the identities.
    Other lines are kept as they are."""
    out: list[Row] = []
    for row in rows:
        cells = [c for c in row.cells if c.strip()]
        if len(cells) != 1:
            out.append(row)
            continue
        c = cells[0]
        if not _DIGIT_RE.search(c):
            out.append(row)  # no number to split off (most lines: header words, labels, prose)
            continue
        c = clean_cell(c)
        parts = [p for p in _SPACED_RE.split(c) if p]
        tail: list[str] = []
        while parts and is_value_cell(parts[-1]):
            tail.append(parts.pop())
        if glued and not tail and len(parts) == 1 and (m := _GLUED_TAIL_RE.match(nfkc(parts[0]))):
            out.append(Row(row.line, [m.group(1), m.group(2)]))
            continue
        if not tail or len(parts) > 1 and len(" ".join(parts)) > 60 or (len(parts) + len(tail)) == 1:
            out.append(row)  # prose ending in a number, or nothing to split
            continue
        out.append(Row(row.line, [*([" ".join(parts)] if parts else []), *reversed(tail)]))
    return out


# -- 表2 ----------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _match_t2(cell: str) -> str | None:
    s = squash(cell)
    if s.endswith(")") and "(" in s and not s.startswith("("):
        # a note printed after the label: 「规章(县级无此项)」「规章(设区的市、自治州人民政府应提供相关数据)」
        s = s[: s.index("(")]
    for key, name in _T2_NAMES:
        if s == name or (s.startswith(name) and len(s) - len(name) <= 4 and key != "regulations"):
            return key
    return None


#: Row names for messages and where-strings: T2_LABELS, plus the 2019 format's extra rows (the first
#: name of a key in _T2_NAMES wins).
_T2_ROW_NAMES = {**dict(reversed(_T2_NAMES)), **T2_LABELS}
#: Column headers of the 2019 trial format's 表2 (FORMAT.md §1.7), by how many a row has.
_T2_2019_COLUMNS = {
    "regulations": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
    "normative_documents": ("本年新制作数量", "本年新公开数量", "对外公开总数量"),
    "fees": ("上一年项目数量", "本年增/减"),
    "procurement": ("采购项目数量", "采购总金额"),
}
_T2_2019_DECISIONS = ("上一年项目数量", "本年增/减", "处理决定数量")


def _t2_columns(key: str, n: int, is2019: bool) -> tuple[str, ...]:
    """Header names of a 表2 row's ``n`` value cells, for where-strings a reviewer can find in the file.

    The 2019 template's own rows (其他对外管理服务事项, 政府集中采购) keep its headers in any format; a row
    with more cells than its template has headers names the rest by position."""
    if key in ("regulations", "normative_documents") and not is2019:
        names = tuple(T2_LABELS[c] for c in ("issued", "repealed", "in_force"))
    elif is2019 or key in ("other_admin_services", "procurement"):
        names = _T2_2019_COLUMNS.get(key, _T2_2019_DECISIONS)
    else:
        names = ("本年收费金额（万元）",) if key == "fees" else ("本年处理决定数量",)
    return names[:n] + tuple(f"第{i + 1}列" for i in range(len(names), n))


def _t2_where(key: str, col: str, line: int) -> str:
    row = _T2_ROW_NAMES.get(key, key)
    return f"表2 {row}·{col} (第{line}行)" if col else f"表2 {row} (第{line}行)"


def _values_below(rows: list[Row], start: int, n: int) -> list[str]:
    """The values of a 表2 row printed one cell per line under its label (web page text: 「规章」, 「0」,
    「0」, 「0」 on lines of their own, blank lines between): up to ``n`` value cells, stopping at the
    next text (a label or header)."""
    values: list[str] = []
    for row in rows[start : start + 4 * n + 4]:
        cells = [clean_cell(c) for c in row.cells if clean_cell(c)]
        if not cells:
            continue
        if not all(is_value_cell(c) for c in cells):
            break
        values.extend(cells)
        if len(values) >= n:
            break
    return values[:n]


def _text_only(row: Row) -> str | None:
    """The row's one cell of text (a name alone on its line), else None."""
    cells = row.cells
    if len(cells) > 2:
        return None  # a table row of cells: not converted text
    texts = [t for c in cells if (t := clean_cell(c))]
    return texts[0] if len(texts) == 1 and len(texts[0]) <= 30 and not is_value_cell(texts[0]) else None


def _numbers_only(row: Row) -> bool:
    cells = [c for c in row.cells if c.strip()]
    return bool(cells) and all(is_value_cell(c) for c in cells)


def _join_t2_lines(rows: list[Row]) -> list[Row]:
    """Converted text: a 表2 row name wrapped over lines (「行政规范性」「文件 4 1 34」) is joined, and a row
    name alone on its line takes the numbers on the lines after it (a line of numbers, or one per line)."""
    out: list[Row] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        head = _text_only(row)
        if head is not None and len(head) <= 8 and i + 1 < len(rows) and _match_t2(head) is None:
            nxt = rows[i + 1]
            cells = [c for c in nxt.cells if c.strip()]
            if (cells and len(cells[0]) <= 12 and not is_value_cell(cells[0])
                    and _match_t2(head + clean_cell(cells[0])) is not None):
                row = Row(row.line, [head + clean_cell(cells[0]), *cells[1:]])
                i += 1
        name = _text_only(row)
        if name is not None and _match_t2(name) is not None:
            cells = [name]
            while i + 1 < len(rows) and _numbers_only(rows[i + 1]) and len(cells) < 4:
                cells += [c for c in rows[i + 1].cells if clean_cell(c)]  # 「0 |」 lines: one cell each
                i += 1
            row = Row(row.line, cells)
        out.append(row)
        i += 1
    return out


#: A 表2 unit column some templates add (「单位」 header, 「个」「件」「万元」 in each row): not a label, not a value.
_UNIT_WORDS = frozenset({"个", "件", "条", "项", "元", "万元", "次", "宗", "部", "单位", "计量单位"})


def _is_unit(cell: str) -> bool:
    s = squash(cell)
    return s in _UNIT_WORDS or s.startswith("单位:") and len(s) <= 6


def _read_t2(rows: list[Row], fmt: str, out: Tables) -> None:
    is2019 = fmt == "2019"
    want = {
        "regulations": 3,
        "normative_documents": 3,
        "licensing": 3 if is2019 else 1,
        "other_admin_services": 3,
        "penalty": 3 if is2019 else 1,
        "enforcement": 3 if is2019 else 1,
        "fees": 2 if is2019 else 1,
        "procurement": 2,
    }
    found: dict[str, list[Value]] = {}
    rows = _join_t2_lines(rows)
    for idx, row in enumerate(rows):
        if "保留4位小数" in squash(row.text) and not any(f.code == "FMT-05" for f in out.findings):
            out.findings.append(
                Finding("FMT-05", "info", "收费金额表头为地方模板（保留4位小数），按“万元”处理。", "表2 第二十条第（八）项",
                        message_en="The fee heading is a local variant (4 decimals); read as 10,000 yuan.")
            )
        texts = [i for i, c in enumerate(row.cells) if clean_cell(c) and not is_value_cell(c) and not _is_unit(c)]
        if not texts:
            continue
        key = _match_t2(row.cells[texts[-1]])
        if key is None or (key in found and any(v.value is not None or v.raw for v in found[key])):
            continue  # (a label first met without numbers — inside a fill-in note — gives way to the row)
        after = [clean_cell(c) for c in row.cells[texts[-1] + 1 :] if not _is_unit(c)]
        n = want[key]
        filled = [c for c in after if c]
        if not filled:
            filled = _values_below(rows, idx + 1, n)
        names = _t2_columns(key, n, is2019)
        if len(filled) < n and filled and all(is_digits(c) for c in filled) and sum(map(len, filled)) >= n:
            options = list(itertools.islice(glued.splits([squash(c) for c in filled], n), 2))
            label = _T2_ROW_NAMES.get(key, key)
            if len(options) == 1:
                filled = [str(v) for v in options[0]]
                out.findings.append(Finding("ING-05", "warning", f"表2“{label}”行数字粘连，已拆分为{'/'.join(filled)}，请确认。", _t2_where(key, names[0], row.line)))
            else:
                out.findings.append(
                    Finding("ING-05", "warning", f"表2“{label}”行数字粘连（{''.join(filled)}），无法唯一拆分，未能读出（不按空白或错误处理），请核对。", _t2_where(key, names[0], row.line))
                )
                found[key] = [Value(None, "".join(filled), _t2_where(key, c, row.line), "unread") for c in names]
                continue
        if not filled and not after:
            # a label with no cell after it at all (converted text: 「行政处罚」 alone, its numbers elsewhere):
            # nothing was seen — unread, never blanks the office would be told to fill (a table row or a
            # delimited line shows its empty cells)
            found[key] = [Value(None, "", _t2_where(key, c, row.line), "unread") for c in names]
            continue
        cells = filled[:n] if filled else [""] * n
        cells += [""] * (n - len(cells))
        found[key] = [parse_value(c, _t2_where(key, names[i], row.line)) for i, c in enumerate(cells)]
    if not found:
        return
    t2 = empty_proactive()
    lossy = any(v.doubt == "unread" for vals in found.values() for v in vals)
    for key, cell in t2.items():
        if lossy and (key not in found and key != "fees_10k_yuan" or key == "fees_10k_yuan" and "fees" not in found):
            # converted text that already lost cells of this table, and a row whose name is nowhere in it:
            # nothing was seen, so it is unread, not blank (a .docx whose office deleted the row keeps T2-01)
            for v in cell.values() if isinstance(cell, dict) else [cell]:
                v.doubt = "unread"
    for key in ("regulations", "normative_documents"):
        if key in found:
            t2[key] = dict(zip(("issued", "repealed", "in_force"), found[key], strict=True))
    for key in ("licensing", "penalty", "enforcement"):
        if key in found:
            t2[key] = found[key][-1]
    if "fees" in found and not is2019:
        t2["fees_10k_yuan"] = found["fees"][0]
    out.proactive = t2
    if is2019:
        out.proactive_2019 = {k: v for k, v in found.items() if k not in ("regulations", "normative_documents")}


# -- 表3 ----------------------------------------------------------------------------------------


def _t3_where(key: str, col: int, line: int) -> str:
    label = T3_ROW_LABELS[key] if len(T3_ROW_LABELS[key]) <= 12 else T3_ROW_SHORT[key]
    return f"表3 {label}·{T3_COLUMN_LABELS[T3_COLUMNS[col]]} (第{line}行)"


@dataclass
class _T3Row:
    key: str
    line: int
    cells: list[str]
    blank_lines: int = 0  # empty lines seen before the first value (one-cell-per-line page text)
    #: bare digits on the line(s) right after the whole row: the ends of numbers wrapped in a narrow cell
    #: (「55 31 … 17」 then 「2」 under the total: 172), see :func:`_wrapped_digits`
    overflow: list[str] = field(default_factory=list)


_ALL_LABELS = "\n".join(squash(lb).replace("、", ".") for lb in [*T3_ROW_LABELS.values(), *_GROUPS])


def _label_fragment(text: str) -> bool:
    """The tail of a row label wrapped onto the line of its numbers (「情形，不计其他情形）」), not a row."""
    s = squash(text).replace("、", ".")
    return len(s) >= 2 and s in _ALL_LABELS and s not in _GROUP_FULL


def _pick7(cells: list[str]) -> tuple[list[str] | None, list[str]]:
    """The 7 cells of a row (blanks kept) or None; second item: the digit tokens if it looks glued."""
    filled = [c for c in cells if c]
    if len(filled) == 7:
        return filled, []
    if len(filled) > 7:
        return filled[-7:], []
    if not filled:
        return [""] * 7, []
    if len(cells) < 7 and all(is_digits(c) for c in filled) and sum(len(squash(c)) for c in filled) >= 7:
        return None, [squash(c) for c in filled]
    lead = 0
    while lead < len(cells) and not cells[lead]:
        lead += 1
    body = cells[lead:]
    if len(body) >= 7:
        return body[:7], []
    if len(cells) >= 7:
        return cells[-7:], []
    return None, []


def _wrapped_digits(row: list[Value], overflow: list[str]) -> None:
    """Digits printed on the line after a whole row (converted text of a PDF whose number columns are too
    narrow: 「…13 28 17」 then 「2」) are the end of one of its numbers. When the row does not add up as
    read, the one placement of those digits (left to right, one per cell) that makes it add up is taken;
    when none or several do, the row is ``uncertain`` — never an arithmetic error of the office."""
    values = [v.value for v in row]
    if any(not isinstance(x, int) for x in values) or sum(values[:6]) == values[6]:  # type: ignore[arg-type]
        return  # the row adds up without them (a page number, a stray mark): nothing was cut
    fits = wrapped_fits(values, overflow)
    if len(fits) == 1:
        for c, digits in zip(fits[0], overflow, strict=True):
            row[c].value = int(f"{row[c].value}{digits}")
            row[c].raw = f"{row[c].raw}{digits}"
        return
    for v in row:
        v.doubt = "uncertain"


def _label_before_text_cells(cells: list[str], texts: list[int], last: int) -> tuple[int, str | None]:
    """「本年新收 | 3 | 见附件 | 0 | …」: text typed into a count cell is that cell's finding (T3-04), not
    the end of the row. The label is the rightmost text cell naming a 表3 row when the cells after it
    are mostly numbers (at least 4 of them, at most 2 texts)."""
    for i in reversed(texts[:-1]):
        key = match_t3(cells[i])
        if key is None:
            continue
        after = [c for c in cells[i + 1 :] if c]
        stray = sum(1 for c in after if not is_value_cell(c))
        if len(after) - stray >= 4 and stray <= 2:
            return i, key
        break
    return last, None


def _read_t3(rows: list[Row], fmt: str, out: Tables) -> None:
    keys = t3_row_keys(fmt)
    entries: list[_T3Row] = []
    current: _T3Row | None = None
    for row in rows:
        cells = [clean_cell(c) for c in row.cells]
        texts = [i for i, c in enumerate(cells) if c and not is_value_cell(c)]
        if not texts:
            if current is not None and sum(1 for c in current.cells if c) >= 7:
                short = [squash(c) for c in cells if c]
                if short and len(short) <= 3 and all(c.isdigit() and len(c) <= 2 for c in short) and not current.overflow:
                    current.overflow = short  # (only the line right after: further lines are not this row's)
                else:
                    current = None  # anything else after a whole row ends it
                continue
            if current is None:
                continue
            if len(current.cells) >= 7 and any(current.cells):
                # seven cells with a number are a whole row: the empty line after it ends the row
                # (cell-per-line layout) — counting it as an eighth cell would shift every value
                current = None
                continue
            if not cells:
                current.blank_lines += 1
                continue
            if len(cells) == 1 and cells[0] and not any(current.cells) and current.blank_lines >= 5:
                # 「label / 7 empty lines / 0」: each empty line was a blank cell (corpus excerpt 011)
                current.cells.extend([""] * current.blank_lines)
            if len(cells) == 1:
                current.cells.append(cells[0])  # one cell per line: a blank keeps its position
            elif not any(cells):
                current = None  # 「||」: end of the row
            elif not any(current.cells) and len(cells) >= 7:
                current.cells = cells[-7:]  # the label's numbers in a row of their own, blanks in place
            else:
                current.cells.extend(c for c in cells if c)
            continue
        last = texts[-1]
        key = match_t3(cells[last])
        if key is None and " " in cells[last]:
            key = match_t3(cells[last].rsplit(" ", 1)[1])  # 「三、本年度办理结果 （一）予以公开」 in one text run
        if key is None and len(texts) > 1:
            last, key = _label_before_text_cells(cells, texts, last)
        values = cells[last + 1 :]
        if key is None:
            group = match_group(cells[last])
            has_numbers = any(c for c in values)
            if group is not None and group.startswith("(六)") and (has_numbers or len(values) >= 7 and fmt == "2019"):
                key = "other_other"
                out.single_other_row = True
            elif (has_numbers and group is not None or has_numbers and len(cells[last]) >= 2 and (
                "计" in cells[last] or "小" in cells[last]
            )) and not _label_fragment(cells[last]):
                out.extra_rows.append(cells[last])
                out.findings.append(
                    Finding("STR-06", "warning", f"表3出现非标准行“{cells[last]}”，已忽略，请勿另加小计行。", f"表3 第{row.line}行")
                )
                current = None
                continue
            else:
                current = None
                continue
        previous = next((e for e in entries if e.key == key), None)
        if previous is not None:
            if any(previous.cells) or not any(values):
                current = None
                continue  # a repeated header block after a page break: keep the first
            entries.remove(previous)  # the first mention was a sub-heading without numbers (markdown)
        current = _T3Row(key, row.line, values)
        entries.append(current)
    if not entries:
        return
    apps = empty_applications(fmt)
    glued_rows: dict[str, list[str]] = {}
    for e in entries:
        if e.key not in apps:
            out.extra_rows.append(T3_ROW_LABELS[e.key])
            continue
        cells, digits = _pick7(e.cells)
        if not e.cells and e.blank_lines < 7:
            # nothing after the label but a few empty lines (raw pdftotext separates its text blocks so) or
            # nothing at all: converted text loses empty cells, so nothing is known — unread, never seven
            # blanks the office would be told to fill (a row that shows its blanks has empty TAB- or
            # |-delimited cells, or one empty line per cell)
            # a label with no cell after it at all (converted text loses empty cells): nothing was seen,
            # so nothing is known — unread, never seven blanks the office would be told to fill
            apps[e.key] = [Value(None, "", _t3_where(e.key, i, e.line), "unread") for i in range(7)]
        elif cells is not None:
            apps[e.key] = [parse_value(c, _t3_where(e.key, i, e.line)) for i, c in enumerate(cells)]
            if e.overflow:
                _wrapped_digits(apps[e.key], e.overflow)
        elif digits:
            glued_rows[e.key] = digits
            apps[e.key] = [Value(None, "", _t3_where(e.key, i, e.line)) for i in range(7)]
        else:
            n = sum(1 for c in e.cells if c)
            label = T3_ROW_SHORT[e.key]
            out.findings.append(
                Finding("ING-04", "error", f"表3“{label}”行识别到{n}个数值（应为7个），请核对该行是否缺格或合并单元格。", _t3_where(e.key, 0, e.line).split("·")[0] + f" (第{e.line}行)")
            )
            apps[e.key] = [Value(None, "", _t3_where(e.key, i, e.line), "unread") for i in range(7)]
    if glued_rows:
        _resolve_glued_t3(apps, glued_rows, fmt, out)
    seen = {e.key for e in entries}
    out.missing_rows = [T3_ROW_LABELS[k] for k in keys if k not in seen]
    for k in keys:
        if k not in seen:
            del apps[k]
    out.applications = apps


def _complete(rows: dict[str, list[Value]] | None, fmt: str) -> bool:
    return rows is not None and all(
        k in rows and len(rows[k]) == 7 and not any(v.doubt for v in rows[k]) for k in t3_row_keys(fmt)
    )


def arbitrate_t3(rows: list[Row], fmt: str, out: Tables) -> None:
    """Keep the line reader's 表3 when it is whole and keeps every identity; otherwise read the region
    again as a stream (t3_sequence) and keep the reading that the identities, the coverage and the label
    matches favour (:func:`score_t3`). Rows placed only by order may also be moved to another row when
    that makes the identities hold (numbers whose label was lost: placed by order + identities).

    When the kept reading still breaks an identity and another reading of the same text keeps it, or a
    row in that identity was placed only by order, those cells are marked ``uncertain``: the verdict says
    the reading is unsure instead of blaming the office."""
    first = out.applications
    if _complete(first, fmt) and all_hold(first or {}, fmt):
        return
    readings = read_sequence(rows, fmt)
    if not readings:
        return
    candidates: list[tuple[str, dict[str, list[Value]], set[str]]] = []
    if first:
        candidates.append(("lines", first, set()))
    for r in readings:
        candidates.append((r.how, r.rows, r.weak))
        candidates += _moves(r.rows, r.weak, fmt, r.how)
    scored = sorted(candidates, key=lambda c: score_t3(c[1], fmt, c[2]), reverse=True)
    how, best, weak = scored[0]
    if how != "lines":
        out.applications = {k: best[k] for k in t3_row_keys(fmt) if k in best}
        out.missing_rows = [T3_ROW_LABELS[k] for k in t3_row_keys(fmt) if k not in best]
        # the line reader's complaints were about its own reading; a misprinted label it took for an
        # extra row is a template row here
        misread = {x for x in out.extra_rows if names_label(x, fmt)}
        out.extra_rows = [x for x in out.extra_rows if x not in misread]
        out.findings = [
            f for f in out.findings
            if not (f.code in ("ING-04", "ING-05") and f.where.startswith("表3"))
            and not (f.code == "STR-06" and any(f"“{x}”" in f.message for x in misread))
        ]
        if "other_other" in best and "other_no_correction" not in best and fmt != "2019":
            out.single_other_row = True
    _labels_present(rows, fmt, out)
    apps = out.applications or {}
    kept, broken, _ = identities(apps, fmt)
    placed = _rows_of(broken, fmt)  # rows in a broken A1/A2 (A3 is the row's own sum, placement aside)
    if _unconfirmed_rows(apps, kept, broken, weak, fmt) or not placed:
        return
    doubtful: set[tuple[str, int]] = set()
    top = score_t3(best, fmt, weak)
    for _how, other, other_weak in scored[1:]:
        kept, bad, _ = identities(other, fmt)
        if not kept & broken or len(bad) >= len(broken) or score_t3(other, fmt, other_weak) < top - 1:
            continue  # doubt only from a reading about as good that keeps an identity this one breaks
        for key in placed:
            mine, theirs = apps.get(key), other.get(key)
            if mine is None or theirs is None or len(mine) != 7 or len(theirs) != 7:
                continue
            doubtful.update((key, c) for c in range(7) if mine[c].value != theirs[c].value)
    if not {key for kind, key in broken if kind == "A3"} & placed:
        # a row whose own sum is wrong explains the broken column sums: that is the office's error; with
        # every row adding up, a row placed only by order may be the misplaced one
        doubtful.update((key, c) for key in weak & placed for c in range(7))
    for key, c in doubtful:
        if key in apps and apps[key][c].value is not None and not apps[key][c].doubt:
            apps[key][c].doubt = "uncertain"


_A1_ROWS = ("new_received", "carried_over", "total_processed", "carried_forward")


_NOT_LABEL_RE = re.compile(r"[\d,]+")


def _labels_present(rows: list[Row], fmt: str, out: Tables) -> None:
    """A row no reading placed whose label is in the table's text (raw ``pdftotext`` puts a narrow
    column's labels in a block of their own, out of order) is there but unread — not missing: the office
    did not leave it out (no STR-05, no one-row 「（六）其他处理」 FMT-04 against it)."""
    apps = out.applications
    if not apps:
        return
    missing = [k for k in t3_row_keys(fmt) if k not in apps]
    if not missing:
        return
    # numbers of other columns (「-layout」 text sets them between a wrapped label's lines) are no part of it
    text = _NOT_LABEL_RE.sub("", squash("".join(c for r in rows for c in r.cells)).replace("、", "."))
    found = [k for k in missing if len(core := t3_label_core(T3_ROW_LABELS[k])) >= 6 and (
        core in text or len(core) >= 10 and fuzz.partial_ratio(core, text) >= 90)]
    if not found:
        return
    for k in found:
        apps[k] = [Value(None, "", _t3_where(k, i, 0).replace(" (第0行)", ""), "unread") for i in range(7)]
    out.applications = {k: apps[k] for k in t3_row_keys(fmt) if k in apps}
    out.missing_rows = [T3_ROW_LABELS[k] for k in t3_row_keys(fmt) if k not in apps]
    if "other_no_correction" in apps or "other_fee_unpaid" in apps:
        out.single_other_row = False


def _unconfirmed_rows(
    apps: dict[str, list[Value]], kept: set[tuple], broken: set[tuple], weak: set[str], fmt: str
) -> bool:
    """Converted text the reader only partly placed (cells unread, rows placed by order) is not evidence
    enough to blame the office for a sum when (a) no column identity (A1/A2) can be checked at all — in raw
    ``pdftotext`` output labels and numbers come in separate blocks, nothing confirms a row's numbers are
    that row's — or (b) several rows do not add up: numbers wrapped digit by digit in narrow columns
    (``pdftotext -layout``) read as their first digits, which no office's table looks like. The rows in the
    broken identities are then ``uncertain`` (ING-09, not judged). True when it did so."""
    lossy = weak or any(v.doubt for row in apps.values() for v in row)
    if not lossy:
        return False
    rows_bad = {key for kind, key in broken if kind == "A3"}
    columns_checked = any(kind in ("A1", "A2") for kind, _ in kept | broken)
    if columns_checked and len(rows_bad) < 2:
        return False  # the columns check the placement: a row that does not add up is the office's
    if not rows_bad:
        return False
    for key in rows_bad | _rows_of(broken, fmt):
        for v in apps.get(key, []):
            if v.value is not None and not v.doubt:
                v.doubt = "uncertain"
    return True


def _rows_of(broken: set[tuple], fmt: str) -> set[str]:
    rows: set[str] = set()
    for kind, _ in broken:
        if kind == "A1":
            rows.update(_A1_ROWS)
        elif kind == "A2":
            rows.update((*t3_result_rows(fmt), "total_processed"))
    return rows


def _moves(
    rows: dict[str, list[Value]], weak: set[str], fmt: str, how: str
) -> list[tuple[str, dict[str, list[Value]], set[str]]]:
    """Readings where a row placed only by order moves to a row without numbers, or swaps with another
    such row — tried only when the identities break (the lost label made the order ambiguous)."""
    _, broken, _ = identities(rows, fmt)
    movable = sorted(weak & _rows_of(broken, fmt))[:4]
    if not movable:
        return []
    out = []
    keys = t3_row_keys(fmt)
    empty = [k for k in keys if k not in rows or all(v.value is None for v in rows[k])]
    for key in movable:
        for other in [*empty, *(w for w in weak if w != key)]:
            moved = dict(rows)
            moved[key], moved[other] = rows.get(other) or [], rows[key]
            if not moved[key]:
                del moved[key]
            out.append((f"{how}, {key}→{other}", moved, (weak - {key}) | {other}))
    return out


def _resolve_glued_t3(apps: dict[str, list[Value]], glued_rows: dict[str, list[str]], fmt: str, out: Tables) -> None:
    candidates = {k: glued.t3_row_candidates(tokens) for k, tokens in glued_rows.items()}
    results = t3_result_rows(fmt)

    def cell(values: dict[str, list[int]], key: str, col: int) -> int | float | None:
        if key in values:
            return values[key][col]
        row = apps.get(key)
        return row[col].value if row else None

    def check(values: dict[str, list[int]]) -> bool:
        for col in range(7):
            a1 = [cell(values, k, col) for k in ("new_received", "carried_over", "total_processed", "carried_forward")]
            if None not in a1 and a1[0] + a1[1] != a1[2] + a1[3]:
                return False
            parts = [cell(values, k, col) for k in results]
            total = cell(values, "total_processed", col)
            if total is not None and None not in parts and sum(parts) != total:
                return False
        return True

    chosen = glued.resolve(candidates, check)
    resolved: list[tuple[str, str, list[int]]] = []
    for key, tokens in glued_rows.items():
        raw = " ".join(tokens)
        label = T3_ROW_SHORT[key]
        split = chosen.get(key)
        if split is None:
            for v in apps[key]:
                v.raw, v.doubt = raw, "unread"
            if not candidates[key]:
                # no split at all makes the six columns add up to 总计: the row as printed does not add up
                out.findings.append(Finding(
                    "ING-05", "error",
                    f"表3“{label}”行数字粘连（{raw}），无论怎样拆分，各类申请人之和都不等于总计，请核对该行数字。",
                    apps[key][0].where,
                ))
                continue
            out.findings.append(
                Finding("ING-05", "warning", f"表3“{label}”行数字粘连（{raw}），可有多种拆分，无法按勾稽关系确定，未能读出（不按空白或错误处理），请核对。", apps[key][0].where)
            )
            continue
        for v, n in zip(apps[key], split, strict=True):
            v.value, v.raw = n, str(n)
        resolved.append((key, raw, split))
    if not resolved:
        return
    # one warning for the table, naming the most telling row, rather than one per row (a chat shows 3)
    key, raw, split = max(resolved, key=lambda r: sum(1 for n in r[2] if n))
    label = T3_ROW_SHORT[key]
    example = f"“{label}”行{raw}→{'/'.join(map(str, split))}"
    message = (
        f"表3“{label}”行数字粘连（{raw}），已按勾稽关系拆分为{'/'.join(map(str, split))}，请确认。"
        if len(resolved) == 1
        else f"表3有{len(resolved)}行数字粘连，已按勾稽关系拆分（如{example}），请确认。"
    )
    out.findings.append(Finding("ING-05", "warning", message, apps[key][0].where))


# -- 表4 ----------------------------------------------------------------------------------------

_HEADER_WORDS_RE = re.compile(r"\d+(?:\.\d+)?|[^\d\s]+")


def _ragged(tokens: list[tuple[str, int]]) -> bool:
    """Whether 表4's numbers came on lines of uneven counts (not 15 on one line, 5 per block, or one per line)."""
    counts = [sum(1 for _, ln in tokens if ln == line) for line in dict.fromkeys(ln for _, ln in tokens)]
    return not (all(n % 5 == 0 for n in counts) or all(n == 1 for n in counts))


def _t4_adds_up(appeals: dict) -> bool:
    """A4 in every block: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计."""
    for block in appeals.values():
        vals = [block[c].value for c in T4_COLUMNS]
        if None not in vals and sum(vals[:4]) != vals[4]:
            return False
    return True


def _read_t4(rows: list[Row], out: Tables) -> None:
    tokens: list[tuple[str, int]] = []
    spaced = False
    numeric_rows = [r for r in rows if any(is_value_cell(c) for c in r.cells)]
    if len(numeric_rows) == 1 and len(numeric_rows[0].cells) == 15:
        rows = numeric_rows  # one positional row of 15 cells: blanks stay in place
        tokens = [(clean_cell(c), rows[0].line) for c in rows[0].cells]
        rows = []
    for row in rows:
        for c in row.cells:
            c = clean_cell(c)
            if not c:
                continue
            if is_value_cell(c):
                if " " in c:
                    spaced = True  # numbers separated by spaces: a blank cell leaves no trace here
                    tokens.extend((t, row.line) for t in c.split())
                else:
                    tokens.append((c, row.line))
            elif any(w in squash(c) for w in ("结果维持", "尚未审结", "复议后起诉")) and re.search(r"\d", c):
                # glued header and numbers: 「…尚未审结总计10203120001200000」
                tokens.extend((t, row.line) for t in _HEADER_WORDS_RE.findall(nfkc(c)) if t[0].isdigit())
    appeals = empty_appeals()
    cols = [(b, c) for b in T4_BLOCKS for c in T4_COLUMNS]

    def where(i: int, line: int) -> str:
        b, c = cols[i]
        return f"表4 {T4_BLOCK_LABELS[b]}·{T4_COLUMN_LABELS[c]} (第{line}行)"

    if len(tokens) >= 15 and any(t for t, _ in tokens):
        for i, (t, line) in enumerate(tokens[-15:]):
            b, c = cols[i]
            appeals[b][c] = parse_value(t, where(i, line))
        if spaced and _ragged(tokens[-15:]) and not _t4_adds_up(appeals):
            # 「0」 over 「1 0 3」 over 「3 0 6 …」: numbers (with units) wrapped in narrow columns and set
            # out line by line in -layout text — their order is not the table's
            for block in appeals.values():
                for v in block.values():
                    if v.value is not None:
                        v.doubt = "uncertain"
        out.appeals = appeals
        return
    if not tokens:
        return
    line = tokens[0][1]
    if all(is_digits(t) for t, _ in tokens) and sum(len(t) for t, _ in tokens) >= 15:
        options = glued.t4_candidates([squash(t) for t, _ in tokens])
        raw = " ".join(t for t, _ in tokens)
        if len(options) == 1:
            for i, n in enumerate(options[0]):
                b, c = cols[i]
                appeals[b][c] = Value(n, str(n), where(i, line))
            out.appeals = appeals
            out.findings.append(
                Finding("ING-05", "warning", f"表4数字粘连（{raw}），已按勾稽关系拆分为{'/'.join(map(str, options[0]))}，请确认。", f"表4 (第{line}行)")
            )
            return
        out.findings.append(
            Finding("ING-05", "error", f"表4数字粘连（{raw}），无论怎样拆分，各栏之和都不等于总计，请核对表4数字。", f"表4 (第{line}行)")
            if not options else
            Finding("ING-05", "warning", f"表4数字粘连（{raw}），可有多种拆分，无法按勾稽关系确定，未能读出（不按空白或错误处理），请核对。", f"表4 (第{line}行)")
        )
        for block in appeals.values():
            for v in block.values():
                v.doubt = "unread"
        out.appeals = appeals
        return
    out.findings.append(
        Finding("ING-07", "warning", f"表4应为15个数值，文件中只读出{len(tokens)}个（空格分隔的文字里空白格无法定位），"
                "未能读出，不按空白处理；请发送该报告的.docx原件以便核对。", f"表4 (第{line}行)")
        if spaced else
        Finding("ING-07", "error", f"表4应为15个数值，实际识别到{len(tokens)}个，请核对行政诉讼部分。", f"表4 (第{line}行)")
    )
    for block in appeals.values():
        for v in block.values():
            v.doubt = "unread"
    out.appeals = appeals

"""A PDF's ruled tables rebuilt from geometry: characters with their boxes, table rules, cells, rows.

PDFium's text layer (``doc_from_pdf_text``) gives the characters in content order: a Word or WPS
export puts a wrapped row label, vertical header text and the page footer 「- 4 -」 between a row's
numbers, and blank cells vanish. Here every character is placed by its coordinates instead:

* the rules (thin path objects) of each page give the table grid — horizontal rules cut the page into
  bands, the vertical rules crossing a band cut it into cells, and a merged cell (no rule inside it)
  stays one cell whose text belongs to the band where it starts, as python-docx reads a .docx;
* the characters of a cell are joined in content order (a label wrapped over three lines is one label,
  a vertical header is one word); a cell without characters is a blank cell the reader positively saw;
* text outside the tables becomes prose lines; page numbers (「- 4 -」「第4页」) are dropped;
* a table row split by a page break (its label's last line or its numbers on the next page) is joined
  again, and a header row repeated at the top of the next page is dropped.

All of it is PDFium (C) plus a few thousand bisects per page: a six-page report takes ~20 ms.
"""

from __future__ import annotations

import ctypes
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from bot.reading.cells import is_value_cell, squash
from bot.reading.doc import _PAGE_NUMBER_RE, Doc, Row, clean_artefacts
from bot.reading.errors import MSG_SCANNED, ReadError
from bot.reading.sources import MAX_CHARS, MAX_PDF_PAGES, open_pdf
from bot.reading.sources import _pdf_line_cells as _pdf_line_cells

#: A path thinner than this (pt) is a rule; longer than RULE_MIN it separates cells.
RULE_THICK = 2.5
RULE_MIN = 4.0
#: Rules closer than this (pt) are the same line (double borders, per-cell segments).
SNAP = 1.6

#: The start of a table row label: 「一、」「（三）」「3.」「3、」 — a line that does not start so continues a row.
#: Part of a number wrapped in a narrow cell: 「25」, 「1,8」 (thousands separator kept).
_DIGITS_RE = re.compile(r"^[\d,]+$")
_ROW_START_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[、.．])")


@dataclass
class _Glyph:
    ch: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class _Band:
    """The strip between two consecutive horizontal rules; ``xs`` the vertical rules crossing it."""

    top: float
    bottom: float
    xs: list[float]


@dataclass
class _Item:
    """Something placed on a page: a prose line or a table band's row of cells."""

    y: float
    cells: list[str]
    table: bool
    header_like: bool = False


@dataclass
class GridPage:
    """One page's rules, merged and snapped."""

    hrules: dict[float, list[tuple[float, float]]] = field(default_factory=dict)
    vrules: dict[float, list[tuple[float, float]]] = field(default_factory=dict)


def _merge_intervals(spans: list[tuple[float, float]], gap: float = 2.0) -> list[tuple[float, float]]:
    spans.sort()
    out: list[tuple[float, float]] = []
    for a, b in spans:
        if out and a <= out[-1][1] + gap:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _snap(segments: list[tuple[float, float, float]]) -> dict[float, list[tuple[float, float]]]:
    """(position, start, end) segments → {position: merged spans}, positions within SNAP merged."""
    segments.sort()
    groups: list[list[tuple[float, float, float]]] = []
    for seg in segments:
        if groups and seg[0] - groups[-1][-1][0] <= SNAP:
            groups[-1].append(seg)
        else:
            groups.append([seg])
    out: dict[float, list[tuple[float, float]]] = {}
    for g in groups:
        pos = sum(s[0] for s in g) / len(g)
        out[round(pos, 2)] = _merge_intervals([(s[1], s[2]) for s in g])
    return out


def _covers(spans: list[tuple[float, float]], v: float, tol: float = 1.5) -> bool:
    return any(a - tol <= v <= b + tol for a, b in spans)


def _page_rules(page, height: float) -> GridPage:
    """Horizontal and vertical rules of a page from its path objects (top-down y).

    A thin path (Word/LibreOffice draw each border as a hairline rectangle) is a rule by its bounds;
    a larger path (one path holding a whole grid, as reportlab and some WPS exports draw it, or a
    cell drawn as a box) is taken apart into its straight segments. Raw PDFium calls avoid a Python
    object per page object (a page holds hundreds of paths)."""
    import pypdfium2.raw as raw

    h: list[tuple[float, float, float]] = []
    v: list[tuple[float, float, float]] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    refs = [ctypes.byref(c) for c in (left, bottom, right, top)]
    path = raw.FPDF_PAGEOBJ_PATH
    count = raw.FPDFPage_CountObjects(page.raw)
    if count > MAX_PAGE_OBJECTS:
        return GridPage()  # a vector drawing, not a form: the page is read as text (bounded time)
    budget = [MAX_PAGE_SEGMENTS]
    for i in range(count):
        obj = raw.FPDFPage_GetObject(page.raw, i)
        if raw.FPDFPageObj_GetType(obj) != path or not raw.FPDFPageObj_GetBounds(obj, *refs):
            continue
        x0, x1 = left.value, right.value
        y0, y1 = height - top.value, height - bottom.value
        w, hgt = x1 - x0, y1 - y0
        if hgt <= RULE_THICK and w >= RULE_MIN:
            h.append(((y0 + y1) / 2, x0, x1))
        elif w <= RULE_THICK and hgt >= RULE_MIN:
            v.append(((x0 + x1) / 2, y0, y1))
        elif w > RULE_MIN and hgt > RULE_MIN:
            _path_segments(obj, height, h, v, budget)
    return GridPage(_snap(h), _snap(v))


#: Caps that keep a hostile or drawing-heavy page to a few ms: past them a page is read as text.
MAX_PAGE_OBJECTS = 20_000
MAX_PAGE_SEGMENTS = 50_000
MAX_PATH_SEGMENTS = 5000


def _path_segments(obj, height: float, h: list, v: list, budget: list[int]) -> None:
    """The straight horizontal and vertical strokes of a path (its matrix applied); curves and
    diagonals are drawings, not rules."""
    import pypdfium2.raw as raw

    n = raw.FPDFPath_CountSegments(obj)
    if n < 2 or n > MAX_PATH_SEGMENTS or n > budget[0]:
        return
    budget[0] -= n
    mode, stroke = ctypes.c_int(), ctypes.c_int()
    if raw.FPDFPath_GetDrawMode(obj, ctypes.byref(mode), ctypes.byref(stroke)) and not stroke.value and n > 5:
        return  # a filled shape of many segments (a seal, a logo) has no rules
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
        m.a, m.b, m.c, m.d, m.e, m.f = 1, 0, 0, 1, 0, 0
    px, py = ctypes.c_float(), ctypes.c_float()
    start = prev = None
    line_to, move_to = raw.FPDF_SEGMENT_LINETO, raw.FPDF_SEGMENT_MOVETO
    for k in range(n):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        if not raw.FPDFPathSegment_GetPoint(seg, ctypes.byref(px), ctypes.byref(py)):
            continue
        x = m.a * px.value + m.c * py.value + m.e
        y = height - (m.b * px.value + m.d * py.value + m.f)
        kind = raw.FPDFPathSegment_GetType(seg)
        if kind == move_to:
            start = prev = (x, y)
            continue
        if kind == line_to and prev is not None:
            _add_stroke(prev, (x, y), h, v)
            if raw.FPDFPathSegment_GetClose(seg) and start is not None:
                _add_stroke((x, y), start, h, v)
        prev = (x, y)


def _add_stroke(a: tuple[float, float], b: tuple[float, float], h: list, v: list) -> None:
    (xa, ya), (xb, yb) = a, b
    if abs(ya - yb) <= 0.5 and abs(xa - xb) >= RULE_MIN:
        h.append(((ya + yb) / 2, min(xa, xb), max(xa, xb)))
    elif abs(xa - xb) <= 0.5 and abs(ya - yb) >= RULE_MIN:
        v.append(((xa + xb) / 2, min(ya, yb), max(ya, yb)))


def _page_text(textpage) -> str:
    import pypdfium2.raw as raw

    n = textpage.count_chars()
    if n <= 0:
        return ""
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # surrogate pairs or generated characters shifted the indices
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 32) for i in range(n))
    return text


def _page_glyphs(textpage, text: str, height: float, spans: list[tuple[float, float]],
                 artefacts: dict[str, int]) -> tuple[list[_Glyph], list[_Item]]:
    """The characters of the page's lines that lie in a table, each with its loose box (font ascent to
    descent, advance width: all glyphs of a line get the same height, so 「、」「“」 stay on their line);
    and the other lines as prose items in PDFium's own reading order (one box per line, not per
    character: most of a report is prose)."""
    import pypdfium2.raw as raw

    rect = raw.FS_RECTF()
    ref = ctypes.byref(rect)
    glyphs: list[_Glyph] = []
    items: list[_Item] = []
    get_loose = raw.FPDFText_GetLooseCharBox
    tp = textpage.raw
    start = 0
    n = len(text)
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end + 1
        first = next((i for i in range(start, end) if not text[i].isspace()), None)
        if first is not None and get_loose(tp, first, ref):
            cy = height - (rect.top + rect.bottom) / 2
            if not any(top - 2 <= cy <= bottom + 2 for top, bottom in spans):
                line = text[start:end].strip()
                if _PAGE_NUMBER_RE.match(line):
                    artefacts["页码"] = artefacts.get("页码", 0) + 1
                elif line:
                    items.append(_Item(height - rect.top, _pdf_line_cells(line), False))
            else:
                for i in range(start, end):
                    ch = text[i]
                    if ch.isspace() or ch in "\ufffe\x00" or not get_loose(tp, i, ref):
                        continue
                    y0, y1 = height - rect.top, height - rect.bottom
                    glyphs.append(_Glyph(ch, rect.left, rect.right, min(y0, y1), max(y0, y1)))
        start = end
    return glyphs, items


def _table_spans(ys: list[float], bands: list[_Band | None]) -> list[tuple[float, float]]:
    """The vertical extents of the page's tables (runs of consecutive table bands)."""
    spans: list[tuple[float, float]] = []
    for band in bands:
        if band is None:
            continue
        if spans and abs(spans[-1][1] - band.top) < 0.5:
            spans[-1] = (spans[-1][0], band.bottom)
        else:
            spans.append((band.top, band.bottom))
    return spans


def _text_items(text: str, artefacts: dict[str, int]) -> list[_Item]:
    """A page without a table: PDFium's own lines (its reading order is right for prose)."""
    items: list[_Item] = []
    for n, raw_line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")):
        line = raw_line.strip()
        if not line:
            continue
        if _PAGE_NUMBER_RE.match(line):
            artefacts["页码"] = artefacts.get("页码", 0) + 1
            continue
        items.append(_Item(float(n), _pdf_line_cells(line), False))
    return items


def _bands(rules: GridPage) -> tuple[list[float], list[_Band | None]]:
    ys = sorted(rules.hrules)
    bands: list[_Band | None] = []
    for a, b in zip(ys, ys[1:], strict=False):
        if b - a < 2.0:
            bands.append(None)
            continue
        mid = (a + b) / 2
        xs = [x for x, spans in sorted(rules.vrules.items()) if _covers(spans, mid, 0.5)]
        bands.append(_Band(a, b, xs) if len(xs) >= 2 else None)
    return ys, bands


def _page_items(textpage, text: str, height: float, rules: GridPage, artefacts: dict[str, int]) -> list[_Item]:
    """The page as prose lines and table rows, top to bottom."""
    ys, bands = _bands(rules)
    glyphs, items = _page_glyphs(textpage, text, height, _table_spans(ys, bands), artefacts)
    cells: dict[tuple[int, int], list[_Glyph]] = {}
    prose: list[_Glyph] = []
    for g in glyphs:
        cx, cy = g.cx, g.cy
        i = bisect_right(ys, cy) - 1
        band = bands[i] if 0 <= i < len(bands) else None
        if band is not None and band.xs[0] <= cx <= band.xs[-1]:
            # the merged cell's first band: climb while no rule closes the cell above at this x
            k = i
            while k > 0 and bands[k - 1] is not None and not _covers(rules.hrules[ys[k]], cx):
                k -= 1
            xs = bands[k].xs  # type: ignore[union-attr]
            j = min(max(bisect_right(xs, cx) - 1, 0), len(xs) - 2)
            cells.setdefault((k, j), []).append(g)
        else:
            prose.append(g)
    for glyph_line in _lines(prose):
        text = _line_text(glyph_line)
        if _PAGE_NUMBER_RE.match(text):
            artefacts["页码"] = artefacts.get("页码", 0) + 1
            continue
        items.append(_Item(glyph_line[0].top, _pdf_line_cells(text), False))
    for k, band in enumerate(bands):
        if band is None:
            continue
        row = ["".join(_line_text(ln, spaces=False) for ln in _lines(cells.get((k, j), [])))
               for j in range(len(band.xs) - 1)]
        if any(row):
            items.append(_Item(band.top, row, True))
    items.sort(key=lambda it: it.y)
    return items


def _lines(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Glyphs grouped into text lines by position (content order is not reading order in justified
    text), each line left to right, lines top to bottom."""
    if not glyphs:
        return []
    first = glyphs[0]
    if all(abs(g.top - first.top) < 1.0 for g in glyphs):
        return [sorted(glyphs, key=lambda g: g.x0)]  # one line (most cells): no clustering
    out: list[list[_Glyph]] = []
    for g in sorted(glyphs, key=lambda g: g.cy):
        if out:
            ref = out[-1][0]
            if abs(g.cy - ref.cy) <= 0.45 * max(ref.bottom - ref.top, g.bottom - g.top, 1.0):
                out[-1].append(g)
                continue
        out.append([g])
    for ln in out:
        ln.sort(key=lambda g: g.x0)
    return out


def _line_text(glyphs: list[_Glyph], *, spaces: bool = True) -> str:
    """A line's text; with ``spaces``, a wide gap becomes a space (「申请 749 件」 keeps its number apart)."""
    out: list[str] = []
    prev: _Glyph | None = None
    for g in glyphs:
        if spaces and prev is not None and g.x0 - prev.x1 > 0.3 * max(g.bottom - g.top, 1.0):
            out.append(" ")
        out.append(g.ch)
        prev = g
    return "".join(out).strip()


def _label(cells: list[str]) -> str:
    texts = [c for c in cells if c and not is_value_cell(c)]
    return texts[-1] if texts else ""


def _continues(prev: _Item, nxt: _Item) -> bool:
    """Whether ``nxt`` (first row of a page) is the rest of ``prev`` (last row of the page before)."""
    if len(prev.cells) != len(nxt.cells):
        return False
    label = _label(nxt.cells)
    if label and _ROW_START_RE.match(squash(label)):
        return False
    if (label and _label(prev.cells) and not any(c and _names_row(c) for c in nxt.cells)
            and _digits_continue(prev.cells, nxt.cells)):
        # the rest of a wrapped label with the last digits of numbers too wide for their column
        # (「25」 | 「9」): Word breaks the row's every cell at the same line
        return True
    if not label and _digits_continue(prev.cells, nxt.cells):
        # only digits on the next page, under digits: the label was whole on the first page. Joined only
        # when the row then adds up (表3: six counts = 总计) and did not before — else two rows
        joined = [a + b for a, b in zip(prev.cells, nxt.cells, strict=True)]
        if _adds_up(joined) and _adds_up(prev.cells) is False:
            return True
    for a, b in zip(prev.cells, nxt.cells, strict=True):
        if a and b and (is_value_cell(a) or is_value_cell(b)):
            return False  # both halves hold a number in the same column: two rows
    return True


def _adds_up(cells: list[str]) -> bool | None:
    """Whether a row's last seven cells are numbers whose first six sum to the seventh (None: not such a row)."""
    # a number cut by the page break keeps half its separators (「1,3」): its digits are what counts
    values = [int(s.replace(",", "")) if _DIGITS_RE.match(s := squash(c)) and s.strip(",") else None
              for c in cells[-7:]]
    if len(values) != 7 or any(v is None for v in values):
        return None
    return sum(values[:6]) == values[6]  # type: ignore[arg-type]


def _names_row(label: str) -> bool:
    """Whether a label is a table row's own name (「行政规范性文件」「1.属于国家秘密」), not the rest of one."""
    from bot.reading.tables import _match_t2, match_group, match_t3

    return bool(match_t3(label) or _match_t2(label) or match_group(label))


def _digits_continue(prev: list[str], nxt: list[str]) -> bool:
    """Whether every number of ``nxt`` sits under a number of ``prev`` (bare digits both): digits wrapped
    onto the next line of the same cells, not a row of its own (which would fill its columns alone)."""
    pairs = [(a, b) for a, b in zip(prev, nxt, strict=True) if b and is_value_cell(b)]
    return bool(pairs) and all(_DIGITS_RE.match(squash(a)) and _DIGITS_RE.match(squash(b)) for a, b in pairs)


def doc_from_pdf_grid(data: bytes) -> Doc:
    """Rows of a PDF read by geometry (see the module docstring). Raises ReadError like the text reader."""
    pdf = open_pdf(data)
    out = Doc(kind="pdf")
    items: list[_Item] = []
    chars = 0
    try:
        for p in range(min(len(pdf), MAX_PDF_PAGES)):
            page = pdf[p]
            height = page.get_height()
            textpage = page.get_textpage()
            try:
                text = _page_text(textpage)
                rules = _page_rules(page, height) if text.strip() else GridPage()
                if any(_bands(rules)[1]):
                    page_items = _page_items(textpage, text, height, rules, out.artefacts)
                else:
                    page_items = _text_items(text, out.artefacts)
            finally:
                textpage.close()
                page.close()
            chars += len(text)
            _join_pages(items, page_items)
            if chars > MAX_CHARS:
                break
    finally:
        pdf.close()
    line = 0
    for it in items:
        line += 1
        out.rows.append(Row(line, [clean_artefacts(c, out.artefacts) for c in it.cells]))
    if not any(c.strip() for r in out.rows for c in r.cells):
        raise ReadError("ING-02", MSG_SCANNED)
    return out


def _join_pages(items: list[_Item], page: list[_Item]) -> None:
    """Append a page's items; a header row repeated from the table's start is dropped and a row
    split by the page break is joined with its first half."""
    last = len(items) - 1
    while last >= 0 and not items[last].table and len(squash("".join(items[last].cells))) <= 2:
        last -= 1  # a stray character of vertical text that ran past the page's last rule
    if last >= 0 and items[last].table and page:
        # the header rows of the table that ends this page (its first rows, before a numeric row)
        start = last
        while start > 0 and items[start - 1].table:
            start -= 1
        header = set()
        for it in items[start : start + 6]:
            if any(is_value_cell(c) for c in it.cells if c):
                break
            header.add(tuple(it.cells))
        k = 0
        while k < len(page) and page[k].table and tuple(page[k].cells) in header:
            k += 1  # the repeated header (w:tblHeader) of the continued table
        if k < len(page) and page[k].table and _continues(items[last], page[k]):
            prev = items[last]
            prev.cells = [a + b for a, b in zip(prev.cells, page[k].cells, strict=True)]
            del items[last + 1 :]
            page = page[k + 1 :]
        elif k:
            page = page[k:]
    items.extend(page)

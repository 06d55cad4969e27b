"""The look of an official document in python-docx: 公文 fonts set for East-Asian text, A4, tables, images.

python-docx's ``run.font.name`` only sets the Latin font (``w:ascii``/``w:hAnsi``); Word and WPS draw
Chinese with ``w:rFonts/@w:eastAsia``, so every style and run here sets that too — otherwise Chinese comes
out in whatever the reader's default is. The fonts are ones every Chinese Windows/WPS has (宋体, 黑体,
仿宋); LibreOffice maps them to an installed CJK font (Noto CJK) through fontconfig when making the PDF.

Embedding: a .docx cannot carry a font that python-docx writes (Word stores embedded fonts obfuscated and
a CJK font is 10–20 MB), so the document asks Word to embed a subset of the fonts it uses the next time it
is saved (``w:embedTrueTypeFonts`` + ``w:saveSubsetFonts``). The PDF made by LibreOffice embeds subsets of
every font it draws with, so it looks the same everywhere.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"

TITLE_SIZE = Pt(22)   # 二号
BODY_SIZE = Pt(16)    # 三号, the 公文 body size
TABLE_SIZE = Pt(10.5)  # 五号


def set_fonts(target: Run | object, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Set the Latin and the East-Asian font of a run or a style (``w:rFonts``)."""
    font = target.font  # type: ignore[attr-defined]
    font.name = latin
    rpr = target.element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    # the theme fonts would override the names above in Word: drop them
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]


def new_document(*, landscape: bool = False) -> DocumentObject:
    """An empty A4 document whose Normal style is 仿宋 三号, asking Word to embed font subsets on save."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_height, section.page_width = section.page_width, section.page_height
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_FONT)
    normal.font.size = BODY_SIZE
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for name, east_asia, size in (("Heading 1", HEADING_FONT, BODY_SIZE), ("Heading 2", "楷体", BODY_SIZE),
                                  ("Title", TITLE_FONT, TITLE_SIZE)):
        style = doc.styles[name]
        set_fonts(style, east_asia)
        style.font.size = size
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = name == "Title"
    settings = doc.settings.element
    for tag in ("w:embedTrueTypeFonts", "w:saveSubsetFonts"):
        if settings.find(qn(tag)) is None:
            settings.insert(0, OxmlElement(tag))
    doc.core_properties.author = "年报助手"
    return doc


def title(doc: DocumentObject, text: str) -> Paragraph:
    """The centred document title (二号 宋体 bold)."""
    p = doc.add_paragraph(style="Title")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(18)
    p.paragraph_format.line_spacing = Pt(36)
    _border_off(p)
    run = p.add_run(text)
    set_fonts(run, TITLE_FONT)
    return p


def heading(doc: DocumentObject, text: str, level: int = 1) -> Paragraph:
    """一、… (黑体) or （一）… (楷体) headings."""
    p = doc.add_heading(level=level)
    p.paragraph_format.space_before = Pt(6)
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    set_fonts(run, HEADING_FONT if level == 1 else "楷体")
    run.font.color.rgb = RGBColor(0, 0, 0)
    run.font.size = BODY_SIZE
    return p


def para(doc: DocumentObject, text: str = "", *, indent: bool = True, bold_lead: str = "",
         align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:
    """A body paragraph (two-character first-line indent as in 公文); ``bold_lead`` is set in bold first."""
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    if align is not None:
        p.alignment = align
    if bold_lead:
        lead = p.add_run(bold_lead)
        lead.bold = True
        set_fonts(lead, BODY_FONT)
    run = p.add_run(text)
    set_fonts(run, BODY_FONT)
    return p


def table(doc: DocumentObject, headers: Sequence[str], rows: Sequence[Sequence[object]],
          *, widths: Sequence[float] | None = None) -> Table:
    """A bordered table with a bold header row, 五号 宋体, blank for ``None`` (never 0)."""
    t = doc.add_table(rows=1, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(t.rows[0].cells, headers, strict=True):
        _cell_text(cell, text, bold=True)
    _repeat_header(t.rows[0])
    for values in rows:
        cells = t.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            _cell_text(cell, "" if value is None else str(value))
    if widths:
        t.autofit = False
        for col, width in zip(t.columns, widths, strict=False):
            col.width = Cm(width)  # w:gridCol, which LibreOffice reads
        for row in t.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Cm(width)  # w:tcW, which Word reads
    return t


def picture(doc: DocumentObject, png: bytes, *, width_cm: float = 15.5, caption: str = "") -> None:
    """A chart image, centred, with an optional caption under it."""
    doc.add_picture(io.BytesIO(png), width=Cm(width_cm))
    holder = doc.paragraphs[-1]
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    holder.paragraph_format.first_line_indent = None
    holder.paragraph_format.line_spacing = 1.0  # the body's exact 28 pt would clip the image to one line
    if caption:
        p = para(doc, caption, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        for run in p.runs:
            run.font.size = Pt(12)


def to_bytes(doc: DocumentObject) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _cell_text(cell: object, text: str, *, bold: bool = False) -> None:
    p = cell.paragraphs[0]  # type: ignore[attr-defined]
    p.paragraph_format.first_line_indent = None
    p.paragraph_format.line_spacing = 1.0
    run = p.add_run(text)
    run.bold = bold
    run.font.size = TABLE_SIZE
    set_fonts(run, TABLE_FONT)


def _repeat_header(row: object) -> None:
    """Repeat the header row on every page of a long table."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    tr_pr.append(OxmlElement("w:tblHeader"))


def _border_off(p: Paragraph) -> None:
    """The built-in Title style has a bottom border in python-docx's template; an official title has none."""
    ppr = p.style.element.get_or_add_pPr()  # type: ignore[union-attr]
    border = ppr.find(qn("w:pBdr"))
    if border is not None:
        ppr.remove(border)

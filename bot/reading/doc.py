"""The shape every file kind is reduced to before the report is read: numbered rows of cells.

A paragraph is a row with one cell; a table row keeps its cells. Text files come in the layouts seen in
the seeds and corpus (cell-per-line with TAB prefix, TAB-joined rows, ``|``-separated page text, cells
glued together without separators); :func:`doc_from_text` turns each into rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from bot.reading.cells import squash


@dataclass
class Row:
    """One line of a document: its 1-based line number and its cells."""

    line: int
    cells: list[str]

    @property
    def text(self) -> str:
        return "\t".join(self.cells)

    @cached_property
    def key(self) -> str:
        """The row's text squashed for matching (computed once: anchors are searched many times)."""
        return squash(self.text)


@dataclass
class Doc:
    """A document as rows, plus what cleaning removed (for ING-06) and the file kind."""

    rows: list[Row] = field(default_factory=list)
    artefacts: dict[str, int] = field(default_factory=dict)
    kind: str = "txt"

    @property
    def text(self) -> str:
        return "\n".join(r.text.strip("\t") for r in self.rows)


_ARTEFACT_RES: dict[str, re.Pattern[str]] = {
    "Word书签标记": re.compile(r"\[bookmark:[^\]\n]*\]"),
    "图片占位标记": re.compile(r"\[image:[^\]\n]*\]"),
    "HTML注释残留": re.compile(r"<!--.*?-->"),
}
#: Section headings found inside a long glued line (Pingtan page text) — split the line there.
_GLUED_HEADING_RE = re.compile(
    r"([一二三四五六七]、(?:总体情况|概述|主动公开政府信息情况|收到和处理政府信息公开申请情况"
    r"|[^，。；、\s]{0,12}行政复议[、和，]?(?:提起)?行政诉讼(?:的)?情况"
    r"|[^，。；\s]{0,12}存在的主要问题及改进情况|其他需要报告的事项))"
)
_PAGE_NUMBER_RE = re.compile(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*/?\s*共\s*\d+\s*页)?)\s*$")
_HEADINGISH_RE = re.compile(r"^\s*[一二三四五六七八九十\d]+\s*[、.．]")


def clean_artefacts(text: str, counts: dict[str, int]) -> str:
    """Remove Tika/Word artefacts, counting each kind (ING-06)."""
    if "[" not in text and "<!--" not in text:
        return text  # every artefact pattern needs one of these (most cells and lines have neither)
    for name, pattern in _ARTEFACT_RES.items():
        text, n = pattern.subn("", text)
        if n:
            counts[name] = counts.get(name, 0) + n
    return text


def _split_glued_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if len(line) > 300 and _GLUED_HEADING_RE.search(line):
            out.extend(part for part in _GLUED_HEADING_RE.sub(r"\n\1\n", line).split("\n"))
        else:
            out.append(line)
    return out


def _is_cells_layout(lines: list[str]) -> bool:
    single = sum(1 for ln in lines if ln.startswith("\t") and "\t" not in ln[1:])
    multi = sum(1 for ln in lines if ln.count("\t") >= 2)
    return single > 20 and single > multi


def doc_from_text(text: str, kind: str = "txt") -> Doc:
    """Rows from plain text in any of the known layouts."""
    doc = Doc(kind=kind)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = clean_artefacts(text, doc.artefacts)
    lines = _split_glued_lines(text.split("\n"))
    if _is_cells_layout(lines):
        doc.rows = _rows_from_cells(lines)
    else:
        for no, line in enumerate(lines, 1):
            if _PAGE_NUMBER_RE.match(line):
                doc.artefacts["页码"] = doc.artefacts.get("页码", 0) + 1
                continue
            if "\t" in line:
                doc.rows.append(Row(no, line.split("\t")))
            elif "|" in line:
                # 「0 |」 is one cell, a bare 「|」 one blank cell, 「||」 the end of a table row
                cells = line.split("|")
                if line.rstrip().endswith("|"):
                    cells.pop()
                doc.rows.append(Row(no, cells))
            elif not line.strip():
                doc.rows.append(Row(no, []))
            else:
                doc.rows.append(Row(no, [line]))
    return doc


def _rows_from_cells(lines: list[str]) -> list[Row]:
    """Cell-per-line layout (seeds 001–003): TAB-prefixed lines up to a blank line form one row."""
    rows: list[Row] = []
    group: Row | None = None
    for no, line in enumerate(lines, 1):
        if line.startswith("\t"):
            if group is None:
                group = Row(no, [])
                rows.append(group)
            group.cells.append(line[1:])
        elif not line.strip():
            group = None
            rows.append(Row(no, [""]))
        elif group is not None and len(squash(line)) <= 8 and not _HEADINGISH_RE.match(line):
            group.cells[-1] += line.strip()  # 「商业\n企业」: a header word split across lines
        else:
            group = None
            rows.append(Row(no, [line]))
    return rows

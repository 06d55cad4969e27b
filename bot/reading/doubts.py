"""Say what the reader could not read, or is unsure of — never leave it to look like the office's error.

``Value.doubt`` marks a cell ``unread`` (the table is there, the cell could not be read: not a blank) or
``uncertain`` (the best reading breaks an identity that another reading of the same text keeps). The
validator skips such cells in its blank-cell and arithmetic rules; these findings tell the user why and
what to do:

* ING-08 (warning): a table, or some of its cells, could not be read — send the .docx;
* ING-09 (warning): numbers read with doubt — please check them against the original.
"""

from __future__ import annotations

from bot.report import Finding, Report
from bot.schema import T2_LABELS, T3_COLUMN_LABELS, T3_ROW_SHORT, T4_BLOCK_LABELS, T4_COLUMN_LABELS

_TABLES = {"t2": "表2", "t3": "表3", "t4": "表4"}
_TABLE_EN = {"t2": "Table 2", "t3": "Table 3", "t4": "Table 4"}
_WHAT = {"t2": "主动公开", "t3": "依申请公开", "t4": "行政复议、行政诉讼"}
_ASK = "请发送该报告的.docx原件（或Word导出的文件）以便准确核对"
_ASK_EN = "please send the report's .docx so it can be checked exactly"


def _row_name(table: str, row: str) -> str:
    return T3_ROW_SHORT.get(row, row) if table == "t3" else T4_BLOCK_LABELS.get(row, row) if table == "t4" else T2_LABELS.get(row, row)


def _cell_name(table: str, row: str, col: str) -> str:
    if table == "t3":
        return f"{T3_ROW_SHORT.get(row, row)}·{T3_COLUMN_LABELS.get(col, col)}"
    if table == "t4":
        return f"{T4_BLOCK_LABELS.get(row, row)}·{T4_COLUMN_LABELS.get(col, col)}"
    return T2_LABELS.get(row, row) if col == "value" else f"{T2_LABELS.get(row, row)}·{T2_LABELS.get(col, col)}"


def _covered(report: Report, table: str) -> set[str]:
    """Rows the reader's own findings already name as unread (ING-04/07, ING-05 without a split)."""
    name = _TABLES[table]
    rows: set[str] = set()
    for f in report.ingest_findings:
        unread = f.code in ("ING-04", "ING-07") or f.code == "ING-05" and "无法" in f.message
        if unread and f.where.startswith(name):
            rows.add("*" if table == "t4" or "“" not in f.message else f.message.split("“", 1)[1].split("”", 1)[0])
    return rows


def _any_doubt(report: Report) -> bool:
    for values in (report.applications or {}).values():
        for v in values:
            if v.doubt:
                return True
    for block in (report.appeals or {}).values():
        for v in block.values():
            if v.doubt:
                return True
    for cell in (report.proactive or {}).values():
        for v in cell.values() if isinstance(cell, dict) else (cell,):
            if getattr(v, "doubt", ""):
                return True
    return False


def doubt_findings(report: Report, seen: dict[str, bool]) -> list[Finding]:
    """ING-08/ING-09 for ``report``; ``seen`` says which tables' headers the reader found in the text."""
    out: list[Finding] = []
    present = {"t2": report.proactive, "t3": report.applications, "t4": report.appeals}
    if not any(seen.get(t) and present[t] is None for t in _TABLES) and not _any_doubt(report):
        return out  # the usual case, decided without building the cell list
    for table, name in _TABLES.items():
        if seen.get(table) and present[table] is None:
            out.append(Finding(
                "ING-08", "warning",
                f"{name}（{_WHAT[table]}情况）在文件中有表头，但未能读出其中的数字（不按空白处理）；{_ASK}。",
                name,
                f"{_TABLE_EN[table]} is in the file but its numbers could not be read (not counted as blank); {_ASK_EN}.",
            ))
    cells = report.doubtful_cells()
    for table, name in _TABLES.items():
        covered = _covered(report, table)
        if "*" in covered:
            continue
        unread = [(r, c) for t, r, c, v in cells if t == table and v.doubt == "unread"
                  and _row_name(table, r) not in covered]
        if unread:
            rows = list(dict.fromkeys(r for r, _ in unread))
            example = _cell_name(table, *unread[0])
            whole = table == "t3" and len(unread) == 7 * len(rows)
            what = (f"有{len(rows)}行" if whole and len(rows) > 1 else f"“{T3_ROW_SHORT.get(rows[0], rows[0])}”行"
                    if whole else f"有{len(unread)}个单元格（如“{example}”）")
            out.append(Finding(
                "ING-08", "warning",
                f"{name}{what}的数字未能从文件中读出，不按空白处理；{_ASK}。",
                f"{name} “{T3_ROW_SHORT.get(rows[0], rows[0])}”行" if table == "t3" else name,
                f"{_TABLE_EN[table]}: {len(unread)} cell(s) could not be read from the file (not counted as blank); "
                f"{_ASK_EN}.",
            ))
        unsure = [(r, c, v) for t, r, c, v in cells if t == table and v.doubt == "uncertain"]
        if unsure:
            rows = list(dict.fromkeys(r for r, _, _ in unsure))
            names = "、".join(f"“{T3_ROW_SHORT.get(r, r)}”" for r in rows[:3]) + ("等" if len(rows) > 3 else "")
            shown = "，".join(f"{_cell_name(table, r, c)}={v.raw or v.value}" for r, c, v in unsure[:3])
            out.append(Finding(
                "ING-09", "warning",
                f"以下数字识别不确定，请对照原件核对：{name}{names}行（{shown}{'…' if len(unsure) > 3 else ''}）。"
                "按读出的数字勾稽关系不成立，但这些数字在表中的位置或读法无法确定（如行名缺失、只能按顺序推定），"
                "所以未判为填报错误。",
                f"{name} “{T3_ROW_SHORT.get(rows[0], rows[0])}”行" if table == "t3" else name,
                f"Some numbers of {_TABLE_EN[table]} could not be read with certainty ({len(unsure)} cell(s)); "
                "please check them against the original. They were not judged as the office's error.",
            ))
    return out

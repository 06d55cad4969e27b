"""Exports for leaders: the .xlsx workbook, the 汇总 CSV, PNG charts and the /summary digest.

The pure builders take :class:`~bot.exports.rows.ExportItem` lists; :mod:`bot.exports.service` reads
the database and is what handlers and the CLI call.
"""

from bot.exports.service import (
    ChartRequest,
    ExportFile,
    NothingToExport,
    chart_file,
    chart_png,
    csv_bytes,
    digest,
    export_file,
    parse_chart_args,
    parse_year,
    workbook,
)

__all__ = [
    "ChartRequest",
    "ExportFile",
    "NothingToExport",
    "chart_file",
    "chart_png",
    "csv_bytes",
    "digest",
    "export_file",
    "parse_chart_args",
    "parse_year",
    "workbook",
]

"""For which format versions each rule holds (RULES.md §6 with FORMAT.md §1.7), and which version a
report had to follow.

A rule judges a report only against what its format required: the 信息处理费 statement of section 六
(TXT-09/TXT-10) and the 万元 fee cell (T2-03/04/05) came with 国办函〔2020〕109号 and the 2021 format;
the 现行有效件数 columns (T2-07/08) and the three （六）其他处理 rows (FMT-04) are 2021-only; the six
sections and the three tables (STR, T3, T4, TXT) did not exist before 2019. Every registered rule must
appear here — :func:`bot.validation.engine.rule` refuses one that does not — so a new rule cannot forget
to say where it holds.
"""

from __future__ import annotations

ALL = frozenset({"2021", "2019", "pre2019"})
NEW = frozenset({"2021", "2019"})  # 2019 trial format (60号) and the 2021 format (30号): six sections, 表2–表4
V2021 = frozenset({"2021"})

RULE_FORMATS: dict[str, frozenset[str]] = {
    # ingestion: a file is a file
    "ING-04": NEW, "ING-07": NEW,
    # format version: judged for every report (they are what tells versions apart)
    "FMT-01": ALL, "FMT-02": ALL, "FMT-03": ALL, "FMT-04": V2021, "FMT-05": NEW,
    # structure: the six sections exist since the 2019 format
    **{f"STR-0{i}": NEW for i in range(1, 8)},
    # 表2: counts in both; the 万元 fee cell and the 制发/废止/现行有效 columns only in 2021
    "T2-01": NEW, "T2-02": NEW, "T2-03": V2021, "T2-04": V2021, "T2-05": V2021, "T2-06": NEW,
    "T2-07": V2021, "T2-08": V2021,
    # 表3/表4 (23 rows in 2019, 25 in 2021: the rules take the row set from the report's format)
    **{f"T3-0{i}": NEW for i in range(1, 10)},
    **{f"T4-0{i}": NEW for i in range(1, 5)},
    # prose ↔ tables; 信息处理费 in section 六 only since 109号 (2021 format)
    **{f"TXT-0{i}": NEW for i in range(1, 9)},
    "TXT-09": V2021, "TXT-10": V2021, "TXT-11": NEW,
    # metadata and references: every report has a title, a year and dates
    **{f"META-0{i}": ALL for i in range(1, 8)},
    # cross-year and deadlines: any two consecutive reports; any report
    **{f"XY-0{i}": ALL for i in range(1, 6)},
    "DL-01": ALL, "DL-03": ALL,
}


def required_version(year: int | None, detected: str | None) -> str | None:
    """The format a report for ``year`` had to follow (FORMAT.md §1.7): ≤2018 the old 条例's table,
    2019–2020 the 60号 trial format, 2021+ the 30号 format. Without a year, the format the reader
    detected; ``None`` when neither is known (then every rule runs)."""
    if year is not None:
        if year <= 2018:
            return "pre2019"
        return "2019" if year <= 2020 else "2021"
    return detected if detected in ALL else None

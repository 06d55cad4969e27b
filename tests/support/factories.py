"""Build correct reports with non-zero numbers in many cells, for tests and benchmarks.

Every arithmetic identity of FORMAT.md §1.6 (A1–A4) holds by construction, so a validator must find
no error-severity finding on them, and any single-cell change must break at least one identity.
"""

from __future__ import annotations

import random

from bot.report import (
    Office,
    ProseNumber,
    Report,
    Source,
    Value,
    empty_appeals,
    empty_applications,
    empty_proactive,
)
from bot.schema import SECTIONS, T3_COLUMNS, T4_BLOCKS, t3_result_rows

STREET_NAMES = [
    "鹿山", "青石山", "水泥路", "五星", "红旗", "东湖", "西城", "南苑", "北关", "新华",
    "解放", "人民路", "和平", "建设", "胜利", "朝阳", "光明", "长安", "文化", "花园",
]


def make_report(
    seed: int = 1,
    *,
    office: str = "富阳区鹿山街道",
    short_name: str = "鹿山",
    kind: str = "街道",
    year: int = 2021,
    fmt: str = "2021",
    carried_over: int | None = None,
) -> Report:
    """A complete, internally consistent report; ``seed`` varies the numbers.

    ``carried_over`` fixes the 上年结转·总计 (spread over the natural-person column) so a test can
    chain years (XY-01).
    """
    rng = random.Random(seed)
    apps = empty_applications(fmt)
    result_rows = t3_result_rows(fmt)
    six = T3_COLUMNS[:6]
    # choose results per applicant column, then derive new/carried/forward so A1 holds
    col_results: dict[str, dict[str, int]] = {}
    for col in six:
        col_results[col] = {row: (rng.randint(0, 6) if rng.random() < 0.45 else 0) for row in result_rows}
    for col_i, col in enumerate(six):
        total_processed = sum(col_results[col].values())
        forward = rng.randint(0, 3) if rng.random() < 0.5 else 0
        if carried_over is not None:
            carried = carried_over if col_i == 0 else 0
        else:
            carried = rng.randint(0, 2) if rng.random() < 0.4 else 0
        new = total_processed + forward - carried
        if new < 0:  # keep counts non-negative: raise the granted count instead
            col_results[col]["granted"] += -new
            total_processed = sum(col_results[col].values())
            new = 0
        idx = col_i
        apps["new_received"][idx] = Value(new)
        apps["carried_over"][idx] = Value(carried)
        for row in result_rows:
            apps[row][idx] = Value(col_results[col][row])
        apps["total_processed"][idx] = Value(total_processed)
        apps["carried_forward"][idx] = Value(forward)
    for row in apps:
        apps[row][6] = Value(sum(int(v.value or 0) for v in apps[row][:6]))
    for row, values in apps.items():
        for i, v in enumerate(values):
            v.raw = str(v.value)
            v.where = f"表3 {row} {T3_COLUMNS[i]}"

    appeals = empty_appeals()
    for block in T4_BLOCKS:
        parts = [rng.randint(0, 3) for _ in range(4)]
        for col, n in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            appeals[block][col] = Value(n, str(n), f"表4 {block} {col}")
        appeals[block]["total"] = Value(sum(parts), str(sum(parts)), f"表4 {block} total")

    t2 = empty_proactive()
    issued = rng.randint(1, 20)
    repealed = rng.randint(0, issued)
    t2["regulations"] = {"issued": Value(0, "0"), "repealed": Value(0, "0"), "in_force": Value(0, "0")}
    t2["normative_documents"] = {
        "issued": Value(issued, str(issued)),
        "repealed": Value(repealed, str(repealed)),
        "in_force": Value(issued + 30, str(issued + 30)),
    }
    for key in ("licensing", "penalty", "enforcement"):
        n = rng.randint(0, 400)
        t2[key] = Value(n, str(n))
    t2["fees_10k_yuan"] = Value(0, "0")

    new_total = apps["new_received"][6].value
    processed = apps["total_processed"][6].value
    forward = apps["carried_forward"][6].value
    prose = [
        ProseNumber("received", new_total, f"收到政府信息公开申请{new_total}件", "一、总体情况"),
        ProseNumber("processed", processed, f"办结{processed}件", "一、总体情况"),
    ]
    section_text = {
        SECTIONS[0]: f"{year}年，{short_name}街道认真贯彻落实《中华人民共和国政府信息公开条例》。"
        f"全年收到政府信息公开申请{new_total}件，办结{processed}件，结转下年度{forward}件。",
        SECTIONS[1]: "见表2。",
        SECTIONS[2]: "见表3。",
        SECTIONS[3]: "见表4。",
        SECTIONS[4]: "主要问题是公开内容不够丰富，解读形式单一。下一步将加强培训，丰富公开形式，提升公开质量和实效。",
        SECTIONS[5]: "本年度未收取信息处理费。",
    }
    return Report(
        source=Source(f"{short_name}_{year}.txt", f"{seed:064x}", "txt"),
        office=Office(office, short_name, kind),
        year=year,
        format=fmt,
        format_evidence=["本年制发件数"] if fmt == "2021" else ["本年新制作数量"],
        title=f"{office}{year}年政府信息公开工作年度报告",
        sections=list(SECTIONS),
        section_text=section_text,
        text="\n".join(section_text.values()),
        proactive=t2,
        applications=apps,
        appeals=appeals,
        prose=prose,
    )


def make_reports(n: int, *, year: int = 2021, seed: int = 0) -> list[Report]:
    """``n`` reports from distinct 街道 (names cycle with a numeric suffix past 20)."""
    out = []
    for i in range(n):
        base = STREET_NAMES[i % len(STREET_NAMES)]
        short = base if i < len(STREET_NAMES) else f"{base}{i // len(STREET_NAMES)}"
        out.append(make_report(seed + i, office=f"示范区{short}街道", short_name=short, year=year))
    return out

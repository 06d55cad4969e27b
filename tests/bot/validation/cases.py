"""Reports that make each rule fire, built from factories.make_report by one targeted change.

``FIRES[code]()`` returns ``(report, kwargs)`` for ``validate(report, **kwargs)``; the test module
checks that every registered rule has a case here, so a new rule without a firing test fails CI.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.report import Heading, ProseNumber, Report, Value
from bot.schema import SECTIONS, T3_COLUMNS
from tests.support.factories import make_report

Case = Callable[[], tuple[Report, dict[str, Any]]]
COL = {c: i for i, c in enumerate(T3_COLUMNS)}


def bump(report: Report, row: str, col: str, delta: int = 1) -> None:
    """Add ``delta`` to one 表3 cell (breaks identities on purpose)."""
    v = report.applications[row][COL[col]]
    v.value = (v.value or 0) + delta
    v.raw = str(v.value)


def forward_more(report: Report, n: int, col: str = "natural_person") -> None:
    """Carry ``n`` more applications forward, keeping every identity true (new += n, forward += n)."""
    for row in ("new_received", "carried_forward"):
        bump(report, row, col, n)
        bump(report, row, "total", n)


def zero_apps(report: Report) -> Report:
    """Every 表3 and 表4 cell 0 (consistent, empty tables)."""
    for values in report.applications.values():
        for v in values:
            v.value, v.raw = 0, "0"
    for block in report.appeals.values():
        for v in block.values():
            v.value, v.raw = 0, "0"
    report.prose = [p for p in report.prose if p.kind not in ("received", "processed")]
    return report


def with_text(report: Report, extra: str, section: str = SECTIONS[0]) -> Report:
    """Append ``extra`` to a section and to the full text."""
    report.section_text[section] = report.section_text.get(section, "") + extra
    report.text = "\n".join(report.section_text.values())
    return report


def headings(report: Report, numerals: str = "一二三四五六", titles: list[str] | None = None) -> Report:
    titles = titles or list(SECTIONS)
    report.headings = [
        Heading(n, t, SECTIONS[i], 10 * (i + 1)) for i, (n, t) in enumerate(zip(numerals, titles, strict=True))
    ]
    return report


def r(seed: int = 3, **kw: Any) -> Report:
    return make_report(seed, **kw)


def _case(fn: Callable[[], Report | tuple[Report, dict[str, Any]]]) -> Case:
    def run() -> tuple[Report, dict[str, Any]]:
        out = fn()
        return out if isinstance(out, tuple) else (out, {})

    return run


def _fmt03() -> Report:
    rep = r(year=2021)
    rep.format, rep.proactive = "pre2019", None
    return rep


def _fmt04() -> Report:
    rep = r()
    del rep.applications["other_no_correction"], rep.applications["other_fee_unpaid"]
    return rep


def _str01() -> Report:
    rep = r()
    rep.sections.remove(SECTIONS[4])
    del rep.section_text[SECTIONS[4]]
    return rep


def _str04() -> Report:
    rep = r()
    rep.applications = None
    rep.section_text[SECTIONS[2]] = "本年度未收到政府信息公开申请。"
    return rep


def _t2(row: str, col: str, value: Value) -> Callable[[], Report]:
    def build() -> Report:
        rep = r()
        if col == "value":
            rep.proactive[row] = value
        else:
            rep.proactive[row][col] = value
        return rep

    return build


def _t2_05() -> Report:
    rep = _t2("fees_10k_yuan", "value", Value(0.04, "0.04"))()
    rep.section_text[SECTIONS[5]] = "本年度共收取信息处理费400元。"
    return rep


def _t2_06() -> Report:
    rep = r()
    rep.proactive["regulations"] = {"issued": Value(2, "2"), "repealed": Value(0, "0"), "in_force": Value(2, "2")}
    return rep


def _t2_07() -> Report:
    rep = r()
    rep.proactive["normative_documents"] = {
        "issued": Value(69, "69"), "repealed": Value(3, "3"), "in_force": Value(5, "5")
    }
    return rep


def _t2_08() -> tuple[Report, dict[str, Any]]:
    prev = r(1, year=2020)
    prev.proactive["normative_documents"]["in_force"] = Value(665, "665")
    rep = r(2)
    rep.proactive["normative_documents"] = {
        "issued": Value(88, "88"), "repealed": Value(55, "55"), "in_force": Value(700, "700")
    }
    return rep, {"previous": prev}


def _t3_01() -> Report:
    rep = r()
    bump(rep, "carried_forward", "natural_person")
    bump(rep, "carried_forward", "total")
    return rep


def _t3_02() -> Report:
    rep = r()
    bump(rep, "granted", "natural_person")
    bump(rep, "granted", "total")
    return rep


def _t3_03() -> Report:
    rep = r()
    bump(rep, "partial", "total")
    return rep


def _t3_04() -> Report:
    rep = r()
    rep.applications["noproc_repeat"][0] = Value(1.5, "1.5")
    return rep


def _t3_05() -> Report:
    rep = r()
    rep.applications["deny_law"][1] = Value(None, "")
    return rep


def _t3_06() -> Report:
    rep = r()
    forward_more(rep, 1)
    rep.prose.append(ProseNumber("all_processed", 0, "申请均已按期办结", "一、总体情况"))
    return rep


def _t3_07() -> Report:
    rep = zero_apps(r())
    for row in ("new_received", "granted", "total_processed"):
        for col in ("legal_services", "total"):
            bump(rep, row, col, 3)
    return with_text(rep, "今年共有群众申请公开信息3件。")


def _t3_08() -> Report:
    rep = zero_apps(r())
    forward_more(rep, 4)
    return rep


def _t3_09() -> Report:
    rep = r()
    rep.section_text[SECTIONS[2]] = "（三）不予公开\n1.信访举报投诉类申请\n2.属于国家秘密\n（四）无法提供\n"
    return rep


def _t4(block: str, col: str, value: Value) -> Callable[[], Report]:
    def build() -> Report:
        rep = r()
        rep.appeals[block][col] = value
        return rep

    return build


def _t4_03() -> Report:
    rep = r()
    rep.appeals["review"] = {c: Value(n, str(n)) for c, n in
                             zip(("upheld", "corrected", "other", "pending", "total"), (1, 1, 0, 0, 2), strict=True)}
    rep.prose.append(ProseNumber("all_upheld", 0, "行政复议均获维持", "一、总体情况"))
    return rep


def _t4_04() -> Report:
    rep = zero_apps(r())
    for block in rep.appeals:
        for col in rep.appeals[block]:
            rep.appeals[block][col] = Value(0, "0")
    rep.appeals["review"]["upheld"] = Value(1, "1")
    rep.appeals["review"]["total"] = Value(1, "1")
    return rep


def _prose(kind: str, value: float, text: str = "", what: str = "") -> Callable[[], Report]:
    def build() -> Report:
        rep = r()
        rep.prose.append(ProseNumber(kind, value, text or f"{kind} {value}", "一、总体情况", what))
        return rep

    return build


def _txt06() -> Report:
    rep = r()
    rep.prose = [ProseNumber("none_received", 0, "全年未收到政府信息公开申请", "一、总体情况")]
    return rep


def _section(name: str, text: str, **changes: Any) -> Callable[[], Report]:
    def build() -> Report:
        rep = r()
        rep.section_text[name] = text
        rep.text = "\n".join(rep.section_text.values())
        if "fee" in changes:
            rep.proactive["fees_10k_yuan"] = Value(changes["fee"], str(changes["fee"]))
        return rep

    return build


def move_row(report: Report, source: str, target: str) -> Report:
    """Count every application of 表3 row ``source`` under ``target`` instead (identities still hold)."""
    for i, v in enumerate(report.applications[source]):
        t = report.applications[target][i]
        t.value = (t.value or 0) + (v.value or 0)
        t.raw = str(t.value)
        v.value, v.raw = 0, "0"
    return report


def _meta(extra: str, title: str | None = None) -> Callable[[], Report]:
    def build() -> Report:
        rep = with_text(r(), extra)
        if title is not None:
            rep.title = title
        return rep

    return build


def _xy01() -> tuple[Report, dict[str, Any]]:
    prev = r(1, year=2020)
    rep = r(2, carried_over=prev.t3("carried_forward") + 1)
    return rep, {"previous": prev}


def _xy02() -> tuple[Report, dict[str, Any]]:
    return r(5), {"previous": r(5, year=2020)}


LONG = (
    "本街道坚持以公开为常态、不公开为例外，围绕重点领域信息公开、政策解读和回应关切，"
    "持续完善政务公开制度机制，规范依申请公开办理流程，加强政府网站和政务新媒体管理，"
    "及时发布机构职能、规划计划、财政预决算、民生实事等信息，畅通群众获取信息渠道，"
    "切实保障人民群众的知情权、参与权、表达权和监督权，推动政务公开工作取得新进展。"
)


def _xy03() -> tuple[Report, dict[str, Any]]:
    prev = with_text(r(1, year=2020), LONG)
    rep = with_text(r(2), LONG)
    return rep, {"previous": prev}


def _xy04() -> tuple[Report, dict[str, Any]]:
    return r(2, fmt="2019", year=2020), {"previous": r(1, year=2019)}


def _xy05() -> tuple[Report, dict[str, Any]]:
    prev = r(1, year=2020)
    prev.section_text[SECTIONS[4]] = "主要问题：网站栏目更新不及时，依申请公开答复质量有待提高。"
    return r(2), {"previous": prev}


def _ing04() -> Report:
    rep = r()
    rep.applications["partial"] = rep.applications["partial"][:6]
    return rep


def _ing07() -> Report:
    rep = r()
    del rep.appeals["litigation_direct"]["pending"]
    return rep


FIRES: dict[str, Case] = {code: _case(fn) for code, fn in {
    "FMT-01": lambda: r(year=2021, fmt="2019"),
    "FMT-02": lambda: r(year=2020, fmt="2021"),
    "FMT-03": _fmt03,
    "FMT-04": _fmt04,
    "FMT-05": _meta("第二十条第（八）项 本年收费金额（单位：万元，保留4位小数）"),
    "STR-01": _str01,
    "STR-02": lambda: headings(r(), "一二三四56"),
    "STR-03": lambda: headings(r(), titles=[*SECTIONS[:4], "存在问题及整改情况", SECTIONS[5]]),
    "STR-04": _str04,
    "STR-05": lambda: _with(r(), missing_rows=["8.属于行政查询事项"]),
    "STR-06": lambda: _with(r(), extra_rows=["不予公开小计"]),
    "STR-07": lambda: _with(headings(r()), headings=[*headings(r()).headings, Heading("七", "政府信息管理", None, 99)]),
    "T2-01": _t2("enforcement", "value", Value(None, "/")),
    "T2-02": _t2("regulations", "repealed", Value(-1, "-1")),
    "T2-03": _t2("fees_10k_yuan", "value", Value(None, "251000元")),
    "T2-04": _t2("fees_10k_yuan", "value", Value(24252.311082, "24252.311082")),
    "T2-05": _t2_05,
    "T2-06": _t2_06,
    "T2-07": _t2_07,
    "T2-08": _t2_08,
    "T3-01": _t3_01,
    "T3-02": _t3_02,
    "T3-03": _t3_03,
    "T3-04": _t3_04,
    "T3-05": _t3_05,
    "T3-06": _t3_06,
    "T3-07": _t3_07,
    "T3-08": _t3_08,
    "T3-09": _t3_09,
    "T4-01": _t4("review", "total", Value(99, "99")),
    "T4-02": _t4("litigation_after_review", "pending", Value(None, "")),
    "T4-03": _t4_03,
    "T4-04": _t4_04,
    "TXT-01": lambda: _bump_prose(r(), "received", 2),
    "TXT-02": lambda: _bump_prose(r(), "processed", 1),
    "TXT-03": _prose("carried_forward", 77, "结转下年度77件"),
    "TXT-04": _prose("granted", 999, "予以公开999件"),
    "TXT-05": _prose("review", 50, "行政复议50件"),
    "TXT-06": _txt06,
    "TXT-07": _prose("normative_issued", 88, "制发规范性文件88件"),
    "TXT-08": _prose("percent", 99.9, "予以公开占99.9%", "予以公开"),
    "TXT-09": _section(SECTIONS[5], "无其他需要报告的事项。"),
    "TXT-10": _section(SECTIONS[5], "无", fee=1.5),
    "TXT-11": _section(SECTIONS[4], "无。"),
    "META-01": _meta("本报告统计期限为2020年1月1日至2020年12月31日。"),
    "META-02": _meta("本报告所列数据统计期限自2021年1月1日起至2021年6月30日止。"),
    "META-03": _meta("截至2022年12月31日，共发布信息300条。"),
    "META-04": _meta("按照《政府信息公开信息处理费管理办法》（国办函〔2021〕109号）执行。"),
    "META-05": _meta("根据（国办公开办函[2021]30号）要求编制。"),
    "META-06": _meta("红旗街道认真做好政务公开。", title="铁岭市银州区红旗街2021年度政府信息公开工作年度报告"),
    "META-07": _meta("XX街道认真贯彻落实条例。"),
    "XY-01": _xy01,
    "XY-02": _xy02,
    "XY-03": _xy03,
    "XY-04": _xy04,
    "XY-05": _xy05,
    "DL-01": lambda: (r(), {"received": date(2022, 2, 8)}),
    "DL-03": lambda: (r(), {"today": date(2026, 1, 5)}),
    "ING-04": _ing04,
    "ING-07": _ing07,
}.items()}


def _with(report: Report, **changes: Any) -> Report:
    for k, v in changes.items():
        setattr(report, k, v)
    return report


def _bump_prose(report: Report, kind: str, delta: int) -> Report:
    for p in report.prose:
        if p.kind == kind:
            p.value += delta
    return report

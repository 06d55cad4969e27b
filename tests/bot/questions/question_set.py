"""The question set: 200+ questions in Chinese and English with what the answer must contain.

Expected numbers of the factory reports are read from the very ``Report`` objects that were stored
(see conftest.py), the seed facts are written out by hand (鹿山 2021: 3 new applications, all from 法律
服务机构, all 予以公开; 青石山 2021: 表3 rows blank, a T3-05 error). ``today`` is 2022-02-15, so 今年 and
去年 both mean the 2021 reports and 前年 means 2020.

A case passes when the answer is in the expected language, every ``expect`` string appears (a bare
number must appear as a whole number, not as part of another), no ``reject`` string appears, and the
understood / choices outcome matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.report import Report

HONGQI_A = "铁岭市银州区红旗街"  # seed 004
HONGQI_B = "示范区红旗街道"  # factory


@dataclass
class Case:
    """One question and what its answer must show."""

    question: str
    expect: list[str] = field(default_factory=list)
    reject: list[str] = field(default_factory=list)
    lang: str = ""  # "" = English when the question is ASCII, else Chinese
    understood: bool = True
    choices: list[str] = field(default_factory=list)
    chat: str = "main"  # main | one | empty | city
    starts: str = ""  # the answer's first line must begin with this (yes/no, a guessed name)

    @property
    def want_lang(self) -> str:
        return self.lang or ("en" if self.question.isascii() else "zh")


def fmt(value: float | int | None) -> str:
    """How the bot prints a plain number."""
    assert value is not None
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}".rstrip("0").rstrip(".")


def pct(num: float, den: float) -> str:
    return f"{num / den * 100:.1f}%".replace(".0%", "%")


def cases(reports: dict[tuple[str, int], Report], city: dict[tuple[str, int], Report] | None = None) -> list[Case]:
    """Every case, built over the stored reports (the second half, question_set_shapes.py, needs ``city``;
    the third, question_set_colloquial.py, is how people really type)."""
    out = _first_half(reports)
    if city is not None:
        from tests.bot.questions.question_set_colloquial import colloquial_cases
        from tests.bot.questions.question_set_shapes import shape_cases

        out += shape_cases(reports, city) + colloquial_cases(reports, city)
    return out


def _first_half(reports: dict[tuple[str, int], Report]) -> list[Case]:
    """The first 371 cases: one number, aggregates, comparisons, status."""

    def r(short: str, year: int = 2021) -> Report:
        return reports[(short, year)]

    def t3(short: str, row: str, col: str = "total", year: int = 2021) -> str:
        return fmt(r(short, year).t3(row, col))

    def t4(short: str, block: str, col: str = "total", year: int = 2021) -> str:
        rep = r(short, year)
        if block == "lit":
            return fmt(rep.t4("litigation_direct", col) + rep.t4("litigation_after_review", col))
        return fmt(rep.t4(block, col))

    def t2(short: str, row: str, col: str = "value", year: int = 2021) -> str:
        return fmt(r(short, year).t2(row, col))

    def group(short: str, prefix: str, year: int = 2021) -> str:
        rep = r(short, year)
        return fmt(sum(rep.t3(k) for k in rep.applications if k.startswith(prefix)))

    def rate(short: str, year: int = 2021) -> str:
        rep = r(short, year)
        return pct(rep.t3("granted") + rep.t3("partial"), rep.t3("total_processed"))

    def review_rate(short: str, year: int = 2021) -> str:
        rep = r(short, year)
        return pct(rep.t4("review", "corrected"), rep.t4("review", "total") - rep.t4("review", "pending"))

    def zh(value: str) -> str:
        return f"{value}件"

    dh, nan, xd, hb = "东湖", "南苑", "新登", f"红旗@{HONGQI_B}"
    out: list[Case] = []
    add = out.append

    # -- seeds: real numbers, blank cells, errors ---------------------------------------------------
    for q in ("鹿山2021年收到多少申请？", "鹿山街道2021年新收申请多少件", "富阳区鹿山街道2021年度本年新收申请数量",
              "鹿山今年收到几件申请", "鹿山去年受理了多少件政府信息公开申请", "鹿山的申请数", "鹿山收到多少",
              "鹿山街道办事处新收几件", "lushan申请多少", "Lu Shan 2021年受理申请多少"):
        add(Case(q, ["3件", "富阳区鹿山街道", "2021", "表3"]))
    for q in ("How many applications did Lushan receive in 2021?", "lushan new applications 2021",
              "How many requests did Lu Shan get last year?", "Lushan applications received",
              "applications received by lu shan in 2021", "How many new applications for Lushan Street?"):
        add(Case(q, ["3", "富阳区鹿山街道", "2021", "Table 3"]))
    add(Case("鹿山法律服务机构申请多少", ["3件", "法律服务机构"]))
    add(Case("鹿山律所申请了几件", ["3件", "法律服务机构"]))
    add(Case("鹿山自然人申请多少", ["0件", "自然人"]))
    add(Case("How many applications did law firms file with Lushan?", ["3", "legal"]))
    add(Case("Lushan applications from individuals", ["0", "natural persons"]))
    add(Case("鹿山予以公开多少件", ["3件", "予以公开"]))
    add(Case("Lushan granted in full 2021", ["3", "granted"]))
    add(Case("鹿山办结多少", ["3件", "总计"]))
    add(Case("鹿山公开率是多少", ["100%", "公开率"]))
    add(Case("What is Lushan's disclosure rate?", ["100%"]))
    add(Case("鹿山行政复议多少件", ["0件", "行政复议"]))
    add(Case("鹿山被起诉几次", ["0件", "行政诉讼"]))
    add(Case("鹿山复议纠错率", ["无法计算"]))
    add(Case("青石山予以公开多少", ["空白", "青石山街道办事处", "不等于0", "错误"]))
    add(Case("青石山街道部分公开多少件", ["空白", "不等于0"]))
    add(Case("How many did Qingshishan grant in full?", ["blank", "not 0", "error"]))
    add(Case("qing shi shan partially granted", ["blank"]))
    add(Case("青石山新收申请多少", ["0件", "青石山街道办事处", "错误"]))
    add(Case("青石山的报告有什么问题", ["青石山街道办事处", "T3-05", "空白"]))
    add(Case("青石山报告通过了吗", ["T3-05"]))
    add(Case("青石山年报有错误吗", ["T3-05", "错误"]))
    add(Case("What is wrong with Qingshishan's report?", ["T3-05", "error"]))
    add(Case("qingshishan report problems", ["T3-05"]))
    add(Case("鹿山的报告有问题吗", ["富阳区鹿山街道", "警告"]))
    add(Case("铁岭红旗街报告有什么问题", [HONGQI_A, "通过"]))
    add(Case("水泥路2021年新收申请", ["0件", "道外区水泥路街道办事处"]))
    add(Case("五星办事处收到多少申请", ["0件", "五星办事处"]))
    add(Case("wuxing applications 2021", ["0", "五星办事处"]))
    add(Case("shuinilu new requests", ["0", "道外区水泥路街道办事处"]))
    add(Case("道外区水泥路街道办事处行政许可多少", ["0件", "行政许可"]))
    add(Case("鹿山", ["富阳区鹿山街道", "2021", "新收申请 3件"]))
    add(Case("Lushan", ["富阳区鹿山街道", "new applications 3"]))
    add(Case("青石山2021年报", ["青石山街道办事处", "有错误"]))

    # -- factory reports: every kind of cell -----------------------------------------------------
    cols_zh = [("自然人", "natural_person"), ("企业", "commercial"), ("商业企业", "commercial"),
               ("科研机构", "research"), ("社会公益组织", "social_welfare"), ("公益组织", "social_welfare"),
               ("法律服务机构", "legal_services"), ("其他组织", "other"), ("公司", "commercial")]
    for word, col in cols_zh:
        add(Case(f"东湖2021年{word}申请多少件", [zh(t3(dh, "new_received", col)), "示范区东湖街道"]))
    cols_en = [("individuals", "natural_person"), ("businesses", "commercial"), ("companies", "commercial"),
               ("research institutions", "research"), ("charities", "social_welfare"),
               ("social welfare organisations", "social_welfare"), ("law firms", "legal_services"),
               ("other organisations", "other")]
    for word, col in cols_en:
        add(Case(f"How many applications from {word} did Nanyuan receive in 2021?",
                 [t3(nan, "new_received", col), "示范区南苑街道"]))
    add(Case("南苑法人或其他组织申请多少", [zh(fmt(sum(r(nan).t3("new_received", c) for c in
                                                    ("commercial", "research", "social_welfare", "legal_services",
                                                     "other"))))]))
    rows_zh = [
        ("上年结转", "carried_over"), ("去年结转过来多少", "carried_over"), ("予以公开", "granted"),
        ("部分公开", "partial"), ("属于国家秘密不予公开", "deny_state_secret"), ("涉密", "deny_state_secret"),
        ("其他法律行政法规禁止公开", "deny_law"), ("危及三安全一稳定", "deny_3s1w"), ("保护第三方合法权益", "deny_third_party"),
        ("第三方权益不公开", "deny_third_party"), ("内部事务信息", "deny_internal"), ("过程性信息", "deny_process"),
        ("行政执法案卷", "deny_enforcement_file"), ("行政查询事项", "deny_admin_query"),
        ("本机关不掌握相关政府信息", "unable_not_held"), ("不掌握", "unable_not_held"),
        ("需要另行制作", "unable_needs_creation"), ("补正后申请内容仍不明确", "unable_unclear"),
        ("信访举报投诉类申请", "noproc_petition"), ("信访", "noproc_petition"), ("重复申请", "noproc_repeat"),
        ("要求提供公开出版物", "noproc_publication"), ("无正当理由大量反复申请", "noproc_mass"),
        ("要求确认或重新出具", "noproc_confirm"), ("逾期不补正", "other_no_correction"),
        ("逾期未缴纳费用", "other_fee_unpaid"), ("办结", "total_processed"), ("（七）总计", "total_processed"),
        ("结转下年度继续办理", "carried_forward"), ("结转下年", "carried_forward"),
    ]
    for word, row in rows_zh:
        add(Case(f"新登2021年{word}多少", [zh(t3(xd, row)), "富阳区新登镇"]))
    rows_en = [
        ("carried over from last year", "carried_over"), ("granted in full", "granted"),
        ("partially granted", "partial"), ("refused as state secrets", "deny_state_secret"),
        ("refused to protect third parties", "deny_third_party"), ("refused as process information", "deny_process"),
        ("refused as internal affairs", "deny_internal"), ("refused as enforcement case files", "deny_enforcement_file"),
        ("not held", "unable_not_held"), ("still unclear after correction", "unable_unclear"),
        ("petitions and complaints", "noproc_petition"), ("repeated requests", "noproc_repeat"),
        ("mass requests", "noproc_mass"), ("fees unpaid", "other_fee_unpaid"), ("processed", "total_processed"),
        ("carried forward to next year", "carried_forward"), ("handled", "total_processed"),
        ("refused as prohibited by law", "deny_law"), ("refused for security or stability", "deny_3s1w"),
        ("refused as administrative queries", "deny_admin_query"), ("that would need creating", "unable_needs_creation"),
        ("requests for publications", "noproc_publication"), ("requests to confirm or re-issue", "noproc_confirm"),
        ("closed for no correction", "other_no_correction"),
    ]
    for word, row in rows_en:
        add(Case(f"How many {word} did Donghu have in 2021?", [t3(dh, row), "示范区东湖街道"]))
    for word, prefix in (("不予公开", "deny_"), ("无法提供", "unable_"), ("不予处理", "noproc_"), ("其他处理", "other_")):
        add(Case(f"南苑{word}总共多少件", [zh(group(nan, prefix)), "示范区南苑街道"]))
    for word, prefix in (("refused", "deny_"), ("unable to provide", "unable_"), ("not processed", "noproc_"),
                         ("other handling", "other_")):
        add(Case(f"Nanyuan {word} in 2021", [group(nan, prefix)]))
    add(Case("东湖受理合计多少", [zh(fmt(r(dh).t3("new_received") + r(dh).t3("carried_over"))), "上年结转"]))
    add(Case("Donghu total caseload 2021", [fmt(r(dh).t3("new_received") + r(dh).t3("carried_over"))]))
    add(Case("东湖公开率", [rate(dh), "公开率"]))
    add(Case("新登镇公开率多少", [rate(xd)]))
    add(Case("Xindeng disclosure rate 2021", [rate(xd)]))
    add(Case("东湖2020年公开率", [rate(dh, 2020), "2020"]))
    add(Case("南苑复议纠错率", [review_rate(nan), "纠正"]))
    add(Case("Nanyuan review correction rate", [review_rate(nan)]))
    for word, block, col in (("行政复议", "review", "total"), ("复议维持", "review", "upheld"),
                             ("复议纠正", "review", "corrected"), ("复议其他结果", "review", "other"),
                             ("复议尚未审结", "review", "pending"), ("行政诉讼", "lit", "total"),
                             ("诉讼维持", "lit", "upheld"), ("诉讼结果纠正", "lit", "corrected"),
                             ("诉讼尚未审结", "lit", "pending"), ("直接起诉", "litigation_direct", "total"),
                             ("复议后起诉", "litigation_after_review", "total"),
                             ("复议后起诉被纠正", "litigation_after_review", "corrected")):
        add(Case(f"新登{word}多少件", [zh(t4(xd, block, col)), "表4"]))
    for word, block, col in (("administrative reviews", "review", "total"), ("reviews upheld", "review", "upheld"),
                             ("lawsuits", "lit", "total"), ("lawsuits corrected", "lit", "corrected"),
                             ("lawsuits still pending", "lit", "pending"),
                             ("lawsuits after review", "litigation_after_review", "total"),
                             ("reviews with other results", "review", "other"),
                             ("lawsuits filed directly", "litigation_direct", "total")):
        add(Case(f"How many {word} did Donghu have?", [t4(dh, block, col), "Table 4"]))
    for word, row, col in (("行政许可", "licensing", "value"), ("行政处罚", "penalty", "value"),
                           ("行政强制", "enforcement", "value"), ("规范性文件制发", "normative_documents", "issued"),
                           ("规范性文件现行有效", "normative_documents", "in_force"),
                           ("废止规范性文件", "normative_documents", "repealed"), ("规章现行有效", "regulations", "in_force")):
        add(Case(f"南苑{word}多少", [zh(t2(nan, row, col)), "表2"]))
    add(Case("南苑收费多少", [f"{t2(nan, 'fees_10k_yuan')}万元"]))
    for word, row, col in (("licensing decisions", "licensing", "value"), ("penalties", "penalty", "value"),
                           ("enforcement decisions", "enforcement", "value"),
                           ("normative documents issued", "normative_documents", "issued"),
                           ("normative documents in force", "normative_documents", "in_force")):
        add(Case(f"How many {word} did Xindeng make in 2021?", [t2(xd, row, col), "Table 2"]))

    # -- names: alias, typo, pinyin variants, full name, ambiguity ---------------------------------
    add(Case("东湖片区申请多少", [zh(t3(dh, "new_received")), "示范区东湖街道"]))
    add(Case("示范区东湖街道新收多少", [zh(t3(dh, "new_received"))]))
    add(Case("东胡申请多少", [zh(t3(dh, "new_received")), "示范区东湖街道"]))  # homophone typo
    add(Case("鹿善街道收到多少申请", ["3件", "富阳区鹿山街道"]))  # homophone typo
    add(Case("青石三予以公开", ["空白", "青石山街道办事处"]))  # near-homophone typo
    add(Case("Qingshisan applications", ["0", "青石山街道办事处"]))  # latin typo
    add(Case("lushna applications 2021", ["3", "富阳区鹿山街道"]))  # latin typo
    add(Case("Dong Hu lawsuits", [t4(dh, "lit"), "示范区东湖街道"]))
    add(Case("DONGHU applications", [t3(dh, "new_received")]))
    add(Case("新登收到多少申请", [zh(t3(xd, "new_received")), "富阳区新登镇"]))
    add(Case("xindeng town applications", [t3(xd, "new_received")]))
    add(Case("红旗申请多少", choices=[HONGQI_A, HONGQI_B]))
    add(Case("红旗街道2021年收到多少申请", choices=[HONGQI_A, HONGQI_B]))
    add(Case("How many applications did Hongqi receive?", choices=[HONGQI_A, HONGQI_B]))
    add(Case("hong qi disclosure rate", choices=[HONGQI_A, HONGQI_B]))
    add(Case(f"{HONGQI_B} 红旗申请多少", [zh(t3(hb, "new_received")), HONGQI_B]))
    add(Case(f"{HONGQI_A}申请多少", ["0件", HONGQI_A]))
    add(Case("示范区红旗街道行政处罚多少", [zh(t2(hb, "penalty"))]))
    add(Case("铁岭市银州区红旗街 applications", ["0", HONGQI_A], lang="en"))

    # -- years ----------------------------------------------------------------------------------
    add(Case("鹿山2020年收到多少申请", [zh(t3("鹿山", "new_received", year=2020)), "2020"]))
    add(Case("鹿山20年申请多少", [zh(t3("鹿山", "new_received", year=2020)), "2020"]))
    add(Case("鹿山前年申请多少", [zh(t3("鹿山", "new_received", year=2020)), "2020"]))
    add(Case("Lushan applications in 2020", [t3("鹿山", "new_received", year=2020), "2020"]))
    add(Case("Lushan applications the year before last", [t3("鹿山", "new_received", year=2020), "2020"]))
    add(Case("东湖2019年其他处理多少", [zh(t3(dh, "other_other", year=2019)), "2019"]))
    add(Case("东湖2019年新收", [zh(t3(dh, "new_received", year=2019)), "2019"]))
    add(Case("东湖21年行政许可", [zh(t2(dh, "licensing")), "2021"]))
    add(Case("鹿山2022年收到多少申请", ["未收到富阳区鹿山街道的2022年度报告"], reject=["0件"]))
    add(Case("How many applications did Lushan receive in 2022?", ["No report from 富阳区鹿山街道", "2022"]))
    add(Case("南苑2020年申请多少", ["未收到示范区南苑街道的2020年度报告", "2021"]))
    add(Case("Nanyuan 2019 applications", ["No report", "2019"]))
    add(Case("北关街道申请多少", ["还没有收到示范区北关街道的报告"]))

    # -- aggregates -------------------------------------------------------------------------------
    main21 = [k for k in reports if k[1] == 2021 and k[0] != "光明"]
    total_new = fmt(sum(reports[k].t3("new_received") for k in main21))
    top = max(reports[k].t3("new_received") for k in main21)
    penalty_top = max(main21, key=lambda k: reports[k].t2("penalty"))
    lic_min_nonzero = fmt(min(reports[k].t2("licensing") for k in main21))
    for q in ("哪个单位收到的申请最多？", "2021年哪家新收申请最多", "谁的申请最多"):
        add(Case(q, [zh(fmt(top)), "示范区东湖街道", "富阳区新登镇"]))
    for q in ("哪个街道申请最多", "哪个街道办事处新收申请最多"):  # 街道 only: 新登镇 is a 乡镇
        add(Case(q, [zh(fmt(top)), "示范区东湖街道", "个街道"], reject=["富阳区新登镇"]))
    add(Case("哪个乡镇申请最多", [zh(fmt(top)), "富阳区新登镇", "个乡镇"], reject=["示范区东湖街道"]))
    add(Case("which township had the most applications", [fmt(top), "富阳区新登镇"], reject=["示范区东湖街道"]))
    add(Case("which subdistrict had the most applications", [fmt(top), "示范区东湖街道"], reject=["富阳区新登镇"]))
    add(Case("鹿山二〇二〇年收到多少申请", [zh(t3("鹿山", "new_received", year=2020)), "2020"]))
    for q in ("Which office had the most applications?", "which office received the most requests in 2021",
              "Who had the highest number of new applications?"):
        add(Case(q, [fmt(top), "示范区东湖街道", "富阳区新登镇"]))
    add(Case("哪个街道行政处罚最多", [reports[penalty_top].office.name, zh(t2(penalty_top[0], "penalty"))]))
    add(Case("哪个单位行政许可最少", [zh(lic_min_nonzero), "最少"]))
    add(Case("Which office had the fewest licensing decisions?", [lic_min_nonzero]))
    for q in ("所有单位一共收到多少申请", "2021年申请总共多少", "申请有多少"):
        add(Case(q, [zh(total_new), "合计"]))
    streets_new = fmt(sum(reports[k].t3("new_received") for k in main21 if reports[k].office.kind == "街道"))
    add(Case("全部街道申请合计", [zh(streets_new), "合计", "个街道"]))
    for q in ("How many applications in total?", "total applications across all offices in 2021"):
        add(Case(q, [total_new, "Total"]))
    avg_new = sum(reports[k].t3("new_received") for k in main21) / len(main21)
    add(Case("平均每个单位收到多少申请", [fmt(round(avg_new, 1)), "平均"]))
    add(Case("average number of applications per office", [fmt(round(avg_new, 1))]))
    ranked = sorted(main21, key=lambda k: -reports[k].t3("new_received"))
    third = reports[ranked[2]]
    add(Case("申请数前三名", ["前3名", third.office.name]))
    add(Case("新收申请排名前3", ["前3名", third.office.name]))
    add(Case("top 3 offices by applications", ["Top 3", third.office.name]))
    add(Case("行政处罚排名", ["排名", reports[penalty_top].office.name]))
    add(Case("rank offices by penalties", ["Ranking", reports[penalty_top].office.name]))
    add(Case("鹿山申请排第几", ["富阳区鹿山街道排第"]))
    add(Case("哪个街道公开率最高", ["100%", "富阳区鹿山街道", "最高"]))
    add(Case("一共有多少个单位交了年报", ["9个单位"]))
    add(Case("收到了几份报告", ["9个单位"]))
    add(Case("How many offices reported for 2021?", ["9 office"]))
    add(Case("how many reports have we received", ["9 office"]))
    add(Case("申请有多少", [zh(t3("光明", "new_received")), "示范区光明街道"], chat="one"))
    add(Case("How many applications?", [t3("光明", "new_received"), "示范区光明街道"], chat="one"))
    add(Case("哪个街道申请最多", ["还没有收到任何报告"], chat="empty"))
    add(Case("which office had the most applications", ["No reports"], chat="empty"))

    # -- comparisons and change ---------------------------------------------------------------------
    add(Case("鹿山和青石山比较", ["富阳区鹿山街道", "青石山街道办事处", "3件", "0件"]))
    add(Case("鹿山和青石山申请数对比", ["3件", "0件", "相差3件"]))
    add(Case("compare Lushan and Qingshishan applications", ["3", "0", "富阳区鹿山街道", "青石山街道办事处"]))
    add(Case("东湖和南苑哪个申请多", [zh(t3(dh, "new_received")), zh(t3(nan, "new_received"))]))
    add(Case("Donghu vs Nanyuan lawsuits", [t4(dh, "lit"), t4(nan, "lit")]))
    add(Case("东湖和南苑行政许可一共多少", [zh(fmt(r(dh).t2("licensing") + r(nan).t2("licensing"))), "合计"]))
    add(Case("东湖2020年和2021年申请比较",
             [zh(t3(dh, "new_received")), zh(t3(dh, "new_received", year=2020)), "2020", "2021"]))
    d_new = r(dh).t3("new_received") - r(dh, 2020).t3("new_received")
    add(Case("东湖申请比去年多了多少", [f"多{fmt(abs(d_new))}件" if d_new > 0 else f"少{fmt(abs(d_new))}件"]))
    add(Case("东湖申请同比增长多少", [zh(fmt(abs(d_new))), "2020"]))
    add(Case("How did Donghu's applications change from last year?", [fmt(abs(d_new)), "2020"]))
    add(Case("Donghu applications compared with last year", [fmt(abs(d_new))]))
    l_new = 3 - r("鹿山", 2020).t3("new_received")
    add(Case("鹿山申请比去年多了多少", [f"少{fmt(abs(l_new))}件", "2020"]))
    add(Case("鹿山2021年申请比上年增加了多少", [f"少{fmt(abs(l_new))}件"]))
    add(Case("Lushan applications year on year", [fmt(abs(l_new)), "Down"]))
    d_lic = r(dh).t2("licensing") - r(dh, 2020).t2("licensing")
    add(Case("东湖行政许可比上年变化", [zh(fmt(abs(d_lic)))]))
    add(Case("南苑申请比去年多了多少", ["未收到示范区南苑街道的2020年度报告"]))
    add(Case("东湖2020年申请比2019年多多少",
             [zh(fmt(abs(r(dh, 2020).t3("new_received") - r(dh, 2019).t3("new_received"))))]))
    add(Case("东湖公开率比去年变化", ["百分点"]))

    # -- status --------------------------------------------------------------------------------------
    for q in ("哪些报告有错误", "哪些报告没通过校验", "有错误的报告有哪些", "哪个单位的报告有问题", "2021年哪些年报不合格"):
        add(Case(q, ["青石山街道办事处", "T3-05"], reject=["富阳区鹿山街道"]))
    for q in ("Which reports failed validation?", "which reports have errors", "show reports with problems"):
        add(Case(q, ["青石山街道办事处", "T3-05"]))
    for q in ("今年谁还没交年报", "还有谁没交", "哪些单位未提交2021年报告", "2021年度还差哪些单位", "谁还没有报送年报"):
        add(Case(q, ["示范区北关街道", "未交"], reject=["富阳区鹿山街道"]))
    for q in ("Who has not submitted yet?", "which offices haven't submitted the 2021 report",
              "who is missing", "outstanding reports"):
        add(Case(q, ["示范区北关街道", "not submitted"]))
    add(Case("2020年谁还没交", ["示范区北关街道", "2020"]))
    add(Case("哪些单位已经交了", ["富阳区鹿山街道", "已交"]))
    add(Case("who has submitted", ["富阳区鹿山街道", "submitted"]))

    # -- found by trying phrasings the set did not have (kept so they stay fixed) -----------------
    add(Case("东湖街道办事处2021年度有多少申请被拒绝", [zh(group(dh, "deny_")), "不予公开"]))
    granted_share = pct(r(dh).t3("granted"), r(dh).t3("total_processed"))
    add(Case("What share of Donghu's applications were granted?", [granted_share]))
    add(Case("东湖予以公开的比例", [granted_share, "予以公开÷办结总计"]))
    add(Case("东湖自然人申请占比", [pct(r(dh).t3("new_received", "natural_person"), r(dh).t3("new_received"))]))
    add(Case("What share of Donghu's applications came from businesses?",
             [pct(r(dh).t3("new_received", "commercial"), r(dh).t3("new_received"))]))
    add(Case("What percentage of Donghu's requests were refused?",
             [pct(float(group(dh, "deny_")), r(dh).t3("total_processed"))]))
    add(Case("列出申请最多的5个单位", ["前5名", "示范区东湖街道", "富阳区鹿山街道"]))
    add(Case("倒数三名", ["倒数3名", "0件"]))
    add(Case("bottom 2 offices by penalties", ["Bottom 2"]))
    add(Case("最少的是哪个", ["最少", "0件"]))
    dh_done = r(dh).t3("total_processed") / (r(dh).t3("new_received") + r(dh).t3("carried_over"))
    add(Case("东湖2021年度政府信息公开申请办结率", [f"{dh_done * 100:.1f}%", "办结率"]))
    add(Case("what is Donghu's completion rate", [f"{dh_done * 100:.1f}%"]))
    add(Case("今年各单位提交情况", ["示范区北关街道", "未交"]))
    add(Case("上报情况", ["示范区北关街道"]))
    add(Case("东湖比去年", ["2020", zh(fmt(abs(d_new)))]))
    add(Case("有几份报告有错误", ["1份报告有错误", "青石山街道办事处"]))
    add(Case("Did Qingshishan submit?", ["Yes", "青石山街道办事处", "2021"]))
    add(Case("Has Lushan submitted its 2021 report?", ["Yes", "富阳区鹿山街道"]))
    add(Case("鹿山交了没有", ["已交", "富阳区鹿山街道"]))
    add(Case("北关交了吗", ["未收到示范区北关街道的2021年度报告"]))
    add(Case("北关还没交吗", ["未收到示范区北关街道的2021年度报告"]))
    add(Case("Has Beiguan submitted?", ["No report from 示范区北关街道"]))
    add(Case("鹿山的申请是哪里来的", ["3件", "法律服务机构 3"]))
    add(Case("东湖申请人构成", [zh(t3(dh, "new_received")), f"自然人 {t3(dh, 'new_received', 'natural_person')}"]))
    add(Case("Donghu applications breakdown by applicant", [f"businesses {t3(dh, 'new_received', 'commercial')}"]))
    add(Case("How many normative documents did Donghu repeal?", [t2(dh, "normative_documents", "repealed")]))
    add(Case("How many requests did businesses send to Donghu?", [t3(dh, "new_received", "commercial")]))
    add(Case("How many times was Xindeng sued in 2021?", [t4(xd, "lit")]))
    add(Case("Which office was sued the most?", ["富阳区新登镇", t4(xd, "lit")]))
    add(Case("哪个单位被起诉最多", ["富阳区新登镇", zh(t4(xd, "lit"))]))
    add(Case("哪个街道被起诉最多", ["示范区南苑街道", zh(t4(nan, "lit"))], reject=["富阳区新登镇"]))
    add(Case("What's Donghu's caseload?", [fmt(r(dh).t3("new_received") + r(dh).t3("carried_over"))]))
    add(Case("东湖结转了几件", [zh(t3(dh, "carried_forward"))]))
    add(Case("东湖2019年逾期不补正", ["无此项"], reject=["0件"]))
    add(Case("鹿山、东湖、南苑申请比较", ["3件", zh(t3(dh, "new_received")), zh(t3(nan, "new_received"))]))
    add(Case("Donghu 2020 vs 2021 applications", [fmt(abs(d_new)), "2020"]))

    add(Case("鹿山2021年共收到政府信息公开申请多少件，办结多少件", ["本年新收 3件", "办结 3件"]))
    add(Case("Lushan new applications and processed", ["new applications received 3", "total processed 3"]))
    add(Case("鹿山和东湖和南苑哪个公开率最高", ["富阳区鹿山街道最高：100%", rate(dh), rate(nan)]))
    add(Case("鹿山是不是申请最少的", ["富阳区鹿山街道排第5"]))
    add(Case("报告有警告的有哪些", ["有警告", "富阳区鹿山街道"], reject=["青石山街道办事处"]))
    add(Case("哪些单位的报告通过了", ["8份没有错误", "富阳区鹿山街道"], reject=["青石山街道办事处"]))
    add(Case("which reports passed", ["8 of 9", "示范区东湖街道"], reject=["青石山街道办事处"]))

    add(Case("哪些单位没有收到申请", ["9个单位中4个为0", "青石山街道办事处", "五星办事处"], reject=["示范区东湖街道"]))
    add(Case("Which offices had no applications?", ["4 of 9", "五星办事处"], reject=["示范区东湖街道"]))
    add(Case("东湖：2020年 vs 2021年 行政许可", [zh(fmt(abs(d_lic))), "2020"]))
    add(Case("2021年度，鹿山街道：本年新收申请？", ["3件", "富阳区鹿山街道"]))
    add(Case("【鹿山】申请数", ["3件"]))
    add(Case("新登镇人民政府收到多少申请", [zh(t3(xd, "new_received")), "富阳区新登镇"]))

    add(Case("how many aplications did lushan get", ["3", "富阳区鹿山街道"]))  # English typo in the metric
    add(Case("which office had the most applicatons", [fmt(top), "示范区东湖街道"]))
    add(Case("Xindeng lawsiuts", [t4(xd, "lit")]))

    add(Case("What changed for Donghu since 2020?", [fmt(abs(d_new)), "2020"]))
    add(Case("东湖2019年以来申请变化", [zh(fmt(abs(r(dh).t3("new_received") - r(dh, 2019).t3("new_received")))), "2019"]))
    add(Case("Did the number of applications at Donghu go up?", ["Up" if d_new > 0 else "Down", fmt(abs(d_new))]))
    add(Case("How many applications are still pending at Nanyuan?", [t3(nan, "carried_forward")]))
    add(Case("南苑还有多少申请未办结", [zh(t3(nan, "carried_forward"))]))
    add(Case("鹿山什么时候交的", ["已交", "富阳区鹿山街道"]))
    add(Case("List all offices", ["10 office(s)", "示范区北关街道", "富阳区鹿山街道"]))
    add(Case("有哪些单位", ["本群共10个单位", "示范区北关街道"]))
    add(Case("Nanyuan lawsuits still pending", [t4(nan, "lit", "pending")]))

    add(Case("东湖公开了多少件", [zh(t3(dh, "granted"))]))
    add(Case("东湖全部公开和部分公开一共多少", [zh(fmt(r(dh).t3("granted") + r(dh).t3("partial")))]))
    add(Case("东湖行政许可加行政处罚一共多少", [zh(fmt(r(dh).t2("licensing") + r(dh).t2("penalty")))]))
    add(Case("东湖行政许可和行政处罚", [f"行政许可决定 {zh(t2(dh, 'licensing'))}", "表2"], reject=["表3"]))
    add(Case("各街道的公开率", ["排名", "富阳区鹿山街道 100%"], reject=["富阳区新登镇"]))
    pooled = [reports[k] for k in main21 if reports[k].t3("total_processed")]
    add(Case("全区公开率是多少", [pct(sum(x.t3("granted") + x.t3("partial") for x in pooled),
                                 sum(x.t3("total_processed") for x in pooled)), "合计口径"]))
    add(Case("overall disclosure rate across all offices", [pct(sum(x.t3("granted") + x.t3("partial") for x in pooled),
                                                          sum(x.t3("total_processed") for x in pooled))]))

    add(Case("Which had more lawsuits, Donghu or Nanyuan?", ["Most: 示范区南苑街道", t4(nan, "lit")]))
    add(Case("东湖和南苑哪个申请少", [f"示范区南苑街道最少：{zh(t3(nan, 'new_received'))}"]))
    add(Case("what's missing from Qingshishan's report", ["T3-05"]))
    add(Case("青石山哪些没填", ["T3-05", "空白"]))
    add(Case("Lushan 2021 granted and partially granted in total", ["3", "granted in full + granted in part"]))

    add(Case("鹿山申請多少", ["3件", "富阳区鹿山街道"]))  # traditional characters
    add(Case("東湖行政複議", [zh(t4(dh, "review")), "行政复议"]))
    add(Case("誰還沒交年報", ["示范区北关街道"]))

    over100 = [k for k in main21 if reports[k].t3("new_received") > 100]
    add(Case("有几个单位的申请超过100件", [f"9个单位中{len(over100)}个超过100件", "示范区东湖街道"], reject=["富阳区鹿山街道"]))
    add(Case("which offices had more than 150 applications",
             [f"{sum(reports[k].t3('new_received') > 150 for k in main21)} of 9"], reject=["富阳区鹿山街道"]))
    add(Case("行政处罚200件以上的有哪些", [f"{sum(reports[k].t2('penalty') >= 200 for k in main21)}个不少于200件"]))
    add(Case("公开率低于10%的单位", ["少于10%", "示范区南苑街道"], reject=["示范区东湖街道"]))

    add(Case("How many reports were received in 2021?", ["9 office"]))
    add(Case("2021年收到了多少份年报", ["9个单位"]))
    add(Case("which offices have warnings", ["warnings", "富阳区鹿山街道"], reject=["青石山街道办事处"]))

    # -- an office that is not in this chat: say so, never the chat total -------------------------
    add(Case("西湖街道申请多少", ["本群没有“西湖街道”的报告"], reject=["合计"]))
    add(Case("城关镇收到多少申请", ["本群没有“城关镇”的报告"], reject=["合计"]))
    add(Case("How many applications did Xihu street receive?", ["No office called “xihu street”"]))

    # -- not understood ----------------------------------------------------------------------------------
    for q in ("天气怎么样", "帮我订一张机票", "？？？"):
        add(Case(q, ["没看懂", "哪个街道申请最多"], understood=False))
    for q in ("what's the weather like", "book me a flight"):
        add(Case(q, ["didn't understand", "Which office had the most applications?"], understood=False))
    add(Case("你好", ["年报助手", "哪个街道申请最多"]))  # a greeting gets what the bot does
    add(Case("hello", ["nianbao", "Which office had the most applications?"]))
    return out

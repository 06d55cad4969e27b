"""The question set's second half (issue 24): questions whose answer must have a shape of its own.

yes/no (the first word is 通过/未通过 or 是/否), breakdowns by applicant type, lists of the chat's
offices, one office in two years side by side, one office (or the chat) over every year, names typed in
part (「上海」), near-miss names (the answer names the office it guessed), and questions nothing can
answer (not understood, with the nearest question that works — never a different answer).

Expected numbers come from the very reports that were stored (conftest.py); ``starts`` is what the
answer's first line must begin with.
"""

from __future__ import annotations

from bot.report import Report
from bot.schema import T3_COLUMN_LABELS, T3_COLUMN_LABELS_EN
from tests.bot.questions.question_set import Case, fmt, pct

#: Main-chat offices: (key in the reports, full name, short name as typed, pinyin as typed).
MAIN = [
    ("鹿山", "富阳区鹿山街道", "鹿山", "Lushan"),
    ("青石山", "青石山街道办事处", "青石山", "Qingshishan"),
    ("水泥路", "道外区水泥路街道办事处", "水泥路", "Shuinilu"),
    ("五星", "五星办事处", "五星", "Wuxing"),
    ("红旗", "铁岭市银州区红旗街", "铁岭红旗街", ""),
    ("东湖", "示范区东湖街道", "东湖", "Donghu"),
    ("红旗@示范区红旗街道", "示范区红旗街道", "示范区红旗街道", ""),
    ("南苑", "示范区南苑街道", "南苑", "Nanyuan"),
    ("新登", "富阳区新登镇", "新登", "Xindeng"),
]
CITY = [
    ("上海市政府办公厅", "上海市人民政府办公厅", "上海市政府办公厅", ""),
    ("杭州市政府办公厅", "杭州市人民政府办公厅", "杭州市政府办公厅", ""),
    ("平潭", "平潭综合实验区", "平潭", "Pingtan"),
    ("青山湖", "临安区青山湖街道", "青山湖", "Qingshanhu"),
    ("锦城", "临安区锦城街道", "锦城", "Jincheng"),
    ("玲珑", "临安区玲珑街道", "玲珑", "Linglong"),
]


def _errors(report: Report) -> int:
    return sum(1 for f in report.findings if f.severity == "error")


def shape_cases(reports: dict[tuple[str, int], Report], city: dict[tuple[str, int], Report]) -> list[Case]:
    """Every case of the second half."""
    out: list[Case] = []
    add = out.append

    def new(rep: Report) -> str:
        return fmt(rep.t3("new_received"))

    # -- yes/no about the verdict: 通过/未通过 (合格吗) or 是/否 (有错误吗) first, then why -------------
    pass_zh = ("{a}的报告合格吗", "{a}年报通过了吗", "{a}的年报有没有通过", "{a}2021年报告是否合格", "{a}的报告能通过吗",
               "{a}报告过了吗")
    errors_zh = ("{a}报告有错误吗", "{a}的报告有没有问题", "{a}的年报有错吗", "{a}的报告对不对")
    pass_en = ("Did {a}'s report pass?", "Is {a}'s report ok?", "Has {a}'s 2021 report passed?")
    errors_en = ("Does {a}'s report have any errors?", "Are there any errors in {a}'s report?")
    for chat, table, offices in (("main", reports, MAIN), ("city", city, CITY)):
        for key, name, typed, pinyin in offices:
            year = 2023 if key == "平潭" else 2021
            rep = table[(key, year)]
            failed = _errors(rep) > 0
            for q in pass_zh:
                q = q.replace("2021", str(year))
                add(Case(q.format(a=typed), [name], starts="未通过：" if failed else "通过：", chat=chat,
                         reject=[] if failed else ["未通过"]))
            for q in errors_zh:
                add(Case(q.format(a=typed), [name] + (["错误"] if failed else []), starts="是，有" if failed else "否，",
                         chat=chat))
            if pinyin:
                for q in pass_en:
                    q = q.replace("2021", str(year))
                    add(Case(q.format(a=pinyin), [name], starts="No — it did not pass" if failed else "Yes — it passed",
                             chat=chat))
                for q in errors_en:
                    add(Case(q.format(a=pinyin), [name], starts="Yes — " if failed else "No errors", chat=chat))

    # -- breakdown by applicant type --------------------------------------------------------------
    by_type_zh = ("{a}的申请人是哪些类型", "{a}的申请人都是谁", "{a}申请人类型", "{a}的申请是谁提出的", "{a}各类申请人各多少",
                  "{a}申请人构成", "{a}2021年的申请来自哪些类型的申请人")
    by_type_en = ("{a} applicants by type", "What kinds of applicants did {a} have?", "Who were the applicants at {a}?")
    for key, name, typed, pinyin in MAIN:
        if key == "青石山":
            continue  # blank 表3 rows: its blank-cell answers are in the first half
        rep = reports[(key, 2021)]
        parts_zh = [f"{T3_COLUMN_LABELS[c]} {fmt(rep.t3('new_received', c))}" for c in T3_COLUMN_LABELS
                    if c != "total" and rep.t3("new_received", c)]
        parts_en = [f"{T3_COLUMN_LABELS_EN[c]} {fmt(rep.t3('new_received', c))}" for c in T3_COLUMN_LABELS
                    if c != "total" and rep.t3("new_received", c)]
        for q in by_type_zh:
            add(Case(q.format(a=typed), [f"{new(rep)}件：", *(parts_zh or ["各类申请人均为0"]), "按申请人", name]))
        if pinyin:
            for q in by_type_en:
                add(Case(q.format(a=pinyin), [f"{new(rep)}: ", *(parts_en or ["none from any type"]), "by applicant"]))
    for key, name, typed, _pinyin in CITY[:3]:
        rep = city[(key, 2023 if key == "平潭" else 2021)]
        first = next(c for c in T3_COLUMN_LABELS if c != "total" and rep.t3("new_received", c))
        add(Case(f"{typed}的申请人是哪些类型", [name, f"{T3_COLUMN_LABELS[first]} {fmt(rep.t3('new_received', first))}"],
                 chat="city"))

    # -- lists: the chat's offices --------------------------------------------------------------------
    list_zh = ("本群有哪些单位", "有哪些单位", "群里都有哪些单位", "列出所有单位", "本群单位名单", "这里有几个单位", "所有单位",
               "查看全部单位", "本群单位列表", "我们有哪些单位")
    list_en = ("which offices are in this group", "list all offices", "what offices do we have", "show all offices",
               "offices in this chat")
    for chat, count, names in (("main", 10, ["示范区北关街道", "青石山街道办事处"]),
                               ("city", 6, ["上海市人民政府办公厅", "平潭综合实验区"])):
        for q in list_zh:
            add(Case(q, [f"本群共{count}个单位", *names], chat=chat))
        for q in list_en:
            add(Case(q, [f"{count} office(s) here", *names], chat=chat))
    add(Case("本群有哪些单位", ["本群共1个单位", "示范区光明街道"], chat="one"))
    add(Case("本群有哪些单位", ["本群还没有单位"], chat="empty"))
    add(Case("which offices are in this group", ["No offices"], chat="empty"))

    # -- one office, two years side by side (no number named: the key numbers of both) ---------------
    pairs = [("main", reports, "东湖", "示范区东湖街道", "东湖", "Donghu", y1, y2)
             for y1, y2 in ((2019, 2020), (2019, 2021), (2020, 2021))]
    pairs += [("main", reports, "鹿山", "富阳区鹿山街道", "鹿山", "Lushan", 2020, 2021),
              ("main", reports, "青石山", "青石山街道办事处", "青石山", "Qingshishan", 2020, 2021),
              ("city", city, "上海市政府办公厅", "上海市人民政府办公厅", "上海市政府办公厅", "", 2020, 2021)]
    pairs += [("city", city, "平潭", "平潭综合实验区", "平潭", "Pingtan", y1, y2)
              for y1, y2 in ((2019, 2021), (2021, 2023), (2019, 2023))]
    for chat, table, key, name, typed, pinyin, old, newer in pairs:
        a, b = table[(key, newer)], table[(key, old)]
        want_zh = [f"{newer}年度 与 {old}年度", f"新收申请 {new(a)}件 / {new(b)}件", name]
        for q in ("{a}{n}年和{o}年比较", "{a}{o}年与{n}年对比", "{a}{n}年跟{o}年比一比", "比较一下{a}{o}年和{n}年"):
            add(Case(q.format(a=typed, n=newer, o=old), want_zh, chat=chat))
        if pinyin:
            want_en = [f"{newer} vs {old}", f"new applications {new(a)} / {new(b)}"]
            for q in ("Compare {a} {o} and {n}", "{a} {n} vs {o}", "{a}: {o} compared with {n}"):
                add(Case(q.format(a=pinyin, n=newer, o=old), want_en, chat=chat))
        # with a number named, it is that number's change
        diff = a.t3("new_received") - b.t3("new_received")
        add(Case(f"{typed}{newer}年和{old}年申请比较", [fmt(abs(diff)), str(old)], chat=chat))

    # -- one office (or the chat) over every year held ------------------------------------------------
    history = [("main", reports, "东湖", "示范区东湖街道", "东湖", "Donghu", (2019, 2020, 2021)),
               ("main", reports, "鹿山", "富阳区鹿山街道", "鹿山", "Lushan", (2020, 2021)),
               ("main", reports, "青石山", "青石山街道办事处", "青石山", "Qingshishan", (2020, 2021)),
               ("city", city, "平潭", "平潭综合实验区", "平潭", "Pingtan", (2019, 2021, 2023)),
               ("city", city, "上海市政府办公厅", "上海市人民政府办公厅", "上海市政府办公厅", "", (2020, 2021))]
    for chat, table, key, name, typed, pinyin, years in history:
        lines = [f"{y}年度 {new(table[(key, y)])}件" for y in years]
        for q in ("{a}历年申请", "{a}历年收到多少申请", "{a}每年的申请数", "{a}申请数的变化趋势", "{a}近几年的申请情况"):
            add(Case(q.format(a=typed), [name, *lines], chat=chat))
        reviews = [f"{y}年度 {fmt(table[(key, y)].t4('review'))}件" for y in years]
        add(Case(f"{typed}历年行政复议", reviews, chat=chat))
        rates = [f"{y}年度 {pct(table[(key, y)].t3('granted') + table[(key, y)].t3('partial'), table[(key, y)].t3('total_processed'))}"
                 for y in years if table[(key, y)].t3("total_processed")]
        add(Case(f"{typed}历年公开率", rates, chat=chat))
        if pinyin:
            en_lines = [f"{y}: {new(table[(key, y)])}" for y in years]
            for q in ("{a} applications over the years", "{a} applications by year", "{a} applications history"):
                add(Case(q.format(a=pinyin), en_lines, chat=chat))
    by_year = {y: sum(r.t3("new_received") for (k, yy), r in reports.items() if yy == y and k != "光明")
               for y in (2019, 2020, 2021)}
    for q in ("全区历年申请", "历年申请总数", "每年一共收到多少申请"):
        add(Case(q, [f"{y}年度 {fmt(v)}件" for y, v in by_year.items()]))
    add(Case("total applications by year", [f"{y}: {fmt(v)}" for y, v in by_year.items()]))

    # -- part of a name: a word inside one office's name picks it; inside several, ask back ------------
    sh, hz = city[("上海市政府办公厅", 2021)], city[("杭州市政府办公厅", 2021)]
    pt = city[("平潭", 2023)]
    qsh = city[("青山湖", 2021)]
    for word, rep, name in (("上海", sh, "上海市人民政府办公厅"), ("上海市", sh, "上海市人民政府办公厅"),
                            ("杭州", hz, "杭州市人民政府办公厅"), ("杭州市", hz, "杭州市人民政府办公厅"),
                            ("实验区", pt, "平潭综合实验区"), ("青山", qsh, "临安区青山湖街道")):
        add(Case(f"{word}收到多少申请", [f"{new(rep)}件", name], chat="city"))
        add(Case(f"{word}行政复议多少", [f"{fmt(rep.t4('review'))}件", name, "行政复议"], chat="city"))
        add(Case(f"{word}办结了多少件", [f"{fmt(rep.t3('total_processed'))}件", name], chat="city"))
        add(Case(f"{word}的报告合格吗", [name], starts="通过：", chat="city"))
    for word, rep, name in (("Shanghai", sh, "上海市人民政府办公厅"), ("Hangzhou", hz, "杭州市人民政府办公厅")):
        add(Case(f"How many applications did {word} receive?", [new(rep), name], chat="city"))
        add(Case(f"{word} administrative reviews", [fmt(rep.t4("review")), name], chat="city"))
    linan = ["临安区玲珑街道", "临安区锦城街道", "临安区青山湖街道"]
    for q in ("临安收到多少申请", "临安区行政复议多少", "临安的报告合格吗", "How many applications did Lin'an receive?"):
        add(Case(q, choices=linan, chat="city"))
    for word, key, name in (("铁岭", "红旗", "铁岭市银州区红旗街"), ("银州", "红旗", "铁岭市银州区红旗街"),
                            ("道外", "水泥路", "道外区水泥路街道办事处"), ("道外区", "水泥路", "道外区水泥路街道办事处")):
        add(Case(f"{word}收到多少申请", [f"{new(reports[(key, 2021)])}件", name]))
        add(Case(f"{word}行政许可多少", [f"{fmt(reports[(key, 2021)].t2('licensing'))}件", name]))
    asks = ("{w}收到多少申请", "{w}的报告合格吗", "{w}行政复议多少", "{w}公开率", "{w}历年申请", "{w}2021年办结多少")
    for q in asks:
        add(Case(q.format(w="富阳区"), choices=["富阳区新登镇", "富阳区鹿山街道"]))
        add(Case(q.format(w="示范区"), choices=["示范区东湖街道", "示范区北关街道", "示范区南苑街道", "示范区红旗街道"]))
        add(Case(q.format(w="临安区"), choices=linan, chat="city"))
    fy = fmt(reports[("鹿山", 2021)].t3("new_received") + reports[("新登", 2021)].t3("new_received"))
    for q in ("富阳区一共收到多少申请", "富阳区合计申请"):  # a part of several names with 一共: their sum
        add(Case(q, [f"合计 {fy}件", "2个单位"]))
    for q in ("How many applications did Fuyang receive?", "Fuyang disclosure rate"):
        add(Case(q, choices=["富阳区新登镇", "富阳区鹿山街道"]))

    # -- near misses: answered for the office guessed, and the answer says which -------------------------
    guesses = [("六山", "鹿山", "富阳区鹿山街道"), ("鹿三", "鹿山", "富阳区鹿山街道"), ("路山", "鹿山", "富阳区鹿山街道"),
               ("录山", "鹿山", "富阳区鹿山街道"), ("冬湖", "东湖", "示范区东湖街道"), ("东胡", "东湖", "示范区东湖街道"),
               ("南园", "南苑", "示范区南苑街道"), ("难苑", "南苑", "示范区南苑街道"), ("新灯", "新登", "富阳区新登镇"),
               ("心登", "新登", "富阳区新登镇"), ("清石山", "青石山", "青石山街道办事处"),
               ("水泥陆", "水泥路", "道外区水泥路街道办事处"), ("五心", "五星", "五星办事处")]
    for typo, key, name in guesses:
        rep = reports[(key, 2021)]
        add(Case(f"{typo}收到多少申请", [f"{new(rep)}件"], starts=f"按“{name}”回答"))
        add(Case(f"{typo}行政复议几件", [f"{fmt(rep.t4('review'))}件", "行政复议"], starts=f"按“{name}”回答"))
    for typo, key, name in (("Lushen", "鹿山", "富阳区鹿山街道"), ("Dunghu", "东湖", "示范区东湖街道"),
                            ("Nanyuen", "南苑", "示范区南苑街道"), ("Xindang", "新登", "富阳区新登镇"),
                            ("Wuxin", "五星", "五星办事处")):
        rep = reports[(key, 2021)]
        add(Case(f"{typo} applications", [new(rep)], starts=f"(Taking this as {name}"))
    add(Case("六山的报告合格吗", ["富阳区鹿山街道"], starts="按“富阳区鹿山街道”回答"))
    add(Case("冬湖历年申请", [f"2019年度 {new(reports[('东湖', 2019)])}件"], starts="按“示范区东湖街道”回答"))
    add(Case("平谭历年申请", [f"2019年度 {new(city[('平潭', 2019)])}件"], starts="按“平潭综合实验区”回答",
             chat="city"))

    # -- nothing can answer it: not understood, the nearest question that works, never a summary -------
    for q, near in (("鹿山2021年主动公开多少", "鹿山2021年收到多少申请？"), ("东湖的主任是谁", "东湖2021年收到多少申请？"),
                    ("南苑网站点击量多少", "南苑2021年收到多少申请？"), ("新登镇人口多少", "新登2021年收到多少申请？"),
                    ("青石山的电话是多少", "青石山2021年收到多少申请？"), ("鹿山微博发了多少条", "鹿山2021年收到多少申请？"),
                    ("东湖2020年主动公开多少条信息", "东湖2020年收到多少申请？"), ("五星办事处预算多少", "五星2021年收到多少申请？"),
                    ("鹿山有多少工作人员", "鹿山2021年收到多少申请？"), ("东湖的地址在哪", "东湖2021年收到多少申请？"),
                    ("南苑2021年政务新媒体多少个", "南苑2021年收到多少申请？"), ("鹿山书记是谁", "鹿山2021年收到多少申请？"),
                    ("东湖人口", "东湖2021年收到多少申请？")):
        add(Case(q, ["没看懂", f"最接近的问法：{near}"], reject=["新收申请 "], understood=False))
    add(Case("平潭2019年主动公开多少", ["没看懂", "最接近的问法：平潭2019年收到多少申请？"], understood=False,
             chat="city"))
    for q, near in (("What is Donghu's budget?", "How many applications did Donghu receive in 2021?"),
                    ("How many press conferences did Lushan hold?", "How many applications did Lushan receive in 2021?"),
                    ("Nanyuan website visits", "How many applications did Nanyuan receive in 2021?"),
                    ("What is Lushan's phone number?", "How many applications did Lushan receive in 2021?"),
                    ("How many staff does Donghu have?", "How many applications did Donghu receive in 2021?")):
        add(Case(q, ["didn't understand", f"Nearest question that works: {near}"], reject=["new applications "],
                 understood=False))

    # -- found by trying phrasings the set did not have (kept so they stay fixed) ----------------------
    dh = {y: reports[("东湖", y)] for y in (2019, 2020, 2021)}
    add(Case("东湖这三年的申请", [f"{y}年度 {new(r)}件" for y, r in dh.items()]))
    add(Case("Donghu applications in the last three years", [f"{y}: {new(r)}" for y, r in dh.items()]))
    add(Case("东湖2020年和2021年有什么变化", ["2021年度 与 2020年度", f"新收申请 {new(dh[2021])}件 / {new(dh[2020])}件"]))
    add(Case("鹿山去年和前年比较", ["2021年度 与 2020年度"]))
    add(Case("东湖的报告是不是合格的", ["示范区东湖街道"], starts="通过："))
    add(Case("青石山的报告是不是有问题", ["青石山街道办事处"], starts="是，有"))
    add(Case("鹿山年报合格不", ["富阳区鹿山街道"], starts="通过："))
    add(Case("Is Lushan's report valid?", ["富阳区鹿山街道"], starts="Yes — it passed"))
    xd = reports[("新登", 2021)]
    add(Case("新登的申请都来自哪里", [f"自然人 {fmt(xd.t3('new_received', 'natural_person'))}", "按申请人"]))
    add(Case("新登申请人分类", [f"商业企业 {fmt(xd.t3('new_received', 'commercial'))}", "按申请人"]))
    add(Case("东湖各年行政诉讼", [f"{y}年度 {fmt(r.t4('litigation_direct') + r.t4('litigation_after_review'))}件"
                                 for y, r in dh.items()]))
    add(Case("鹿山主动公开了多少条", ["没看懂", "主动公开"], reject=["予以公开"], understood=False))
    add(Case("How many documents did Lushan proactively publish?", ["didn't understand"], understood=False))
    add(Case("东湖主动公开的规范性文件多少", [f"{fmt(dh[2021].t2('normative_documents', 'in_force'))}件", "表2"]))
    add(Case("这个群里有几个单位", ["本群共10个单位"]))
    pt_years = {y: city[("平潭", y)] for y in (2019, 2021, 2023)}
    top_year = max(pt_years, key=lambda y: pt_years[y].t3("new_received"))
    add(Case("平潭哪年申请最多", [f"{new(pt_years[top_year])}件", "历年"], starts=f"{top_year}年度最多", chat="city"))
    add(Case("In which year did Pingtan get the most applications?", [new(pt_years[top_year])],
             starts=f"Most in {top_year}", chat="city"))
    add(Case("Pingtan yearly applications", [f"{y}: {new(r)}" for y, r in pt_years.items()], chat="city"))
    add(Case("上海办公厅收到多少申请", [f"{new(sh)}件", "上海市人民政府办公厅"], chat="city"))
    add(Case("上海和杭州比较", [f"上海市人民政府办公厅 {new(sh)}件", f"杭州市人民政府办公厅 {new(hz)}件"], chat="city"))
    add(Case("上海和杭州哪个申请多", [new(sh), new(hz), "最多"], chat="city"))
    ls = {y: reports[("鹿山", y)] for y in (2020, 2021)}
    add(Case("鹿山和东湖历年申请", [f"富阳区鹿山街道：2020年度 {new(ls[2020])}件，2021年度 {new(ls[2021])}件",
                                 f"示范区东湖街道：2019年度 {new(dh[2019])}件"]))
    total = {y: fmt(sum(r.t3("new_received") for (k, yy), r in reports.items() if yy == y and k != "光明"))
             for y in (2020, 2021)}
    add(Case("2021年和2020年比较", ["全部单位合计", f"新收申请 {total[2021]}件 / {total[2020]}件"]))
    add(Case("compare 2020 and 2021", ["All offices, total", f"new applications {total[2021]} / {total[2020]}"]))
    add(Case("Is Donghu's 2019 report ok?", ["2019 report"], reject=["2021 report"], starts="Yes — it passed"))
    add(Case("鹿山是哪个区的", ["没看懂"], reject=["新收申请 "], understood=False))
    cols = {c: dh[2021].t3("new_received", c) for c in T3_COLUMN_LABELS if c != "total"}
    top_col = max(cols, key=cols.get)
    add(Case("东湖的申请人哪类最多", [f"{T3_COLUMN_LABELS[top_col]}最多：{fmt(cols[top_col])}件", "按申请人"]))
    add(Case("Which type of applicant filed most at Donghu?", [f"Most: {T3_COLUMN_LABELS_EN[top_col]}"]))

    # -- yes/no about a number: 有/没有 (any?), 是/否 (more than? equal?), then the number ---------------
    nan21, xd21, ls21 = reports[("南苑", 2021)], reports[("新登", 2021)], reports[("鹿山", 2021)]
    lit = {k: r.t4("litigation_direct") + r.t4("litigation_after_review")
           for k, r in (("东湖", dh[2021]), ("南苑", nan21), ("鹿山", ls21))}

    def has(v: float) -> str:
        return "有：" if v else "没有："

    add(Case("东湖有没有行政诉讼", [f"{fmt(lit['东湖'])}件"], starts=has(lit["东湖"])))
    add(Case("鹿山有没有被起诉", [f"{fmt(lit['鹿山'])}件"], starts=has(lit["鹿山"])))
    add(Case("鹿山有没有行政复议", [f"{fmt(ls21.t4('review'))}件"], starts=has(ls21.t4("review"))))
    add(Case("东湖收到申请了吗", [f"{new(dh[2021])}件"], starts=has(dh[2021].t3("new_received"))))
    add(Case("鹿山2021年收到申请了吗", ["3件"], starts="有："))
    add(Case("新登有没有行政处罚", [f"{fmt(xd21.t2('penalty'))}件"], starts=has(xd21.t2("penalty"))))
    add(Case("Did Donghu have any lawsuits?", [fmt(lit["东湖"])], starts="Yes: " if lit["东湖"] else "No: "))
    add(Case("Did Lushan receive any applications?", ["3"], starts="Yes: "))
    add(Case("Did Lushan have any administrative reviews?", ["0"], starts="No: "))
    add(Case("鹿山申请超过100件吗", ["3件"], starts="否："))
    add(Case("东湖申请超过100件吗", [f"{new(dh[2021])}件"], starts="是：" if dh[2021].t3("new_received") > 100 else "否："))
    add(Case("鹿山的公开率是不是100%", ["100%"], starts="是："))
    dh_rate = (dh[2021].t3("granted") + dh[2021].t3("partial")) / dh[2021].t3("total_processed")
    add(Case("Is Donghu's disclosure rate above 10%?", [pct(dh_rate * 100, 100)], starts="Yes: " if dh_rate > 0.1 else "No: "))
    more = dh[2021].t3("new_received") > nan21.t3("new_received")
    add(Case("东湖申请比南苑多吗", [f"示范区东湖街道 {new(dh[2021])}件"], starts="是：" if more else "否："))
    add(Case("东湖申请比南苑少吗", [f"示范区南苑街道 {new(nan21)}件"], starts="否：" if more else "是："))
    add(Case("Did Donghu have more lawsuits than Nanyuan?", [fmt(lit["东湖"]), fmt(lit["南苑"])],
             starts="Yes: " if lit["东湖"] > lit["南苑"] else "No: "))
    add(Case("哪个单位主动公开最多", ["没看懂", "主动公开"], reject=["最多："], understood=False))
    add(Case("which office published the most information proactively", ["didn't understand"], reject=["Most:"],
             understood=False))
    add(Case("How many applications did Xi'an receive?", ["No office called “xian”"], reject=["Total"]))
    add(Case("西安收到多少申请", ["本群没有“西安”的报告"], reject=["合计"]))
    add(Case("鹿山和西湖比较", ["没看懂", "西湖"], understood=False))
    add(Case("Has Qingshishan's report passed validation?", ["青石山街道办事处"], starts="No — it did not pass"))
    add(Case("list the offices", ["10 office(s) here"]))
    add(Case("What offices are in this chat?", ["10 office(s) here"]))
    add(Case("都有哪些街道", ["本群10个单位中有9个街道", "示范区东湖街道"], reject=["富阳区新登镇"]))
    add(Case("有哪些乡镇", ["本群10个单位中有1个乡镇", "富阳区新登镇"], reject=["示范区东湖街道"]))
    add(Case("which townships are in this group", ["1 township(s) of 10", "富阳区新登镇"], reject=["示范区东湖街道"]))
    add(Case("东湖往年申请", [f"{y}年度 {new(r)}件" for y, r in dh.items()]))
    add(Case("鹿山报告是否有错", ["富阳区鹿山街道"], starts="否，"))
    # a summary is still the answer when the question asks for one (no word left unread)
    for q, name in (("鹿山怎么样", "富阳区鹿山街道"), ("鹿山的情况", "富阳区鹿山街道"), ("东湖2021年的数据", "示范区东湖街道")):
        add(Case(q, [name, "新收申请", "年度报告"]))
    for q, name in (("Tell me about Lushan", "富阳区鹿山街道"), ("How is Donghu doing?", "示范区东湖街道"),
                    ("Lushan's report summary", "富阳区鹿山街道")):
        add(Case(q, [name, "new applications"]))
    add(Case("What's the weather in Lushan?", ["didn't understand", "weather"], understood=False))
    add(Case("How much did Lushan proactively disclose in 2021?", ["didn't understand", "proactively"],
             reject=["granted"], understood=False))
    add(Case("Was Qingshishan's report approved?", ["青石山街道办事处"], starts="No — it did not pass"))
    add(Case("Was Donghu's report accepted?", ["示范区东湖街道"], starts="Yes — it passed"))
    add(Case("Break down Nanyuan's applications by applicant type", ["by applicant", "natural persons"]))
    add(Case("How did Donghu do in 2021 compared with 2020?", ["2021 vs 2020"]))
    add(Case("Show Donghu's applications for every year", [f"{y}: {new(r)}" for y, r in dh.items()]))
    return out

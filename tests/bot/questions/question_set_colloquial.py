"""The question set's third part: how civil servants really type — 口语, typos, 繁体, full-width, mixed languages.

Short names without 街道, with 街道办(事处), with the district or city in front, a wrong character, pinyin;
English shorthand ("lushan apps 2021"); ambiguous names that must ask back; and group chatter
(「收到」「好的谢谢」 "ok thanks") that must not be answered as a question — 「收到」 read as the 收到 row
would have answered with the chat's total. Every phrasing here is new (none is in the other two parts).

Expected numbers come from the very reports that were stored (conftest.py); ``today`` is 2022-02-15.
"""

from __future__ import annotations

from bot.report import Report
from tests.bot.questions.question_set import HONGQI_A, HONGQI_B, Case, fmt, pct

LUSHAN = "富阳区鹿山街道"
QSS = "青石山街道办事处"
DH, NY, XD, BG = "示范区东湖街道", "示范区南苑街道", "富阳区新登镇", "示范区北关街道"
NOT_UNDERSTOOD_ZH = ["没看懂"]
NOT_UNDERSTOOD_EN = ["didn't understand"]


def colloquial_cases(reports: dict[tuple[str, int], Report], city: dict[tuple[str, int], Report]) -> list[Case]:
    """Every case of the colloquial part, over the stored reports of the main chat and the city chat."""

    def r(short: str, year: int = 2021) -> Report:
        return reports[(short, year)]

    def new(short: str, year: int = 2021) -> str:
        return fmt(r(short, year).t3("new_received"))

    def lit(short: str) -> str:
        return fmt(r(short).t4("litigation_direct") + r(short).t4("litigation_after_review"))

    main21 = [k for k in reports if k[1] == 2021 and k[0] != "光明"]
    streets = [k for k in main21 if reports[k].office.kind == "街道"]
    total_new = fmt(sum(reports[k].t3("new_received") for k in main21))
    street_avg = fmt(round(sum(reports[k].t3("new_received") for k in streets) / len(streets), 1))
    third_street = sorted(streets, key=lambda k: -reports[k].t3("new_received"))[2]
    d_new = r("东湖").t3("new_received") - r("东湖", 2020).t3("new_received")
    l_new = r("鹿山", 2020).t3("new_received") - 3
    rated = [k for k in main21 if reports[k].t3("total_processed")]
    low = min(rated, key=lambda k: (reports[k].t3("granted") + reports[k].t3("partial")) / reports[k].t3("total_processed"))
    low_rate = pct(reports[low].t3("granted") + reports[low].t3("partial"), reports[low].t3("total_processed"))
    review_top = max(streets, key=lambda k: reports[k].t4("review"))

    out: list[Case] = []
    add = out.append

    # -- 口语: one office, one number -----------------------------------------------------------------
    for q in ("鹿山今年申请咋样", "鹿山那边依申请多少件", "鹿山街道办事处收到几个申请", "富阳区鹿山街道申请咋样",
              "杭州市富阳区鹿山街道申请多少", "富阳鹿山申请多少", "鹿山街道办申请多少", "鹿山　收到多少申请？",
              "鹿山，申请数？", "【鹿山】２０２１年申请数", "鹿山 申请 2021", "鹿山2021申请几件", "鹿山收到多少申請",
              "鹿山apps多少"):
        add(Case(q, ["3件", LUSHAN]))
    add(Case("鹿山的行政复议有几个", ["0件", "行政复议"]))
    add(Case("鹿山打官司几次", ["0件", "行政诉讼"]))
    add(Case("鹿山主动公开了多少规范性文件", ["规范性文件", "表2"]))
    add(Case("东湖被告了几次", [f"{lit('东湖')}件", "行政诉讼"]))  # 被告 = sued
    add(Case("东湖老百姓申请多少", [f"{fmt(r('东湖').t3('new_received', 'natural_person'))}件", "自然人"]))
    add(Case("东湖个人申请多少", [f"{fmt(r('东湖').t3('new_received', 'natural_person'))}件", "自然人"]))
    add(Case("东湖公司申请的有几件", [f"{fmt(r('东湖').t3('new_received', 'commercial'))}件", "商业企业"]))
    add(Case("东湖去年结转了多少", [f"{fmt(r('东湖').t3('carried_over'))}件", "上年结转"], reject=["结转下年度"]))
    for q in ("东湖申请多少件啊", "东湖多少个申请", "東湖申請數"):
        add(Case(q, [f"{new('东湖')}件", DH]))
    add(Case("新登鎮收到多少申請", [f"{new('新登')}件", XD]))
    add(Case("东湖怎么样", [DH, f"新收申请 {new('东湖')}件"]))

    # -- near-miss names: answered for the office guessed, and the answer says so ---------------------
    add(Case("鹿三街道申请多少", ["3件", LUSHAN], starts="按“"))
    add(Case("路山申请多少", ["3件", LUSHAN], starts="按“"))
    add(Case("donhu applications", [new("东湖"), DH], starts="(Taking"))
    add(Case("nanyaun applications", [new("南苑"), NY], starts="(Taking"))

    # -- change and history ---------------------------------------------------------------------------
    add(Case("去年跟今年比鹿山申请多了还是少了", [f"少{fmt(l_new)}件", "2020"]))
    add(Case("鹿山2021年的申请，和2020年比呢", [f"少{fmt(l_new)}件"]))
    add(Case("东湖申请比去年多还是少", [f"多{fmt(d_new)}件" if d_new > 0 else f"少{fmt(-d_new)}件"]))
    add(Case("东湖这两年申请变化", [f"{new('东湖', 2020)}件", f"{new('东湖')}件"]))
    add(Case("鹿山近几年申请", [f"{new('鹿山', 2020)}件", "3件"]))

    # -- the chat's offices: totals, averages, rankings, comparisons ---------------------------------
    add(Case("全区一共收到多少申请", [f"{total_new}件", "合计"]))
    add(Case("全区申请总数", [f"{total_new}件", "合计"]))
    add(Case("全区行政复议总数", [f"{fmt(sum(reports[k].t4('review') for k in main21))}件", "合计"]))
    add(Case("平均每个街道多少", [f"{street_avg}件", "平均", "个街道"]))
    add(Case("平均每个单位的行政处罚", [fmt(round(sum(reports[k].t2("penalty") for k in main21) / len(main21), 1)), "平均"]))
    add(Case("排前三的街道", ["前3名", reports[third_street].office.name], reject=[XD]))
    add(Case("各街道申请数排一下", ["排名", DH], reject=[XD]))
    add(Case("哪個街道申請最多", [f"{new('东湖')}件", DH], reject=[XD]))
    add(Case("哪个街道申请多", [f"{new('东湖')}件", DH, "最多"], reject=[XD]))
    add(Case("哪个街道申请少", ["最少", "0件"], reject=[XD, DH, "合计"]))
    add(Case("倒数第一是谁", ["最少", "0件"], reject=["合计"]))
    add(Case("东湖和南苑谁申请多", [f"{DH}最多", f"{new('东湖')}件", f"{new('南苑')}件"]))
    add(Case("东湖跟南苑比申请", [f"{new('东湖')}件", f"{new('南苑')}件"]))
    add(Case("东湖、南苑、新登申请一共多少",
             [f"{fmt(sum(r(k).t3('new_received') for k in ('东湖', '南苑', '新登')))}件", "合计"]))
    add(Case("新登和东湖谁被告得多", [f"{XD}最多", f"{lit('新登')}件", "行政诉讼"], reject=["本年新收"]))

    # -- status: who has (not) submitted, which reports are wrong ------------------------------------
    for q in ("还有谁没交啊", "哪些还没报", "都交齐了吗"):
        add(Case(q, [BG, "未交"], reject=[LUSHAN]))
    add(Case("交了几家了", ["9个单位"]))
    add(Case("谁交了", [LUSHAN, "已交"]))
    add(Case("名单", ["本群共10个单位", BG]))
    for q in ("哪几个街道还有错没改", "有没有报错的", "哪些报告要改", "谁的报告不合格"):
        add(Case(q, [QSS, "T3-05"], reject=[LUSHAN, BG]))
    for q in ("青石山哪里错了", "青石山咋回事"):
        add(Case(q, [QSS, "T3-05"]))

    # -- offices the chat does not have, and what no table holds -------------------------------------
    add(Case("西湖街道有几件申请", ["本群没有“西湖街道”的报告"], reject=["合计"]))
    add(Case("北关申请多少", ["还没有收到示范区北关街道的报告"]))
    add(Case("东湖罚款多少", NOT_UNDERSTOOD_ZH, understood=False))  # 表2 counts decisions, never the fines' sum
    add(Case("鹿山没公开的有几件", NOT_UNDERSTOOD_ZH, understood=False))  # 不予公开? or all but 予以公开? ask

    # -- ambiguous: two 红旗 — ask back, never guess --------------------------------------------------
    for q in ("红旗那边申请多少", "红旗有错吗", "红旗交了吗", "红旗街道的复议", "hongqi lawsuits"):
        add(Case(q, choices=[HONGQI_A, HONGQI_B]))

    # -- English shorthand ----------------------------------------------------------------------------
    for q in ("lushan apps 2021", "lushan apps last yr", "LuShan applications?", "Lushan St. requests 2021"):
        add(Case(q, ["3", LUSHAN]))
    add(Case("appeals for Lushan", ["0", "Table 4"]))
    add(Case("how many apps did donghu get", [new("东湖"), DH]))
    add(Case("东湖 applications", [new("东湖"), DH], lang="en"))
    add(Case("donghu apps vs last year", [fmt(abs(d_new)), "2020"]))
    add(Case("how many times was donghu sued", [lit("东湖"), "lawsuits"]))
    add(Case("xindeng got sued how many times", [lit("新登"), "lawsuits"]))
    add(Case("who got sued the most", [XD, lit("新登")]))
    add(Case("which street got the most requests last year", [new("东湖"), DH], reject=[XD]))
    add(Case("which street had the fewest requests", ["Fewest", "0"], reject=[XD, DH]))
    add(Case("lowest disclosure rate", [reports[low].office.name, low_rate]))
    add(Case("哪个街道appeals最多", [reports[review_top].office.name, f"{fmt(reports[review_top].t4('review'))}件"]))
    add(Case("bottom 3", ["Bottom 3"]))
    add(Case("rank streets by requests", ["Ranking", DH], reject=[XD]))
    add(Case("total lawsuits", [fmt(sum(reports[k].t4("litigation_direct") + reports[k].t4("litigation_after_review")
                                        for k in main21)), "Total"]))
    add(Case("avg lawsuits per office", ["Average"]))
    add(Case("how many reports so far", ["9 office"]))
    add(Case("list offices with errors", [QSS, "T3-05"], reject=[LUSHAN]))
    add(Case("is qingshishan ok", [QSS], starts="No — it did not pass"))
    add(Case("whats wrong with qingshishan", [QSS, "T3-05"]))
    add(Case("donghu summary", [DH, f"new applications {new('东湖')}"]))
    for q in ("who still needs to submit", "who's late"):
        add(Case(q, [BG, "not submitted"]))

    # -- a second sweep: 输了 (lost = 结果纠正), 没办完, 为0/等于, 报上来了吗, "who" lists ------------------
    dh = r("东湖")
    add(Case("东湖复议输了几个", [f"{fmt(dh.t4('review', 'corrected'))}件", "结果纠正"]))
    add(Case("东湖打官司输了几次", [f"{fmt(dh.t4('litigation_direct', 'corrected') + dh.t4('litigation_after_review', 'corrected'))}件",
                                  "行政诉讼", "结果纠正"]))
    add(Case("东湖输了几次", NOT_UNDERSTOOD_ZH, understood=False))  # 复议 or 诉讼? never guess
    add(Case("东湖发了几个规范性文件", [f"{fmt(dh.t2('normative_documents', 'issued'))}件", "本年制发"]))
    add(Case("东湖还有多少没办完", [f"{fmt(dh.t3('carried_forward'))}件", "结转下年度"]))
    add(Case("东湖信息不存在多少", [f"{fmt(dh.t3('unable_not_held'))}件", "不掌握"]))
    zero_streets = [k for k in streets if reports[k].t3("new_received") == 0]
    add(Case("哪些街道没收到申请", [f"{len(streets)}个街道中{len(zero_streets)}个为0", QSS], reject=["合计", DH]))
    add(Case("公开率100%的有哪些", ["1个等于100%", LUSHAN], reject=["合计口径", DH]))
    no_review = [k for k in main21 if reports[k].t4("review") == 0]
    add(Case("复议为0件的单位有哪些", [f"{len(no_review)}个等于0件", LUSHAN], reject=["合计"]))
    add(Case("北关啥时候交", ["未收到示范区北关街道的2021年度报告"]))
    add(Case("鹿山报上来了吗", ["已交", LUSHAN]))
    add(Case("鹿山的年报收到没有", ["已交", LUSHAN], reject=["3件"]))
    add(Case(f"东湖公开率是不是{pct(dh.t3('granted') + dh.t3('partial'), dh.t3('total_processed'))}", [], starts="是："))
    add(Case("哪些单位的报告收到了", ["已交9个", LUSHAN], reject=["合计"]))
    add(Case("谁被告输了", ["排名", "结果纠正", XD], reject=["合计"]))
    add(Case("哪些单位有行政复议", ["排名", "行政复议"], reject=["合计"]))
    add(Case("which offices had lawsuits", ["Ranking", XD], reject=["Total"]))

    # -- group chatter: not a question, never a number ------------------------------------------------
    for q in ("今天中午吃啥", "收到", "好的谢谢", "收到，谢谢", "好的", "明天开会", "大家辛苦了", "上面那个呢", "👍", "谢谢大家",
              "收到了吗"):
        add(Case(q, reject=["合计", "件"], understood=False))
    add(Case("好的，鹿山申请多少", ["3件", LUSHAN]))  # an acknowledgement in front of a real question
    add(Case("收到多少", [f"{total_new}件", "合计"]))  # 收到 with 多少 is the row, over the whole chat
    for q in ("ok thanks", "thx", "got it", "see you tomorrow", "meeting at 3pm", "lunch?"):
        add(Case(q, reject=["Total", "No office called"], understood=False))
    out += _city(city)
    return out


def _city(city: dict[tuple[str, int], Report]) -> list[Case]:
    """The city chat: 临安 names three streets (ask back, or sum them), 玲珑's report has errors (warn),
    平潭 alone filed for 2023 (a question about 街道 must not be answered from 2023)."""
    linan = ("玲珑", "锦城", "青山湖")
    names = {k: f"临安区{k}街道" for k in linan}
    new = {k: fmt(city[(k, 2021)].t3("new_received")) for k in linan}
    top = max(linan, key=lambda k: city[(k, 2021)].t3("new_received"))
    total = fmt(sum(city[(k, 2021)].t3("new_received") for k in linan))
    warn = "校验有错误"
    out: list[Case] = []
    add = out.append
    add(Case("临安申请多少", choices=list(names.values()), chat="city"))
    add(Case("临安那几个街道申请一共多少", [f"{total}件", "合计", names["玲珑"], warn], chat="city"))
    add(Case("linan apps total", [total, "Total", "validation errors"], chat="city"))
    add(Case("街道里谁的申请最多啊", [f"{new[top]}件", names[top], "2021年度"], reject=["平潭", "2023"], chat="city"))
    add(Case("街道申请平均多少", ["平均", "2021年度", "3个街道"], reject=["平潭"], chat="city"))
    add(Case("玲珑申请多少", [f"{new['玲珑']}件", "校验有2处错误"], chat="city"))
    add(Case("玲龙申请多少", [f"{new['玲珑']}件", "校验有2处错误"], starts="按“", chat="city"))
    add(Case("市政府办公厅申请多少", choices=["上海市人民政府办公厅", "杭州市人民政府办公厅"], chat="city"))
    add(Case("上海市政府申请多少", [f"{fmt(city[('上海市政府办公厅', 2021)].t3('new_received'))}件", "上海市人民政府办公厅"],
             chat="city"))
    add(Case("平潭今年申请", [f"{fmt(city[('平潭', 2021)].t3('new_received'))}件", "2021年度"], chat="city"))
    add(Case("平潭23年申请", [f"{fmt(city[('平潭', 2023)].t3('new_received'))}件", "2023年度"], chat="city"))
    return out

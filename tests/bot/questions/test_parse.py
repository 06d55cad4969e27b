"""``parse_question`` alone (pure): offices, metrics, years, aggregates, status kinds, language."""

from __future__ import annotations

from datetime import date

import pytest

from bot.questions import parse_question
from bot.questions.parse import report_year_now
from storage.types import OfficeInfo

LUSHAN = OfficeInfo(1, "富阳区鹿山街道", "鹿山", "街道", "富阳区", ["鹿山办"])
QSS = OfficeInfo(2, "青石山街道办事处", "青石山", "街道", "", [])
SNL = OfficeInfo(3, "道外区水泥路街道办事处", "水泥路", "街道", "道外区", [])
HQ_A = OfficeInfo(4, "铁岭市银州区红旗街", "红旗", "街道", "铁岭市银州区", [])
HQ_B = OfficeInfo(5, "示范区红旗街道", "红旗", "街道", "示范区", [])
XD = OfficeInfo(6, "富阳区新登镇", "新登", "乡镇", "富阳区", [])
OFFICES = [LUSHAN, QSS, SNL, HQ_A, HQ_B, XD]
FEB = date(2022, 2, 15)
NOV = date(2022, 11, 20)


def parse(text: str, today: date = FEB):
    return parse_question(text, offices=OFFICES, today=today)


@pytest.mark.parametrize(
    "text",
    ["富阳区鹿山街道收到多少申请", "鹿山收到多少申请", "鹿山街道收到多少申请", "鹿山办收到多少申请",
     "鹿善街道收到多少申请", "Lushan applications", "lu shan applications", "LUSHAN applications",
     "How many applications did lushna receive?", "鹿山街道办事处申请数"],
)
def test_office_by_name_short_alias_pinyin_or_typo(text: str) -> None:
    query = parse(text)
    assert [o.id for o in query.offices] == [LUSHAN.id], text
    assert query.metric is not None and query.metric.key == "t3.new_received.total"


def test_two_offices_with_the_same_short_name_ask_back_in_both_languages() -> None:
    for text in ("红旗申请多少", "How many applications did Hongqi receive?"):
        query = parse(text)
        assert query.kind == "choose"
        assert {o.id for o in query.choices} == {HQ_A.id, HQ_B.id}
        assert not query.offices


def test_full_name_or_region_settles_a_shared_short_name() -> None:
    assert [o.id for o in parse("示范区红旗街道 红旗申请多少").offices] == [HQ_B.id]
    assert [o.id for o in parse("铁岭红旗街申请多少").offices] == [HQ_A.id]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("鹿山新收申请", "t3.new_received.total"),
        ("鹿山受理了几件", "t3.new_received.total"),
        ("鹿山企业申请多少", "t3.new_received.commercial"),
        ("鹿山科研机构申请", "t3.new_received.research"),
        ("鹿山社会公益组织申请", "t3.new_received.social_welfare"),
        ("鹿山法律服务机构申请", "t3.new_received.legal_services"),
        ("鹿山自然人申请", "t3.new_received.natural_person"),
        ("鹿山上年结转多少", "t3.carried_over.total"),
        ("鹿山结转下年度多少", "t3.carried_forward.total"),
        ("鹿山予以公开", "t3.granted.total"),
        ("鹿山部分公开", "t3.partial.total"),
        ("鹿山不予公开合计", "t3.g:deny.total"),
        ("鹿山属于国家秘密的", "t3.deny_state_secret.total"),
        ("鹿山过程性信息不予公开", "t3.deny_process.total"),
        ("鹿山无法提供", "t3.g:unable.total"),
        ("鹿山本机关不掌握相关政府信息", "t3.unable_not_held.total"),
        ("鹿山不予处理", "t3.g:noproc.total"),
        ("鹿山重复申请", "t3.noproc_repeat.total"),
        ("鹿山其他处理", "t3.g:other.total"),
        ("鹿山逾期不补正", "t3.other_no_correction.total"),
        ("鹿山办结多少", "t3.total_processed.total"),
        ("鹿山受理合计", "t3.received_total.total"),
        ("鹿山公开率", "rate.disclosure.total"),
        ("鹿山复议纠错率", "rate.correction.review"),
        ("鹿山行政复议", "t4.review.total"),
        ("鹿山复议维持", "t4.review.upheld"),
        ("鹿山行政诉讼", "t4.*litigation.total"),
        ("鹿山诉讼纠正", "t4.*litigation.corrected"),
        ("鹿山复议后起诉", "t4.litigation_after_review.total"),
        ("鹿山直接起诉尚未审结", "t4.litigation_direct.pending"),
        ("鹿山行政许可", "t2.licensing"),
        ("鹿山行政处罚", "t2.penalty"),
        ("鹿山行政强制", "t2.enforcement"),
        ("鹿山收费", "t2.fees_10k_yuan"),
        ("鹿山规范性文件制发", "t2.normative_documents.issued"),
        ("鹿山规章废止", "t2.regulations.repealed"),
        ("Lushan new applications", "t3.new_received.total"),
        ("Lushan applications from companies", "t3.new_received.commercial"),
        ("Lushan carried over from last year", "t3.carried_over.total"),
        ("Lushan carried forward", "t3.carried_forward.total"),
        ("Lushan granted in full", "t3.granted.total"),
        ("Lushan partially granted", "t3.partial.total"),
        ("Lushan refusals", "t3.g:deny.total"),
        ("Lushan refused for third-party rights", "t3.deny_third_party.total"),
        ("Lushan unable to provide", "t3.g:unable.total"),
        ("Lushan repeated requests", "t3.noproc_repeat.total"),
        ("Lushan processed", "t3.total_processed.total"),
        ("Lushan disclosure rate", "rate.disclosure.total"),
        ("Lushan review correction rate", "rate.correction.review"),
        ("Lushan reviews upheld", "t4.review.upheld"),
        ("Lushan lawsuits", "t4.*litigation.total"),
        ("Lushan lawsuits pending", "t4.*litigation.pending"),
        ("Lushan licensing decisions", "t2.licensing"),
        ("Lushan penalties", "t2.penalty"),
        ("Lushan normative documents in force", "t2.normative_documents.in_force"),
    ],
)
def test_metric_vocabulary(text: str, key: str) -> None:
    query = parse(text)
    assert query.metric is not None, text
    assert query.metric.key == key
    assert query.kind == "value"


def test_carried_over_is_a_row_not_a_year_or_a_change() -> None:
    for text in ("鹿山上年结转多少", "Lushan carried over from last year"):
        query = parse(text)
        assert query.kind == "value" and query.year is None
        assert query.metric.key == "t3.carried_over.total"


@pytest.mark.parametrize(
    ("text", "today", "year"),
    [
        ("鹿山2021年申请", FEB, 2021),
        ("鹿山２０２０年申请", FEB, 2020),
        ("鹿山21年申请", FEB, 2021),
        ("鹿山去年申请", FEB, 2021),
        ("鹿山前年申请", FEB, 2020),
        ("鹿山今年申请", FEB, 2021),  # filing season: 今年 = the report being filed
        ("鹿山今年申请", NOV, 2022),
        ("Lushan applications last year", NOV, 2021),
        ("Lushan applications in 2019", NOV, 2019),
        ("Lushan applications this year", FEB, 2021),
        ("鹿山申请", FEB, None),
    ],
)
def test_years(text: str, today: date, year: int | None) -> None:
    assert parse(text, today).year == year


def test_report_year_rule_and_submission_years() -> None:
    assert report_year_now(date(2023, 3, 31)) == 2022
    assert report_year_now(date(2023, 4, 1)) == 2023
    # who-has-not-submitted: 今年 is the report due this calendar year, all year round
    assert parse("今年谁还没交年报", NOV).year == 2021
    assert parse("今年谁还没交年报", FEB).year == 2021
    assert parse("谁还没交年报", FEB).year is None  # executor: the due year
    # in December the report being filed is this year's (as /deadline shows)
    assert parse("今年谁还没交年报", date(2022, 12, 5)).year == 2022


@pytest.mark.parametrize(
    ("text", "aggregate", "top_n"),
    [
        ("哪个街道申请最多", "max", None),
        ("which office had the most applications", "max", None),
        ("哪个单位行政许可最少", "min", None),
        ("which office had the fewest penalties", "min", None),
        ("申请数前三名", "top", 3),
        ("top 5 offices by applications", "top", 5),
        ("倒数2名", "bottom", 2),
        ("行政处罚排名", "rank", None),
        ("rank offices by lawsuits", "rank", None),
        ("平均公开率", "avg", None),
        ("average applications", "avg", None),
        ("所有单位一共收到多少申请", "sum", None),
        ("total applications", "sum", None),
    ],
)
def test_aggregates(text: str, aggregate: str, top_n: int | None) -> None:
    query = parse(text)
    assert query.kind == "aggregate", text
    assert query.aggregate == aggregate
    assert query.top_n == top_n


def test_compare_change_and_named_sum() -> None:
    query = parse("鹿山和青石山比较")
    assert query.kind == "compare" and [o.id for o in query.offices] == [LUSHAN.id, QSS.id]
    assert query.metric.key == "t3.new_received.total"
    assert parse("compare Lushan and Qingshishan lawsuits").kind == "compare"
    change = parse("鹿山申请比去年多了多少")
    assert change.kind == "change" and change.year is None and change.base_year is None
    assert parse("How did Lushan's applications change from last year?").kind == "change"
    two_years = parse("鹿山2020年和2021年申请比较")
    assert (two_years.kind, two_years.base_year, two_years.year) == ("change", 2020, 2021)
    together = parse("鹿山和青石山一共收到多少申请")
    assert (together.kind, together.aggregate, len(together.offices)) == ("aggregate", "sum", 2)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("哪些报告有错误", "errors"),
        ("Which reports failed validation?", "errors"),
        ("青石山的报告有什么问题", "findings"),
        ("What is wrong with Qingshishan's report?", "findings"),
        ("今年谁还没交年报", "missing"),
        ("who has not submitted yet", "missing"),
        ("哪些单位已经交了", "submitted"),
        ("how many offices reported", "count"),
        ("收到了几份报告", "count"),
        ("鹿山", "overview"),
        ("Lushan 2021", "overview"),
    ],
)
def test_status_kinds(text: str, kind: str) -> None:
    assert parse(text).kind == kind


@pytest.mark.parametrize("text", ["天气怎么样", "what's the weather", "", "？？？"])
def test_not_understood(text: str) -> None:
    assert parse(text).kind == "unknown"
    assert not parse(text).understood


@pytest.mark.parametrize(
    ("text", "lang"),
    [("鹿山申请多少", "zh"), ("Lushan applications", "en"), ("How many applications did 鹿山 get?", "en"),
     ("lushan申请多少", "zh"), ("Lushan", "en"), ("鹿山", "zh"), ("hello", "en"), ("你好", "zh")],
)
def test_language(text: str, lang: str) -> None:
    assert parse(text).lang == lang


def test_parser_is_pure_and_deterministic() -> None:
    first = parse("鹿山2021年予以公开多少件")
    second = parse("鹿山2021年予以公开多少件")
    assert (first.kind, first.metric, first.year, [o.id for o in first.offices]) == (
        second.kind, second.metric, second.year, [o.id for o in second.offices])


TRAPS = [OfficeInfo(100 + i, name, short, "乡镇", "", []) for i, (name, short) in enumerate([
    ("微山县南堡镇", "南堡"),  # nanbao ≈ 年报 nianbao
    ("微山县申青乡", "申青"),  # shenqing = 申请
    ("微山县措武乡", "措武"),  # cuowu = 错误
    ("微山县排明镇", "排明"),  # paiming = 排名
    ("微山县何记镇", "何记"),  # heji = 合计
])]


@pytest.mark.parametrize(
    "text",
    ["今年谁还没交年报", "哪个街道申请最多", "所有单位一共收到多少申请", "各单位行政处罚排名", "行政复议合计多少件",
     "哪些报告有错误", "which office had the most applications", "who has not submitted yet"],
)
def test_question_words_never_fuzzy_match_an_office(text: str) -> None:
    query = parse_question(text, offices=OFFICES + TRAPS, today=FEB)
    assert query.offices == [] and query.choices == [], [o.name for o in query.offices]


def test_threshold_share_kind_filter_and_traditional_characters() -> None:
    over = parse("申请超过2000件的单位")
    assert (over.kind, over.aggregate, over.threshold, over.year) == ("aggregate", "threshold", (">", 2000.0), None)
    assert parse("行政处罚200件以上的有哪些").threshold == (">=", 200.0)
    assert parse("公开率低于10%的单位").threshold == ("<", 0.1)
    assert parse("鹿山自然人申请占比").metric.key == "share.new_received.natural_person"
    assert parse("鹿山不予公开占比").metric.key == "share.g:deny"
    assert parse("哪个乡镇申请最多").office_kind == "乡镇"
    assert parse("which subdistrict had the most applications").office_kind == "街道"
    assert parse("哪个单位申请最多").office_kind is None
    assert parse("鹿山申請多少").metric.key == "t3.new_received.total"
    assert parse("鹿山二〇二〇年申请").year == 2020
    since = parse("鹿山2019年以来申请变化")
    assert (since.kind, since.base_year, since.year) == ("change", 2019, None)
    assert parse("有哪些单位").kind == "offices"
    assert parse("西湖街道申请多少").kind == "no_office"
    assert parse("鹿山交了没有").kind == "submitted_one"
    assert parse("鹿山的申请是哪里来的").kind == "breakdown"


@pytest.mark.parametrize(("text", "name"), [
    ("鹿山收到多少申请", "鹿山"), ("鹿山办结多少", "鹿山"), ("how many applications did 鹿山 get", "鹿山"),
    ("how many applications did lushan get", "lushan"), ("lushan's applications", "lushan"),
    ("鹿山有什么问题", "鹿山"), ("what is wrong with lushan's report", "lushan"),
    ("lushan applications", "lushan"), ("how many applications in lushan", "lushan"),
])
def test_a_bare_name_not_in_the_chat_is_no_office_not_the_chat_total(text: str, name: str) -> None:
    # 「鹿山」 is no dictionary word (jieba guesses it, tagged nr): with only 青石山 stored, the answer
    # must say there is no 鹿山 here, not give 青石山's numbers as the chat's total.
    query = parse_question(text, offices=[QSS, SNL], today=FEB)
    assert (query.kind, query.unknown_name) == ("no_office", name), text


def test_question_words_without_a_name_still_ask_the_whole_chat() -> None:
    for text in ("哪些报告有错误", "所有单位的问题"):
        assert parse_question(text, offices=[QSS, SNL], today=FEB).kind == "errors", text
    for text in ("今年一共收到多少申请", "全区收到多少申请", "收到多少申请", "申请最多的是哪个",
                 "how many applications did we get", "how many applications did you get",
                 "how many pending applications", "how many applications in total"):
        query = parse_question(text, offices=[QSS, SNL], today=FEB)
        assert query.kind == "aggregate" and not query.unknown_name, text


@pytest.mark.parametrize(("text", "lang"), [
    ("你好", "zh"), ("您好！", "zh"), ("帮助", "zh"), ("怎么用？", "zh"), ("在吗", "zh"), ("你能做什么", "zh"),
    ("help", "en"), ("Hello!", "en"), ("hi there", "en"), ("what can you do?", "en"),
])
def test_a_greeting_or_a_plea_for_help_is_hello(text: str, lang: str) -> None:
    assert (parse(text).kind, parse(text).lang) == ("hello", lang)


@pytest.mark.parametrize("text", ["你好，鹿山收到多少申请", "help me find lushan applications", "帮助中心申请多少"])
def test_a_question_after_a_greeting_is_still_the_question(text: str) -> None:
    assert parse(text).kind != "hello"


# -- issue 24: shapes of their own ---------------------------------------------------------------------

SHANGHAI = OfficeInfo(7, "上海市人民政府办公厅", "上海市政府办公厅", "部门", "上海市", [])


@pytest.mark.parametrize(
    ("text", "kind"),
    [("鹿山历年申请", "history"), ("鹿山这三年的申请", "history"), ("Lushan applications over the years", "history"),
     ("鹿山2021年和2020年比较", "years"), ("Compare Lushan 2020 and 2021", "years"),
     ("鹿山2021年和2020年申请比较", "change"), ("水泥路的申请人是哪些类型", "breakdown"),
     ("鹿山的申请都来自哪里", "breakdown"), ("本群有哪些单位", "offices"), ("which offices are in this group", "offices"),
     ("鹿山2021年主动公开多少", "unknown"), ("鹿山的主任是谁", "unknown"), ("鹿山", "overview")],
)
def test_question_shapes(text: str, kind: str) -> None:
    assert parse(text).kind == kind, text


@pytest.mark.parametrize(("text", "shape"), [("青石山的报告合格吗", "pass"), ("Did Qingshishan's report pass?", "pass"),
                                             ("青石山的报告是不是合格的", "pass"), ("青石山报告有错误吗", "errors"),
                                             ("Does Qingshishan's report have any errors?", "errors"),
                                             ("青石山的报告有什么问题", "")])
def test_yes_no_about_the_verdict(text: str, shape: str) -> None:
    query = parse(text)
    assert (query.kind, query.yes_no) == ("findings", shape)


def test_part_of_a_name_picks_the_office_and_a_near_miss_is_marked_as_guessed() -> None:
    offices = [*OFFICES, SHANGHAI]
    for text in ("上海收到多少申请", "上海的报告合格吗", "Shanghai applications"):
        query = parse_question(text, offices=offices, today=FEB)
        assert [o.id for o in query.offices] == [SHANGHAI.id] and not query.guessed, text
    assert {o.id for o in parse("富阳区收到多少申请").choices} == {LUSHAN.id, XD.id}  # in two names: ask back
    for text in ("六山收到多少申请", "鹿三收到多少申请", "清石山申请多少"):
        query = parse(text)
        assert query.guessed and len(query.offices) == 1, text
    assert not parse("鹿山收到多少申请").guessed


@pytest.mark.parametrize(
    ("text", "threshold"),
    [("鹿山有没有行政复议", None), ("Did Lushan have any lawsuits?", None), ("鹿山申请超过100件吗", (">", 100.0)),
     ("鹿山的公开率是不是100%", ("=", 1.0)), ("Is Lushan's disclosure rate above 10%?", (">", 0.1))],
)
def test_yes_no_about_a_number(text: str, threshold: tuple | None) -> None:
    query = parse(text)
    assert (query.kind, query.yes_no, query.threshold) == ("value", "value", threshold), text


def test_a_question_for_a_number_is_no_yes_no() -> None:
    for text in ("鹿山收到多少申请", "How many lawsuits did Lushan have?", "鹿山申请数"):
        assert parse(text).yes_no == "", text

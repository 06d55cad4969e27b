"""``answer`` end to end on SQLite and PostgreSQL: reports stored with the repository, questions asked.

Every test builds its own small workspace with factory reports (non-zero numbers) and checks the key
number, office, year and notes in the reply text, in Chinese and English.
"""

from __future__ import annotations

from datetime import date

from bot.questions import answer
from bot.report import Value
from bot.validation import validate
from storage import repo
from tests.support.factories import make_report

CHAT = -4242
TODAY = date(2022, 2, 15)


async def _store(db, report, chat: int = CHAT):
    validate(report)
    return await repo.store_report(db, chat_id=chat, report=report)


async def _workspace(db) -> dict[str, object]:
    lushan = make_report(1, office="富阳区鹿山街道", short_name="鹿山", year=2021)
    lushan_2020 = make_report(2, office="富阳区鹿山街道", short_name="鹿山", year=2020)
    donghu = make_report(3, office="示范区东湖街道", short_name="东湖", year=2021)
    blank = make_report(4, office="青石山街道办事处", short_name="青石山", year=2021)
    blank.applications["granted"][6] = Value(None, "")  # 予以公开·总计 left blank: T3-05 error
    for report in (lushan, lushan_2020, donghu, blank):
        await _store(db, report)
    await repo.roster_add(db, chat_id=CHAT, name="示范区北关街道", kind="街道")
    return {"lushan": lushan, "lushan_2020": lushan_2020, "donghu": donghu, "blank": blank}


async def ask(db, text: str, chat: int = CHAT):
    return await answer(db, chat_id=chat, text=text, today=TODAY)


async def test_value_number_first_then_office_year_and_place(db) -> None:
    data = await _workspace(db)
    n = int(data["lushan"].t3("new_received"))
    zh = await ask(db, "鹿山2021年收到多少申请？")
    assert zh.lang == "zh" and zh.understood and not zh.choices
    first, second = zh.text.splitlines()[:2]
    assert first == f"{n}件"
    assert "富阳区鹿山街道" in second and "2021" in second and "表3 本年新收·总计" in second
    en = await ask(db, "How many applications did Lushan receive in 2021?")
    assert en.lang == "en"
    assert en.text.splitlines()[0] == str(n)
    assert "富阳区鹿山街道" in en.text and "Table 3" in en.text


async def test_pinyin_alias_and_typo_reach_the_same_number(db) -> None:
    data = await _workspace(db)
    n = str(int(data["donghu"].t3("granted")))
    for text in ("东湖予以公开多少", "Donghu granted in full", "dong hu granted"):
        reply = await ask(db, text)
        assert reply.text.splitlines()[0].removesuffix("件") == n, text
        assert "示范区东湖街道" in reply.text
    guess = await ask(db, "东胡予以公开多少")  # a near miss: answered, and it says for whom
    first, number = guess.text.splitlines()[:2]
    assert first == "按“示范区东湖街道”回答："
    assert number.removesuffix("件") == n


async def test_blank_cell_is_said_to_be_blank_not_zero_with_the_error_note(db) -> None:
    await _workspace(db)
    zh = await ask(db, "青石山予以公开多少")
    assert zh.text.startswith("空白")
    assert "不等于0" in zh.text and "0件" not in zh.text
    assert "错误" in zh.text  # the report failed validation (T3-05)
    en = await ask(db, "How many did Qingshishan grant in full?")
    assert en.text.startswith("blank") and "not 0" in en.text and "error" in en.text


async def test_missing_report_is_not_zero(db) -> None:
    await _workspace(db)
    zh = await ask(db, "鹿山2022年收到多少申请")
    assert zh.text.startswith("未收到富阳区鹿山街道的2022年度报告")
    en = await ask(db, "Lushan applications in 2022")
    assert en.text.startswith("No report from 富阳区鹿山街道") and "2022" in en.text


async def test_ambiguous_office_asks_back_with_choices(db) -> None:
    await _workspace(db)
    await _store(db, make_report(5, office="铁岭市银州区红旗街", short_name="红旗", year=2021))
    await _store(db, make_report(6, office="示范区红旗街道", short_name="红旗", year=2021))
    for text in ("红旗申请多少", "Hongqi applications"):
        reply = await ask(db, text)
        assert reply.understood
        assert sorted(reply.choices) == ["示范区红旗街道", "铁岭市银州区红旗街"]
    picked = await ask(db, "示范区红旗街道 红旗申请多少")  # the handler re-asks with the full name
    assert not picked.choices and "示范区红旗街道" in picked.text


async def test_not_understood_gives_three_examples(db) -> None:
    await _workspace(db)
    zh = await ask(db, "今天天气怎么样")
    assert not zh.understood and zh.lang == "zh"
    assert zh.text.count("•") == 3
    en = await ask(db, "what's the weather like")
    assert not en.understood and en.lang == "en" and en.text.count("•") == 3


async def test_aggregates_most_total_and_top(db) -> None:
    data = await _workspace(db)
    reports_2021 = [data["lushan"], data["donghu"], data["blank"]]
    best = max(reports_2021, key=lambda r: r.t3("new_received"))
    most = await ask(db, "哪个街道申请最多")
    assert most.text.startswith(best.office.name)
    assert f"{int(best.t3('new_received'))}件" in most.text
    total = int(sum(r.t3("new_received") for r in reports_2021))
    assert f"合计 {total}件" in (await ask(db, "所有单位一共收到多少申请")).text
    assert f"Total: {total}" in (await ask(db, "How many applications in total?")).text
    top = await ask(db, "top 2 offices by applications")
    assert top.text.startswith("Top 2") and best.office.name in top.text


async def test_change_against_last_year(db) -> None:
    data = await _workspace(db)
    now, before = data["lushan"].t3("new_received"), data["lushan_2020"].t3("new_received")
    diff = int(abs(now - before))
    zh = await ask(db, "鹿山申请比去年多了多少")
    word = "多" if now > before else "少"
    assert zh.text.startswith(f"比2020年度{word}{diff}件")
    en = await ask(db, "How did Lushan's applications change from last year?")
    assert en.text.startswith("Up" if now > before else "Down") and str(diff) in en.text


async def test_status_errors_findings_and_missing(db) -> None:
    await _workspace(db)
    errors = await ask(db, "哪些报告有错误")
    assert "青石山街道办事处" in errors.text and "T3-05" in errors.text
    assert "富阳区鹿山街道" not in errors.text
    findings = await ask(db, "What is wrong with Qingshishan's report?")
    assert "T3-05" in findings.text and findings.lang == "en"
    missing = await ask(db, "今年谁还没交年报")
    assert "示范区北关街道" in missing.text and "2021" in missing.text
    assert "富阳区鹿山街道" not in missing.text
    assert "示范区北关街道" in (await ask(db, "who has not submitted yet")).text
    # in December the chase is for this year's report, the one /deadline shows: nobody has sent it yet
    december = await answer(db, chat_id=CHAT, text="谁还没交年报", today=date(2022, 12, 5))
    assert december.text.startswith("2022年度") and "已交0个；1月31日截止，还有57天" in december.text
    late = await answer(db, chat_id=CHAT, text="2022年谁还没交", today=date(2023, 2, 3))
    assert "已逾期3天" in late.text
    assert "1月31日截止，已逾期15天" in missing.text  # asked on 2022-02-15 about 2021's reports
    old = await answer(db, chat_id=CHAT, text="2021年谁还没交", today=date(2022, 6, 1))
    assert "截止" not in old.text  # months later the date is history, not news


async def test_hello_says_what_the_bot_does_with_this_chats_names(db) -> None:
    await _workspace(db)
    zh = await ask(db, "你好")
    assert zh.understood and zh.text.startswith("您好！我是年报助手") and "/help" in zh.text
    assert "2021年收到多少申请" in zh.text  # an example that works here
    en = await ask(db, "help")
    assert en.lang == "en" and en.text.startswith("Hello! I'm nianbao") and "/help" in en.text


async def test_empty_chat_and_failures_never_raise(db) -> None:
    reply = await ask(db, "哪个街道申请最多", chat=-1)
    assert reply.text == "还没有收到任何报告。"

    class Broken:
        pass

    broken = await answer(Broken(), chat_id=CHAT, text="鹿山申请多少", today=TODAY)
    assert broken.text.startswith("抱歉") and "Traceback" not in broken.text


async def test_an_office_whose_first_report_just_arrived_is_found_despite_the_cache(db) -> None:
    await _workspace(db)
    assert (await ask(db, "鹿山申请多少")).understood  # fills the office cache for the chat
    fresh = make_report(9, office="示范区南苑街道", short_name="南苑", year=2021)
    await _store(db, fresh)
    reply = await ask(db, "南苑申请多少")
    assert reply.text.splitlines()[0] == f"{int(fresh.t3('new_received'))}件"
    assert "示范区南苑街道" in reply.text


async def test_forget_offices_makes_a_rename_visible_at_once(db) -> None:
    from bot.questions import forget_offices

    await _workspace(db)
    assert "示范区东湖街道" in (await ask(db, "东湖申请多少")).text
    office = next(o for o in await repo.find_offices(db, chat_id=CHAT) if o.name == "示范区东湖街道")
    await repo.rename_office(db, office_id=office.id, new_name="示范区东湖新街道")
    forget_offices(CHAT)
    assert "示范区东湖新街道" in (await ask(db, "东湖申请多少")).text


async def test_a_kind_the_chat_does_not_hold_is_said_not_silently_dropped(db) -> None:
    office = make_report(5, office="上海市人民政府办公厅", short_name="市政府办公厅", kind="部门", year=2021)
    town = make_report(6, office="富阳区新登镇", short_name="新登", kind="乡镇", year=2021)
    for report in (office, town):
        await _store(db, report, chat=-77)
    only_towns = await ask(db, "哪个乡镇申请最多", chat=-77)
    assert only_towns.text.startswith("富阳区新登镇") and "共1个乡镇" in only_towns.text
    streets = await ask(db, "哪个街道申请最多", chat=-77)  # none here: all offices, and it says so
    assert "没有街道的报告" in streets.text and "共2个单位" in streets.text
    en = await ask(db, "which subdistrict had the most applications", chat=-77)
    assert "no subdistrict report for 2021" in en.text


async def test_has_it_been_sent_is_a_reminder_before_the_deadline_and_a_cross_after(db) -> None:
    await _workspace(db)  # 北关 is on the roster and has sent nothing
    december = await answer(db, chat_id=CHAT, text="北关交了吗", today=date(2022, 12, 5))
    assert december.text.startswith("⏳ 未收到示范区北关街道的2022年度报告") and "2023年1月31日" in december.text
    january = await answer(db, chat_id=CHAT, text="北关交了吗", today=date(2023, 1, 31))
    assert january.text.startswith("⏳")  # the last day still counts
    february = await answer(db, chat_id=CHAT, text="北关交了吗", today=date(2023, 2, 1))
    assert february.text.startswith("❌ 未收到示范区北关街道的2022年度报告")
    en = await answer(db, chat_id=CHAT, text="has beiguan submitted", today=date(2022, 12, 5))
    assert en.text.startswith("⏳") and "Due 2023-01-31" in en.text

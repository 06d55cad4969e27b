"""The 整改通知 from real stored reports, opened again with python-docx."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date

import pytest
from docx import Document

from bot.deadlines.ladder import KIND_CUSTOM
from bot.documents import NoDocument, notice_file
from bot.documents.collect import collect_office
from bot.documents.notice import Due, build_notice, quoted_location, resubmit_by, split_advice
from bot.report import Heading, Report, Source
from bot.review.states import CONFIRMED, DISMISSED
from storage import obligations, reminders, repo
from tests.bot.documents.conftest import CHAT, ruling

TODAY = date(2022, 2, 10)


def text_of(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)


async def test_notice_lists_each_error_with_its_cell_numbers_change_and_deadline(filed) -> None:
    file = await notice_file(filed, chat_id=CHAT, name="鹿山", issuer="某区政务公开办", today=TODAY)
    assert file.filename == "整改通知_鹿山_2021.docx"
    text = text_of(file.data)
    assert "关于富阳区鹿山街道2021年度政府信息公开工作年度报告问题整改的通知" in text
    assert "富阳区鹿山街道：" in text
    assert "发现以下2个问题需要整改（错误2个）" in text
    assert "1．【错误】表3“法律服务机构”列：本年新收5+上年结转0=5，但办理结果总计3+结转下年度0=3" in text
    assert "位置：表3 “法律服务机构”列" in text and "位置：表3 “本年新收”行" in text
    assert "数字：两边分别为5和3，相差2。" in text
    assert "整改要求：请逐格核对该列，使本年新收+上年结转=办理结果总计+结转下年度。" in text
    # the unconfirmed warning (STR-02) and the infos are not things the office is told to change
    assert "5、" not in text and "书签" not in text
    # 2021 reports were due on 2022-01-31: past on 2022-02-10, so ten working days from the notice
    assert "请于2022年2月24日前（自本通知之日起10个工作日内）完成整改" in text
    assert text.rstrip().endswith("（报送人：王小明）") and "某区政务公开办\n2022年2月10日" in text
    assert "2个问题" in file.caption and "2月24日" in file.caption


async def test_dismissed_findings_are_left_out_and_confirmed_warnings_go_in(filed) -> None:
    office = await repo.resolve_office(filed, name="富阳区鹿山街道")
    row = await collect_office(filed, chat_id=CHAT, office_id=office.id)
    codes = [f.finding.code for f in row.findings]
    t303, str02 = codes.index("T3-03"), codes.index("STR-02")
    row.findings[t303] = replace(row.findings[t303], ruling=ruling(DISMISSED, "总计按口径填写", "李科长"))
    row.findings[str02] = replace(row.findings[str02], ruling=ruling(CONFIRMED, by="李科长"))
    text = text_of(build_notice(row, due=Due(date(2022, 3, 1), "chat", "报区政府办"), issuer="区政务公开办",
                                today=TODAY))
    assert "“本年新收”行" not in text  # the dismissed T3-03
    assert "发现以下2个问题需要整改（错误1个、经确认的警告1个）；另有1个疑似问题经核实不是问题" in text
    assert "2．【警告（经确认）】第五、六部分标题使用“5、”“6、”，应为“五、”“六、”。" in text
    # the warning points at a report line: the notice quotes that line of the report
    assert "位置：原文第391行：“5、存在问题及整改情况”" in text
    assert "请于2022年3月1日前（报区政府办）完成整改" in text


async def test_nothing_to_fix_and_unknown_offices_get_one_line(filed) -> None:
    with pytest.raises(NoDocument, match="红旗.*没有需要整改的错误"):
        await notice_file(filed, chat_id=CHAT, name="红旗", issuer="x", today=TODAY)
    with pytest.raises(NoDocument, match="本群没有单位“金山”"):
        await notice_file(filed, chat_id=CHAT, name="金山", issuer="x", today=TODAY)
    with pytest.raises(NoDocument, match="还没有报送2019年度年报"):
        await notice_file(filed, chat_id=CHAT, name="鹿山", year=2019, issuer="x", today=TODAY)
    with pytest.raises(NoDocument, match="白云街道还没有报送"):
        await notice_file(filed, chat_id=CHAT, name="白云", issuer="x", today=TODAY)
    with pytest.raises(NoDocument):  # another chat's office is not this chat's
        await notice_file(filed, chat_id=-5, name="鹿山", issuer="x", today=TODAY)


async def test_resubmit_deadline_chat_then_statutory_then_workdays(filed) -> None:
    assert await resubmit_by(filed, chat_id=CHAT, office_kind="街道", year=2021, today=date(2022, 1, 10)) == \
        Due(date(2022, 1, 31), "statutory")
    assert (await resubmit_by(filed, chat_id=CHAT, office_kind="街道", year=2021, today=TODAY)).source == "workdays"
    await reminders.add_deadline(filed, chat_id=CHAT, kind=KIND_CUSTOM, due=date(2022, 2, 20), title="报区政府办",
                                 report_year=2021)
    await reminders.add_deadline(filed, chat_id=CHAT, kind=KIND_CUSTOM, due=date(2022, 2, 5), title="已过",
                                 report_year=2021)
    assert await resubmit_by(filed, chat_id=CHAT, office_kind="街道", year=2021, today=TODAY) == \
        Due(date(2022, 2, 20), "chat", "报区政府办")


async def test_an_office_extension_still_ahead_is_its_resubmit_date(filed) -> None:
    office = await repo.resolve_office(filed, name="富阳区鹿山街道")
    await reminders.add_deadline(filed, chat_id=CHAT, kind=KIND_CUSTOM, due=date(2022, 2, 20), title="报区政府办",
                                 report_year=2021)
    await obligations.set_obligation(filed, chat_id=CHAT, office_id=office.id, report_year=2021,
                                     kind="extension", due=date(2022, 3, 3), reason="系统故障")
    assert await resubmit_by(filed, chat_id=CHAT, office_kind="街道", year=2021, today=TODAY,
                             office_id=office.id) == Due(date(2022, 3, 3), "extension", "系统故障")
    # another office of the chat keeps the chat's date; an extension already past no longer counts
    assert (await resubmit_by(filed, chat_id=CHAT, office_kind="街道", year=2021, today=TODAY,
                              office_id=office.id + 999)).source == "chat"
    assert (await resubmit_by(filed, chat_id=CHAT, office_kind="街道", year=2021, today=date(2022, 3, 4),
                              office_id=office.id)).source != "extension"
    file = await notice_file(filed, chat_id=CHAT, name="鹿山", issuer="某区政务公开办", today=TODAY)
    assert "请于2022年3月3日前（已同意延期：系统故障）完成整改" in text_of(file.data)


async def test_chinese_runs_carry_an_east_asian_font(filed) -> None:
    file = await notice_file(filed, chat_id=CHAT, name="鹿山", issuer="某区政务公开办", today=TODAY)
    xml = zipfile.ZipFile(io.BytesIO(file.data)).read("word/document.xml").decode()
    assert 'w:eastAsia="仿宋"' in xml and 'w:eastAsia="宋体"' in xml and 'w:eastAsia="黑体"' in xml
    settings = zipfile.ZipFile(io.BytesIO(file.data)).read("word/settings.xml").decode()
    assert "embedTrueTypeFonts" in settings


def test_advice_is_split_off_and_report_lines_are_quoted() -> None:
    assert split_advice("T3-03", "行不平；请核对该行各类申请人的数字或“总计”。") == \
        ("行不平。", "请核对该行各类申请人的数字或“总计”。")
    assert split_advice("T3-05", "表3有空白，无数据请填0。") == ("表3有空白，无数据请填0。", "")
    assert split_advice("ZZ-99", "数字不对。") == ("数字不对。", "请核对并修改上述内容。")
    report = Report(Source("a.txt", "", "txt"), headings=[Heading("一", "总体情况", "总体情况", 2)])
    assert quoted_location("第2行", report) == "原文第2行：“一、总体情况”"
    assert quoted_location("第9行", report) == "原文第9行"
    assert quoted_location("表3 “本年新收”行", report) == "表3 “本年新收”行"


async def test_the_button_of_a_report_without_a_year_or_of_another_chat_says_why(filed) -> None:
    from bot.documents import notice_for_report
    from bot.report import Finding
    from tests.support.factories import make_report

    report = make_report(3, office="示范区金山街道", short_name="金山")
    report.year = None
    report.findings = [Finding("T3-01", "error", "“总计”列不平。", "表3 “总计”列", left=5, right=3, delta=2)]
    result = await repo.store_report(filed, chat_id=CHAT, report=report)
    with pytest.raises(NoDocument, match="年份不明"):
        await notice_for_report(filed, chat_id=CHAT, report_id=result.report.id, issuer="x", today=TODAY)
    with pytest.raises(NoDocument, match="找不到这份报告"):
        await notice_for_report(filed, chat_id=-5, report_id=result.report.id, issuer="x", today=TODAY)
    [lushan] = [s for s in await repo.list_reports(filed, chat_id=CHAT) if s.office.short_name == "鹿山"]
    file = await notice_for_report(filed, chat_id=CHAT, report_id=lushan.id, issuer="x", today=TODAY)
    assert file.filename == "整改通知_鹿山_2021.docx"

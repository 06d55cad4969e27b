"""Answers after rulings (issue 21): 「谁还需要整改」, and a dismissed finding no longer counts in
「青石山的报告合格吗」 / 「哪些单位有错误」. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from bot.questions import answer, parse_question
from bot.review import fingerprint
from storage import repo, review
from tests.bot.questions.test_answer import CHAT, TODAY, _workspace


def test_rectify_questions_parse_in_both_languages():
    for text, year in (("谁还需要整改", None), ("2021年哪些单位需整改？", 2021), ("who still needs to fix", None),
                       ("Which offices still need to fix their 2021 report?", 2021)):
        query = parse_question(text, offices=[], today=date(2022, 3, 1))
        assert (query.kind, query.year) == ("rectify", year), text


async def _rule(db, office_short: str, decision: str, reason: str = ""):
    [stored] = [s for s in await repo.list_reports(db, chat_id=CHAT, year=2021) if s.office.short_name == office_short]
    [finding] = [f for f in await repo.report_findings(db, report_id=stored.id) if f.severity == "error"]
    await review.rule_finding(db, chat_id=CHAT, report_id=stored.id, fingerprint=fingerprint(finding),
                              decision=decision, reason=reason, user_id=3, user_name="李四")


async def test_who_must_fix_and_dismissed_errors_do_not_count(db) -> None:
    await _workspace(db)
    before = await answer(db, chat_id=CHAT, text="青石山的报告合格吗", today=TODAY)
    assert before.text.startswith("未通过")
    none_yet = await answer(db, chat_id=CHAT, text="谁还需要整改", today=TODAY)
    assert "没有需要整改的单位" in none_yet.text and "待审 1 个" in none_yet.text

    one = await answer(db, chat_id=CHAT, text="青石山需要整改吗", today=TODAY)
    assert one.text == "青石山街道办事处2021年度报告待审：还有 1 条问题未裁定。", one.text

    await _rule(db, "青石山", "confirmed")
    one = await answer(db, chat_id=CHAT, text="青石山需要整改吗", today=TODAY)
    assert one.text == "青石山街道办事处2021年度报告需整改：确认的问题 1 条。", one.text
    lushan = await answer(db, chat_id=CHAT, text="does lushan need to fix its report", today=TODAY)
    assert "Lushan" not in lushan.text and "鹿山" in lushan.text and "passed, nothing to fix" in lushan.text
    must = await answer(db, chat_id=CHAT, text="2021年谁还需要整改", today=TODAY)
    assert "需整改的单位（1 个）" in must.text and "青石山街道办事处（确认的问题 1 条）" in must.text
    assert "鹿山" not in must.text

    await _rule(db, "青石山", "dismissed", "该项确无数据，按规定留空")
    after = await answer(db, chat_id=CHAT, text="青石山的报告合格吗", today=TODAY)
    assert after.text.startswith("通过"), after.text
    errors = await answer(db, chat_id=CHAT, text="2021年哪些单位有错误", today=TODAY)
    assert "都没有错误" in errors.text
    english = await answer(db, chat_id=CHAT, text="who still needs to fix", today=TODAY)
    assert "No office has confirmed problems" in english.text

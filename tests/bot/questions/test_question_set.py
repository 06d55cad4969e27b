"""The whole question set against the stored seeds and factory reports: ≥ 95 % must be answered right.

Failures are printed (run with ``-s`` or see the captured output of a failing run) so a regression
shows which phrasing broke, not only that the rate dropped.
"""

from __future__ import annotations

import re

from bot.questions import answer
from storage.db import Database
from tests.bot.questions.conftest import CHAT, CHAT_CITY, CHAT_EMPTY, CHAT_ONE, TODAY, Dataset
from tests.bot.questions.question_set import Case, cases

CHATS = {"main": CHAT, "one": CHAT_ONE, "empty": CHAT_EMPTY, "city": CHAT_CITY}
#: The shapes of issue 24 and how many cases each must have at least (a set that drops them fails).
SHAPES = {"yes/no": ("通过：", "未通过：", "是，有", "否，", "Yes — ", "No — ", "No errors"), "guess": ("按“", "(Taking")}


def _problems(case: Case, text: str, lang: str, understood: bool, choices: list[str]) -> list[str]:
    problems = []
    if lang != case.want_lang:
        problems.append(f"lang {lang} != {case.want_lang}")
    if understood != case.understood:
        problems.append(f"understood {understood} != {case.understood}")
    if sorted(choices) != sorted(case.choices):
        problems.append(f"choices {choices} != {case.choices}")
    if case.starts and not text.startswith(case.starts):
        problems.append(f"does not start with {case.starts!r}")
    for want in case.expect:
        if re.fullmatch(r"[\d.]+", want):
            found = re.search(rf"(?<![\d.]){re.escape(want)}(?![\d])", text)
        else:
            found = want in text
        if not found:
            problems.append(f"missing {want!r}")
    for bad in case.reject:
        if bad in text:
            problems.append(f"unexpected {bad!r}")
    return problems


def test_question_set_has_enough_cases_in_both_languages(qa_data: Dataset) -> None:
    all_cases = cases(qa_data.reports, qa_data.city)
    assert len(all_cases) >= 742  # twice the 371 of issue 6's set
    assert sum(c.want_lang == "en" for c in all_cases) >= 180
    assert sum(c.want_lang == "zh" for c in all_cases) >= 450
    assert len({(c.question, c.chat) for c in all_cases}) >= 700
    # every shape of issue 24 is there in numbers, not as a token case
    shapes = {
        "yes/no": [c for c in all_cases if c.starts.startswith(SHAPES["yes/no"])],
        "guess": [c for c in all_cases if c.starts.startswith(SHAPES["guess"])],
        "ask back": [c for c in all_cases if c.choices],
        "not understood": [c for c in all_cases if not c.understood],
        "history": [c for c in all_cases if "历年" in c.question or "by year" in c.question or "over the years" in c.question],
        "two years": [c for c in all_cases if any("年度 与 " in e or " vs 20" in e for e in c.expect)],
        "breakdown": [c for c in all_cases if any("按申请人" in e or "by applicant" in e for e in c.expect)],
        "lists": [c for c in all_cases if any("个单位" in e and "本群" in e or "office(s) here" in e for e in c.expect)],
        "city chat": [c for c in all_cases if c.chat == "city"],
    }
    for shape, found in shapes.items():
        assert len(found) >= 20, (shape, len(found))


async def test_question_set_accuracy(qa_data: Dataset) -> None:
    db = Database(qa_data.url)
    failures: list[str] = []
    all_cases = cases(qa_data.reports, qa_data.city)
    try:
        for case in all_cases:
            reply = await answer(db, chat_id=CHATS[case.chat], text=case.question, today=TODAY)
            problems = _problems(case, reply.text, reply.lang, reply.understood, reply.choices)
            if problems:
                shown = reply.text.replace("\n", " ⏎ ")
                failures.append(f"{case.question!r}: {'; '.join(problems)}\n    → {shown}")
    finally:
        await db.close()
    rate = 1 - len(failures) / len(all_cases)
    print(f"\nquestion set: {len(all_cases) - len(failures)}/{len(all_cases)} correct ({rate:.1%})")
    for failure in failures:
        print("  FAIL", failure)
    assert rate >= 0.95, f"{len(failures)} of {len(all_cases)} questions answered wrongly:\n" + "\n".join(failures)

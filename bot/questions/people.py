"""Questions about people: 「鹿山的联系人是谁」, 「张三负责哪个单位」 (and English), from storage/contacts.py.

Checked before the report parser (bot/questions/execute.answer): the phrasings are narrow, so a question
about numbers never lands here, and one that does gets a plain answer from the contacts table. Names are
written as text (no mention entity): an answer must not ping the person asked about.
"""

from __future__ import annotations

import re
from typing import Any

from bot.questions.offices import match_exact, match_partial
from bot.questions.query import Answer
from storage import contacts as store

_PUNCT = "？?。.！!，, "

#: 「鹿山的联系人是谁」「鹿山联系人」「谁负责鹿山」「鹿山由谁负责」「鹿山是谁负责的」
_OFFICE_ZH = [re.compile(p) for p in (
    r"^(?P<o>.+?)的?联系人(是谁|有谁|是哪位|呢)?$",
    r"^谁负责(?P<o>.+?)(的(年报|报告))?$",
    r"^(?P<o>.+?)(由谁|是谁|谁)负责的?$",
)]
#: 「张三负责哪个单位」「@zhangsan负责哪些单位」「张三是哪个单位的(联系人)」
_PERSON_ZH = [re.compile(p) for p in (
    r"^(?P<p>@?[^\s@]{1,32}?)负责(哪个|哪些|什么|哪几个)(单位|街道|部门|乡镇)?$",
    r"^(?P<p>@?[^\s@]{1,32}?)是哪个单位的(联系人)?$",
)]
_OFFICE_EN = [re.compile(p, re.I) for p in (
    r"^who(?:'s| is| are)? (?:the )?(?:contacts?|responsible|in charge)(?: person)? (?:for|of) (?P<o>.+)$",
    r"^(?P<o>.+?)'s contacts?$",
)]
_PERSON_EN = [re.compile(p, re.I) for p in (
    r"^which offices? (?:is|does) (?P<p>@?\S+) (?:responsible for|handle|in charge of)$",
    r"^what (?:office|offices) (?:is|does) (?P<p>@?\S+) (?:responsible for|handle)$",
)]


def _clean(text: str) -> str:
    return text.strip().strip(_PUNCT).strip()


def _names(contacts: list[Any]) -> str:
    return "、".join(f"@{c.username}" if c.username else c.display_name for c in contacts)


async def answer_people(db: object, *, chat_id: int, text: str, offices: list[Any]) -> Answer | None:
    """The answer to a question about contacts, or None when the text is not one."""
    q = _clean(text)
    for lang, office_patterns, person_patterns in (("zh", _OFFICE_ZH, _PERSON_ZH), ("en", _OFFICE_EN, _PERSON_EN)):
        for pattern in person_patterns:
            m = pattern.match(q)
            if m:
                return await _offices_of(db, chat_id, m.group("p"), offices, lang)
        for pattern in office_patterns:
            m = pattern.match(q)
            if m:
                found = _office(m.group("o"), offices)
                if found is not None:
                    return await _contacts_of(db, chat_id, found, lang)
    return None


def _office(words: str, offices: list[Any]) -> Any | None:
    match = match_exact(words.lower(), offices)
    if len(match.offices) != 1:
        match = match_partial(words.lower(), offices)
    return match.offices[0] if len(match.offices) == 1 else None


async def _contacts_of(db: object, chat_id: int, office: Any, lang: str) -> Answer:
    people = (await store.contacts_for(db, chat_id=chat_id, office_ids=[office.id])).get(office.id, [])
    if lang == "en":
        text = (f"Contacts of {office.name}: {_names(people)}" if people else
                f"{office.name} has no contact yet (admins: /roster 联系人 {office.short_name or office.name} @user).")
    else:
        short = office.short_name or office.name
        text = (f"{office.name}的联系人：{_names(people)}" if people else
                f"{office.name}还没有联系人。管理员可用 /roster 联系人 {short} @用户名 设置。")
    return Answer(text, lang, True, [])


async def _offices_of(db: object, chat_id: int, person: str, offices: list[Any], lang: str) -> Answer:
    bound = await store.contacts_named(db, chat_id=chat_id, name=person)
    by_id = {o.id: o for o in offices}
    names = [by_id[c.office_id].name for c in bound if c.office_id in by_id]
    who = person.strip()
    if lang == "en":
        text = f"{who} is the contact of: {'、'.join(names)}" if names else f"{who} is no office's contact here."
    else:
        text = f"{who}负责：{'、'.join(names)}" if names else f"本群没有哪个单位的联系人是「{who}」。"
    return Answer(text, lang, True, [])


__all__ = ["answer_people"]

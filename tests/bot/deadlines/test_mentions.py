"""Splitting mentions into messages within Telegram's limits, offsets in UTF-16 code units."""

from __future__ import annotations

from bot.deadlines.mentions import MAX_MENTIONS, Line, pack, person_line, utf16_len
from storage.types import Contact


def person(user_id: int | None, name: str, username: str | None = None) -> Contact:
    """A contact of some office: only who they are matters to the mentions."""
    return Contact(chat_id=-100, office_id=1, user_id=user_id, username=username, display_name=name)


def covered(text: str, entity: dict) -> str:
    raw = text.encode("utf-16-le")
    return raw[entity["offset"] * 2:(entity["offset"] + entity["length"]) * 2].decode("utf-16-le")


def test_utf16_counts_emoji_as_two_units():
    assert utf16_len("鹿山") == 2 and utf16_len("👍") == 2 and utf16_len("a👍b") == 4


def test_mentions_by_username_and_by_id_cover_the_right_text():
    line = Line("😀 鹿山：").mention(person(1, "张三", "zhangsan")).add("、").mention(person(2, "李四👩‍💼"))
    [part] = pack([Line("⏰ 截止提醒"), line])
    assert [covered(part.text, e) for e in part.entities] == ["@zhangsan", "李四👩‍💼"]
    assert part.entities[1]["type"] == "text_mention" and part.entities[1]["user"]["id"] == 2


def test_a_sender_without_an_id_is_named_not_mentioned():
    line = Line("鹿山：").mention(person(None, "王小明")).add("、").mention(person(3, ""))
    assert line.text == "鹿山：王小明、3" and [e["user"]["id"] for e in line.entities] == [3]


def test_parts_respect_mention_cap_and_length():
    lines = [Line("头")]
    for i in range(30):
        lines += person_line(f"· 单位{i}" + "很长的名字" * 20 + "：", [person(100 + i, f"人{i}🙂")])
    parts = pack(lines, max_units=600)
    assert all(p.mentions <= MAX_MENTIONS and utf16_len(p.text) <= 600 for p in parts)
    ids = [e["user"]["id"] for p in parts for e in p.entities]
    assert ids == [100 + i for i in range(30)]
    for n, p in enumerate(parts[1:], 2):
        assert p.text.startswith(f"（续 {n}/{len(parts)}）")
        assert all(covered(p.text, e).startswith("人") for e in p.entities)


def test_an_office_with_more_contacts_than_the_cap_gets_continued_lines():
    people = [person(i, f"人{i}") for i in range(7)]
    lines = person_line("· 鹿山：", people, " — 表3有空白")
    assert [ln.mentions for ln in lines] == [5, 2] and lines[1].text.startswith("· 鹿山（续）：")
    assert lines[1].text.endswith("表3有空白") and not lines[0].text.endswith("表3有空白")


def test_a_line_longer_than_a_message_is_cut_not_dropped():
    [part] = pack([Line("字" * 5000)], max_units=4096)
    assert utf16_len(part.text) <= 4096 and part.text.endswith("…")

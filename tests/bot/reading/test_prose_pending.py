"""Pending applications in the prose are not 办结: 「结转下年度继续办理N件」 must not become a processed count
(it made every correct report carry a false TXT-02 warning)."""

from bot.reading.meta import prose_numbers
from bot.schema import SECTIONS


def _kinds(text: str) -> list[tuple[str, int]]:
    return [(p.kind, p.value) for p in prose_numbers({SECTIONS[0]: text}, [])]


def test_carried_forward_to_next_year_is_not_processed():
    found = _kinds("全年收到申请12件，办结10件，结转下年度继续办理2件。")
    assert ("processed", 10) in found
    assert ("carried_forward", 2) in found
    assert ("processed", 2) not in found


def test_still_being_handled_is_not_processed():
    assert ("processed", 3) not in _kinds("尚有正在办理3件。")
    assert ("processed", 5) in _kinds("已按时办理5件。")

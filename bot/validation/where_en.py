"""A finding's location (``Finding.where``, written in Chinese) in English, for English readers.

Locations are built from the table labels of :mod:`bot.schema` and a few fixed words (表3, 第12行, 第四部分,
正文, 标题), so they are translated back from the same tables; a part no table knows (a heading quoted from
the report itself) is kept as written, in quotes, so the reader can still find it in the document.
"""

from __future__ import annotations

import re
from functools import cache

from bot.schema import (
    T2_EN,
    T2_LABELS,
    T3_COLUMN_LABELS,
    T3_COLUMN_LABELS_EN,
    T3_GROUP_LABELS,
    T3_ROW_EN,
    T3_ROW_LABELS,
    T3_ROW_SHORT,
    T4_BLOCK_EN,
    T4_BLOCK_LABELS,
    T4_COLUMN_EN,
    T4_COLUMN_LABELS,
)
from bot.validation.labels import T4_BLOCK_SHORT

_CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_GROUP_EN = {"deny": "refused", "unable": "unable to provide", "noproc": "not processed", "other": "other handling"}

#: Words of 表2 and of locations that are not table labels.
_WORDS = {
    "本年新制作数量": "made this year", "本年制发件数": "issued this year", "本年废止件数": "repealed this year",
    "现行有效件数": "in force", "上一年项目数量": "items last year", "本年增/减": "change this year",
    "处理决定数量": "decisions", "本年收费金额（万元）": "fees this year (10k yuan)",
    "行政事业性收费（万元）": "administrative fees (10k yuan)", "行政事业性收费": "administrative fees",
    "行政许可": "administrative licensing", "行政处罚": "administrative penalties", "行政强制": "administrative coercion",
    "其他对外管理服务事项": "other public services", "行政诉讼": "lawsuits", "总计": "total",
    "正文": "body", "标题": "title", "落款": "signature", "文号": "document number", "年度": "year",
    "提交时间": "received", "表头": "header",
}


@cache
def _pairs() -> list[tuple[str, str]]:
    pairs: dict[str, str] = {}
    for key, zh in T3_ROW_LABELS.items():
        pairs[zh] = T3_ROW_EN[key]
    for key, zh in T3_ROW_SHORT.items():
        pairs.setdefault(zh, T3_ROW_EN[key])
    for key, zh in T3_ROW_LABELS.items():  # 「属于国家秘密」 without its number (numbering differs by format)
        bare = re.sub(r"^(?:\d+\.|（[一二三四五六七]）|[一二三四]、)", "", zh)
        if len(bare) >= 4:
            pairs.setdefault(bare, T3_ROW_EN[key])
    for key, zh in T3_GROUP_LABELS.items():
        pairs.setdefault(zh, _GROUP_EN.get(key, key))
    for key, zh in T3_COLUMN_LABELS.items():
        pairs.setdefault(zh, T3_COLUMN_LABELS_EN[key])
    for key, zh in T4_BLOCK_LABELS.items():
        pairs.setdefault(zh, T4_BLOCK_EN[key])
    for key, zh in T4_BLOCK_SHORT.items():
        pairs.setdefault(zh, T4_BLOCK_EN[key])
    for key, zh in T4_COLUMN_LABELS.items():
        pairs.setdefault(zh, T4_COLUMN_EN[key])
    for key, zh in T2_LABELS.items():
        pairs.setdefault(zh, T2_EN[key])
    for zh, en in _WORDS.items():
        pairs.setdefault(zh, en)
    pairs.pop("", None)
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))  # longest first: 「部分公开（区分…）」 before 「部分公开」


def _cn_number(text: str) -> int:
    if text in _CN_NUMBERS:
        return _CN_NUMBERS[text]
    tens, _, ones = text.partition("十")
    return _CN_NUMBERS.get(tens, 1) * 10 + _CN_NUMBERS.get(ones, 0)


def where_en(where: str) -> str:
    """``表3 “予以公开·总计”`` → ``Table 3 “granted in full · total”``; ``第四部分`` → ``section 4``."""
    text = where or ""
    for zh, en in _pairs():
        if zh in text:
            text = text.replace(zh, en)
    text = re.sub(r"表\s*([1-4])", r"Table \1", text)
    text = re.sub(r"第(\d+)行", r"line \1", text)
    text = re.sub(r"第(\d+)页", r"page \1", text)
    text = re.sub(r"第([一二三四五六七八九十]+)部分", lambda m: f"section {_cn_number(m.group(1))}", text)
    text = re.sub(r"第([一二三四五六七八九十]+)条第（([一二三四五六七八九十]+)）项",
                  lambda m: f"Art. {_cn_number(m.group(1))}({_cn_number(m.group(2))})", text)
    text = text.replace("”行", "” row").replace("”列", "” column")
    text = re.sub(r"(?<!\d)\d+\.(?=[a-z])", "", text)  # 「3.refused…」: the row number of the Chinese label
    text = text.replace("·", " · ").replace("（", " (").replace("）", ")")
    return re.sub(r"\s{2,}", " ", text).strip()

"""The office's name from a report's own wording, when the title does not give it.

Many published pages drop the title (the page heading held it) and the body then names the office in a
handful of stock sentences: 「本报告由保康县农业农村局编制」, 「永安镇人民政府2024年政府信息公开总体情况」,
「请与阿巴嘎旗自然资源局办公室联系」, 「现公布区统计局2023年政府信息公开工作年度报告」, or the page's
「发布机构：市资规局」. These are read here, in that order of trust. A body that only says 「我局」「我县」
names nobody: the reader then leaves the name empty and the bot asks the sender (never the file name).
"""

from __future__ import annotations

import re

from bot.reading.cells import nfkc

#: How an office name ends. Longest first, so 「街道办事处」 is not cut at 「办事处」.
_ORG_END = (r"(?:街道办事处|人民政府|管理委员会|委员会|办事处|办公室|办公厅|街道|政府|管委会|局|委|厅|中心|镇|乡|"
            r"综合实验区|开发区|新区|管理处|服务中心)")
_NAME = r"([\u4e00-\u9fff（）()]{2,30}?" + _ORG_END + r")"
#: An office's own sub-unit that edits the report: 「两城镇人民政府党政办公室」 → 两城镇人民政府.
_UNIT_TAIL = r"(?:党政综合办公室|党政办公室|党政办|综合办公室|办公室|政务公开办公室|政务公开办|信息公开工作领导小组办公室|政府办)?"

_PATTERNS: list[re.Pattern[str]] = [
    # 「由保康县农业农村局编制」「本报告由南平市人民政府信息公开工作领导小组办公室根据…」
    re.compile(r"由" + _NAME + _UNIT_TAIL + r"(?:根据|依据|按照|负责|编制|制作|汇总|组织|牵头|起草)"),
    # 「永安镇人民政府2024年政府信息公开总体情况」「现公布区统计局2023年政府信息公开工作年度报告」
    re.compile(_NAME + r"\s*(?:19|20)\d{2}\s*年度?(?:的)?(?:政府信息公开|政务公开|信息公开)"),
    # 「请与阿巴嘎旗自然资源局办公室联系」
    re.compile(r"(?:请与|请联系|可与|联系单位[:：]?)" + _NAME + _UNIT_TAIL + r"(?:联系|[（(，,:：])"),
    # web page metadata: 「发布机构: | 市资规局」「来源：某某街道办事处」
    re.compile(r"(?:发布机构|发文机关|信息来源|来源单位)\s*[:：|]?\s*\|?\s*" + _NAME + r"(?![\u4e00-\u9fff])"),
]
#: Words a match may start with that are not part of the name (the sentence around it).
_LEADING = re.compile(r"^(?:.*?(?:现将|现公布|公布|发布|关于|根据|按照|全文包括|包括|本报告|本年度|是|为|对|在|由))(?=[\u4e00-\u9fff])")
#: Not an office: the report talking about itself, a higher body, or a generic word.
_NOT_NAME = re.compile(r"^(?:我|本|该|全|各|上级|国务院|中华人民共和国|省政府|市政府$|县政府$|区政府$|政府$)|信息公开|政务公开|条例|报告"
                       r"|格式|通知|要求|工作")


def _clean(candidate: str) -> str:
    name = _LEADING.sub("", candidate)
    name = re.sub(r"^[（(][^）)]*[）)]", "", name).strip("（）() ")
    return name


def office_from_body(text: str, *, limit: int = 3000) -> str:
    """The office named by the report's opening wording (see module docstring), or ``''``.

    Only the first ``limit`` characters are read: the stock sentences open a report, while later ones
    quote other bodies (「在县政府办指导下」)."""
    opening = nfkc(text[:limit])
    for pattern in _PATTERNS:
        for m in pattern.finditer(opening):
            name = _clean(m.group(1))
            if len(name) >= 3 and not _NOT_NAME.search(name):
                return name
    return ""

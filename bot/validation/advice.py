"""One line on what to change, added to a finding whose message only states the fact.

A clerk reading 「“自然人”列：本年新收43+上年结转0=43，但办理结果总计40+结转下年度4=44」 on a phone must
also see what to do about it. Rules that already say it (「…无数据请填0」「应为…」) are left as they are;
for the others the engine appends the advice below (RULES_STATUS.md: every finding says where, and why
it matters or what to change). Kept apart from the rules so the wording is reviewed in one place.
"""

from __future__ import annotations

import re

#: code → (Chinese, English) advice.
ADVICE: dict[str, tuple[str, str]] = {
    "DL-01": ("条例第四十九条规定了公布期限，请尽快公布", "条例 art. 49 sets the deadline; publish it as soon as possible"),
    "FMT-03": ("应按国办公开办函〔2021〕30号格式列出第二十条统计表", "use the 第二十条 tables of the 2021 format (30号)"),
    "META-01": ("请将标题、统计期限和正文统一为同一年度", "make the title, the statistics period and the text name the same year"),
    "T2-08": ("请核对本年或上年的现行有效件数", "check this year's or last year's 现行有效件数"),
    "T3-01": ("请逐格核对该列，使本年新收+上年结转=办理结果总计+结转下年度", "check the column cell by cell"),
    "T3-02": ("请逐格核对该列的办理结果各行或“（七）总计”", "check the result rows or the total of this column"),
    "T3-03": ("请核对该行各类申请人的数字或“总计”", "check the applicant cells or the total of this row"),
    "T4-01": ("请核对该栏的结果维持、结果纠正、其他结果、尚未审结及总计", "check the cells of this block"),
    "TXT-02": ("请核对正文或表3，使两者一致", "make the text and 表3 agree"),
    "TXT-03": ("请核对正文或表3，使两者一致", "make the text and 表3 agree"),
    "TXT-04": ("请核对正文或表3，使两者一致", "make the text and 表3 agree"),
    "TXT-05": ("请核对正文或表4，使两者一致", "make the text and 表4 agree"),
    "TXT-07": ("请核对正文或表2，使两者一致", "make the text and 表2 agree"),
    "TXT-08": ("请核对该百分比", "check the percentage"),
    "T3-06": ("请改正正文表述或表3结转数", "correct the text or 表3"),
    "T4-03": ("请改正正文表述或表4", "correct the text or 表4"),
    "XY-01": ("请核对本年“上年结转”或上年报告", "check this year's carried-over count or last year's report"),
    "XY-02": ("请核对是否误用上年数据", "check the numbers were not copied from last year"),
    "XY-04": ("应继续使用国办公开办函〔2021〕30号格式", "keep to the 2021 format"),
    "FMT-05": ("已按“万元”读取，无需修改", "read as 万元; nothing to change"),
    "STR-03": ("建议按规定格式的标题书写", "use the heading the format prints"),
    "XY-05": ("建议在第五部分说明上年问题的整改情况", "say in section 5 how last year's problems were dealt with"),
    "FMT-02": ("若为2019、2020年度报告应使用2019年试行格式", "a 2019/2020 report uses the 2019 trial format"),
}

#: Words that tell the reader what to do (「请…」, 「应为…」); 「申请」 holds 请 and is not one.
_ACTS_RE = re.compile(r"(?<!申)请|应(?:为|当|按|写|填|使用|归入|细分|继续|在|以|说明|列出|补)|须|无需|建议")


def says_what_to_do(message: str) -> bool:
    """True when a message already tells the reader what to do (「请…」「应为…」「建议…」)."""
    return _ACTS_RE.search(message) is not None


def with_advice(code: str, message: str, message_en: str) -> tuple[str, str]:
    """``message`` (and its English) with the code's advice appended when it does not say what to do."""
    advice = ADVICE.get(code)
    if advice is None or _ACTS_RE.search(message):
        return message, message_en
    zh = message.rstrip("。；; ") + "；" + advice[0] + "。"
    en = (message_en.rstrip(". ") + "; " + advice[1] + ".") if message_en else message_en
    return zh, en

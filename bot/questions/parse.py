"""``parse_question``: a chat message → a typed :class:`Query`. Pure: no database, no clock.

Order matters and is the whole trick: office names are found first (exactly) and masked, then the
submission words (「收到了几份报告」 is a count), the metric phrases (longest first), status, change,
aggregate words, and only then years — so 「上年结转」 and "carried over from last year" are rows, not
years, and 「比去年」 marks a change rather than the year asked about. What is left is offered to the
fuzzy office matcher (typos, homophones), and failing that to jieba's place-name tagger, so 「西湖街道」
with no such office gets "not here" instead of the chat total.

Year words (documented rule, README "Questions"):
* 「2021年」「2021」「21年」"in 2021" — that report year.
* 「今年」"this year" — the report year currently being filed: the previous calendar year from January to
  March (reports are due by 1月31日/3月31日), otherwise the current calendar year. For who-has-(not)-
  submitted questions 「今年」 always means the report due this calendar year (current year − 1).
* 「去年」"last year" — current calendar year − 1; 「前年」 — − 2.
* 「二〇二一年」, "since 2020" / 「2020年以来」 (a change from that year to the latest) also work.
* no year — the latest year held for that office (or for the chat, in aggregates); for submission
  questions the report due this calendar year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from bot.deadlines.ladder import filing_year
from bot.pinyin import split_pinyin
from bot.questions import segment, shapes
from bot.questions.metrics import (
    build_metric,
    correct_english,
    find_concepts,
    sum_metric,
    t2_metric,
    t3_metric,
)
from bot.questions.offices import EN_STOP, ZH_STOP, OfficeLike, match_exact, match_fuzzy, match_partial
from bot.questions.query import Query

_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_EN_NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10}

_MISSING = re.compile(
    r"没交|未交|没有交|还没交|未提交|没提交|没有提交|尚未提交|未报送|没报送|没有报送|未上报|没上报|没有上报|没报(?![错告])|"
    r"还差|缺了?(哪|谁)|谁还没|哪些还没|还有谁没|没有报(?![错告])|未收到.{0,6}(单位|街道|谁|哪)|逾期未交|逾期未报|逾期没交"
    r"|not\s+(yet\s+)?(been\s+)?(submitted|filed|sent|reported|handed\s+in)\b|hasn'?t\s+(yet\s+)?(submitted|filed|sent|reported)"
    r"|haven'?t\s+(yet\s+)?(submitted|filed|sent|reported)|\bmissing\b|\boutstanding\b|yet\s+to\s+(submit|file|send|report)"
    r"|\boverdue\b|still\s+owe|not\s+received|still\s+(?:needs?|has|have)\s+to\s+(?:submit|file|send|report)"
    r"|\b(?:who|which)\b.{0,25}\blate\b|提交情况|上报情况|报送情况|交齐|交全|收齐|submission\s+status"
)
_SUBMITTED = re.compile(
    r"(谁|哪些|哪几个|哪个|哪几家).{0,8}(交了|已交|提交了|已提交|报了|已报送|报送了|上报了|交过|提交过)"
    r"|(谁|哪些|哪几个|哪个|哪几家).{0,8}(报告|年报).{0,4}(收到了|已收到|到了)|(已经|已)(提交|交|报送|上报)的|who\s+(has\s+|have\s+)?(already\s+)?(submitted|filed|sent|reported)"
    r"|which\s+offices?\s+(have\s+|has\s+)?(already\s+)?(submitted|filed|sent|reported)"
)
_COUNT = re.compile(
    r"(多少|几)\s*(个|家|份|位)\s*(单位|街道|部门|乡镇|机关|报告|年报|办事处|政府)?.{0,6}(交|提交|报|收到|上报|有)"
    r"|收到(了)?(多少|几)\s*(份|个)|(交|提交|报送|上报)了?(多少|几)\s*(个|家|份)|(多少|几)\s*(份|个)\s*(报告|年报)|一共(有)?(多少|几)(个|家)(单位|街道)"
    r"|how\s+many\s+(offices|reports|units|streets|subdistricts|bodies)|number\s+of\s+(offices|reports)"
)
_ERRORS = re.compile(
    r"错误|有错|出错|错在|错了|哪里错|哪错|要改|需要改|要修改|需要修改|得改|没改|未改|怎么回事|咋回事|没通过|未通过|不通过|没有通过|不合格|失败|有问题|什么问题|哪些问题|问题|毛病|不对|报错|警告|"
    r"校验|检查结果|通过了吗|通过没|合格吗|空白|没填|未填|漏填|缺什么|缺了什么|缺少什么|少了什么|\bblank\b|missing\s+(from|in)\b|"
    r"\berrors?\b|\bwrong\b|\bfail(ed|s|ing)?\b|\binvalid\b|\bproblems?\b|"
    r"\bissues?\b|did\s*n[o']t\s+pass|not\s+pass|\bwarnings?\b|\bfindings?\b|\bvalidation\b|\bpass(ed)?\b|\bcheck\b"
)
_PASSED = re.compile(
    r"(哪些|哪几|哪个|谁).{0,10}?((?<![没不未])通过了|(?<![没不未])通过校验|校验通过|(?<![不])合格|没有错误|没问题)"
    r"|\bwhich\b.{0,30}(?<!not )(?<!n't )\bpassed\b|\bclean\b"
)
_WARNINGS_ONLY = re.compile(r"警告|\bwarnings?\b")
_ZERO = re.compile(r"没有|没(?=\s)|为0|为零|是0|是零|零申请|\bno\b|\bzero\b|\bnone\b")
_CHANGE = re.compile(
    r"比(去年|上年|上一年|前一年|往年)|较(去年|上年|上一年)|与(去年|上年)相?比|和(去年|上年)(相)?比|跟(去年|上年)比|同比|环比|"
    r"增长|增加|减少|下降|上升|变化|增减|增幅|降幅|多了|少了|涨了|降了"
    r"|than\s+(last|the\s+previous|the\s+prior)\s+year|from\s+last\s+year|compared\s+(with|to)\s+last\s+year"
    r"|(vs\.?|versus)\s+last\s+year|year[\s-]+(on|over)[\s-]+year|\byoy\b|\bchanged?\b|\bincrease[ds]?\b"
    r"|\bdecrease[ds]?\b|\bgrew\b|\bgrowth\b|\bdrop(ped)?\b|\bfell\b|\brose\b|\bdifference\s+from\s+last\b"
    r"|\b(go|goes|went|gone)\s+(up|down)\b|\brising\b|\bfalling\b|\bsince\b|以来|至今|到现在"
)
# The number before 以上/以下 starts only where a digit run starts, and its digits are possessive: tried
# at every digit of a 4,096-digit run (and backtracked through it) the pattern was quadratic — 2 s on
# the event loop per question.
_ABOVE = re.compile(r"(超过|多于|大于|高于|不少于|不低于|至少|≥|>=|>|more\s+than|over|above|at\s+least|greater\s+than)"
                    r"\s*(\d++(?:\.\d++)?)\s*(%|件|个)?|(?<![\d.])(\d++(?:\.\d++)?)\s*(%|件|个)?\s*(以上|及以上)")
_BELOW = re.compile(r"(少于|低于|小于|不到|不足|至多|≤|<=|<|fewer\s+than|less\s+than|under|below|at\s+most)"
                    r"\s*(\d++(?:\.\d++)?)\s*(%|件|个)?|(?<![\d.])(\d++(?:\.\d++)?)\s*(%|件|个)?\s*(以下|及以下)")
#: Longest question the bot reads (a chat question is a sentence; Telegram allows 4,096 characters).
MAX_QUESTION_CHARS = 200
_MISSING_FROM = re.compile(r"missing\s+(from|in)\b|缺什么|缺了什么|缺少什么")
_MORE = re.compile(r"\bmore\b|\bhigher\b|\blarger\b|\bbigger\b|更多|更高|(哪个|谁|哪家).{0,8}(多(?!少)|高)")
_LESS = re.compile(r"\bless\b|\bfewer\b|\blower\b|\bsmaller\b|更少|更低|(哪个|谁|哪家).{0,8}(?<!多)(少|低)")
#: 整改 (the review loop, issue 21): 「谁还需要整改」「哪些单位需整改」 "who still needs to fix".
_RECTIFY = re.compile(r"整改|\b(?:still )?needs? (?:to )?(?:be )?fix(?:ed|ing)?\b|\bmust (?:be )?fix|\brectif")
#: 「公开率100%的有哪些」「复议为0件的单位」: a number the offices asked for must equal.
_EQUAL_AGG = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(%|件|个)\s*的|(?:为|是|等于|达到)\s*(\d+(?:\.\d+)?)\s*(%|件|个)?\s*的")
_SINCE = re.compile(r"\bsince\b|以来|至今|到现在")
_LIST_OFFICES = re.compile(
    r"有哪些单位|哪些单位$|单位列表|单位名单|^名单$|名册|都有谁|有谁|\blist\s+(all\s+)?(the\s+)?offices\b"
    r"|\bwhich\s+offices\s+are\s+(there|here)\b|\broster\b|\ball\s+offices\??$"
)
_SUBMIT_ONE = re.compile(
    r"交了吗|交了没|交没交|交了没有|提交了吗|提交了没|有没有交|有没有提交|报了吗|报送了吗|上报了吗|收到了吗|交过了吗|交过吗|交了么"
    r"|(?:年报|报告)收到(?:了)?(?:没有?|吗)|(?:报|交)上来(?:了)?(?:吗|没有?)|啥时候?交|啥时候?报|什么时候交|哪天交|何时交|什么时候提交|哪天收到|什么时候收到|何时收到|几号交|交的时间"
    r"|\bsubmit(ted|s)?\b|\bsent\s+in\b|\bhanded\s+in\b|\bfiled\s+(its|their|the)\b"
)
_BREAKDOWN = re.compile(r"哪里来|来源|构成|分布|按申请人|申请人类型|各类申请人|breakdown|by\s+applicant|who\s+applied|from\s+whom|sources?\b")
_COMPARE = re.compile(r"比较|对比|相比|比一比|比一下|对照|哪个多|谁多|谁少|哪个少|\bcompare[ds]?\b|\bvs\.?\b|\bversus\b")
_TOGETHER = re.compile(r"一共|总共|合计|共计|加起来|加在一起|总和|together|combined|in\s+total|altogether|\bsum\b")
_TOP = re.compile(
    r"前\s*(\d+|[一二两三四五六七八九十])\s*(名|个|位|家)?|top\s*(\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"|最(?:多|高|大)的\s*(\d+|[一二两三四五六七八九十])\s*(?:个|家|名|位)"
    r"|(?<!\d)(\d++|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:offices|units|streets)\s+with\s+the\s+(?:most|highest)"
)
_BOTTOM = re.compile(
    r"倒数\s*(?:前)?\s*(\d+|[一二两三四五六七八九十])\s*(?:名|个|位|家)?|最(?:少|低|小)的\s*(\d+|[一二两三四五六七八九十])\s*(?:个|家|名|位)"
    r"|bottom\s*(\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
    r"|(?<!\d)(\d++|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:offices|units|streets)\s+with\s+the\s+(?:least|fewest|lowest)"
)
_RANK = re.compile(r"排第几|第几名|排在第几|排名|排行|排序|排一下|排个序|从高到低|从多到少|从大到小|\brank(ing|ed)?\b|\border(ed)?\b|\bsort(ed)?\b|league\s+table")
_MAX = re.compile(r"最多|最高|最大|第一多|\bmost\b|\bhighest\b|\blargest\b|\bbiggest\b|\bmaximum\b|\bmax\b|\btop\b")
_MIN = re.compile(r"最少|最低|最小|倒数第一|\bleast\b|\bfewest\b|\blowest\b|\bsmallest\b|\bminimum\b|\bmin\b")
_AVG = re.compile(r"平均|均值|\baverage\b|\bmean\b|\bavg\b")
_SUM = re.compile(r"一共|总共|合计|共计|加起来|总和|全部|所有|全区|全县|全市|各单位|汇总|总量|"
                  r"\btotal\b|altogether|combined|\bsum\b|overall|all\s+offices|in\s+all")
_ALL_OFFICES = re.compile(r"哪个|哪些|哪家|哪几|谁|各个?|所有|全部|\bwhich\b|\bwho\b|\bevery\b|\ball\b|\beach\b")
_GREETING_ONLY = re.compile(r"^[\s\W]*$")
#: A whole message that greets or asks how to use the bot: answered with what it does, not "not understood".
_HELLO = re.compile(r"^\W*(?:你好|您好|大家好|在吗|在不在|嗨|哈喽|帮助|求助|help|帮忙|怎么用|如何使用|使用说明|说明|菜单"
                    r"|功能|你能做什么|你会什么|你是谁|hi|hello|hey|start|menu|what can you do|how do i use (?:this|you)"
                    r"|who are you)(?:\W*(?:啊|呀|吗|呢|了|bot|机器人|年报助手|there|please))*\W*$")
#: A whole message that only acknowledges or thanks (「收到」「好的谢谢」「辛苦了」 "ok thanks"): in a group it
#: answers a colleague or the bot's reminder, and must not be read as the 收到 row of 表3.
_CHATTER = re.compile(
    r"^\W*(?:(?:收到|好的?|好嘞|行|可以|明白|了解|知道|嗯+|哦+|噢+|ok(?:ay)?|谢谢|多谢|感谢|谢了|辛苦|辛苦了|大家辛苦了"
    r"|麻烦了|没问题|哈+|呵呵|赞|👍|🙏|thanks?(?: you)?|thx|ty|got it|noted|roger|sure|fine|great|cool|nice|lol"
    r"|will do|no problem|np|copy that|understood|you too|bye|see you(?: tomorrow| later)?)"
    r"(?:\W*(?:啊|呀|啦|哈|了|的|呢|吧|滴|哒|大家|各位|all|everyone|a lot|so much|very much))*\W*)+$")
#: 「哪个乡镇」 "which township": restrict an aggregate to one office kind (when the chat has that kind).
_KIND_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"乡镇|镇政府|乡政府|哪个镇|哪个乡|各镇|各乡|\btowns?(hips?)?\b"), "乡镇"),
    (re.compile(r"街道|办事处|\bsubdistricts?\b|\bstreets?\b"), "街道"),
    (re.compile(r"部门|委办局|\bdepartments?\b|\bbureaus?\b"), "部门"),
]
_CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
#: Traditional characters of the trade → simplified, so 「鹿山申請多少」 typed on a 繁體 keyboard works.
_TRADITIONAL = str.maketrans(
    "請開處複議訴訟維糾結轉報錯誤許罰強費規範個單誰還沒數總計辦與這門鎮區縣體務問題幾於機構業組織國權內詢現製發廢徵"
    "們為麼哪裡來參過時間會長東湖齊達異樣據歷覽後納條例韓鄉際點專網頁稱實審級",
    "请开处复议诉讼维纠结转报错误许罚强费规范个单谁还没数总计办与这门镇区县体务问题几于机构业组织国权内询现制发废征"
    "们为么哪里来参过时间会长东湖齐达异样据历览后纳条例韩乡际点专网页称实审级",
)

_Y_FULL = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_Y_SHORT = re.compile(r"(?<!\d)(\d{2})\s*年")
_Y_RELATIVE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"大前年|three\s+years\s+ago"), "-3"),
    (re.compile(r"前年|year\s+before\s+last|two\s+years\s+ago"), "-2"),
    (re.compile(r"去年|上一年|上年度|上年|last\s+year|previous\s+year|prior\s+year"), "-1"),
    (re.compile(r"今年|本年度|this\s+year|current\s+year|这一年"), "this"),
]


def normalise(text: str) -> str:
    """NFKC (full-width digits and brackets), lower case, single spaces; 「二〇二一年」 → 「2021年」."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(_TRADITIONAL)
    text = re.sub(r"[〇零○一二三四五六七八九]{4}(?=年)", lambda m: m.group(0).translate(_CN_DIGITS), text)
    text = text.replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def report_year_now(today: date) -> int:
    """The report year 「今年」 means: last calendar year in Jan–Mar (filing season), else this year."""
    return today.year - 1 if today.month <= 3 else today.year


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
    return "".join(chars)


def _sub_mask(pattern: re.Pattern[str], text: str) -> tuple[list[re.Match[str]], str]:
    found = list(pattern.finditer(text))
    return found, _mask(text, [m.span() for m in found])


def _lang(text: str, office_spans: list[tuple[int, int]]) -> str:
    """English when the words around the office names are English ("Lushan" alone: by its script)."""
    rest = _mask(text, office_spans)
    cjk = len(_CJK_RE.findall(rest))
    latin = len(re.findall(r"[a-z]{2,}", rest))
    if not cjk and not latin:  # only an office name: its script decides ("Lushan" → en, 「鹿山」 → zh)
        return "en" if re.search(r"[a-z]", text) and text.isascii() else "zh"
    if cjk == 0 and latin:
        return "en"
    if cjk and latin > cjk * 2:
        return "en"
    return "zh"


def _years(text: str, today: date, *, submission: bool) -> tuple[list[int], str, str]:
    """Years named in ``text`` (in order), the words used, and the text with them masked."""
    found: list[tuple[int, int, str]] = []  # (position, year, words)
    masked = text
    for m in _Y_FULL.finditer(masked):
        found.append((m.start(), int(m.group(1)), m.group(0)))
    masked = _mask(masked, [m.span() for m in _Y_FULL.finditer(masked)])
    for m in _Y_SHORT.finditer(masked):
        yy = int(m.group(1))
        found.append((m.start(), 2000 + yy if yy <= (today.year % 100) + 1 else 1900 + yy, m.group(0)))
    masked = _mask(masked, [m.span() for m in _Y_SHORT.finditer(masked)])
    for pattern, rel in _Y_RELATIVE:
        for m in pattern.finditer(masked):
            if rel == "this":
                year = filing_year(today) if submission else report_year_now(today)
            else:
                year = today.year + int(rel)
            found.append((m.start(), year, m.group(0)))
        masked = _mask(masked, [m.span() for m in pattern.finditer(masked)])
    found.sort()
    years: list[int] = []
    for _, year, _w in found:
        if year not in years:
            years.append(year)
    return years, " ".join(w for _, _, w in found), masked


_PLACE_SUFFIX = ("街道办事处", "街道办", "街道", "办事处", "镇", "乡")
#: Tags of words not in jieba's dictionary that are names in these questions: what its guesser gives
#: (「鹿山」 nr) and the x of an office name learnt from another chat.
_NAME_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "n", "j", "x"})
_EN_PLACE = re.compile(r"\b([a-z]{3,}(?:\s[a-z]{3,})?)\s+(street|subdistrict|town|township)\b")
#: "did lushan get", "lushan's": the subject of an English question, when no office matched it.
_EN_SUBJECT = re.compile(r"\bdid\s+([a-z]{3,})\s+(?:get|receive|have|handle|close|take|see|publish)\b"
                         r"|\b([a-z]{3,})'s\b")
#: English words that happen to spell as pinyin ("change" = chan·ge) and turn up in questions.
_EN_PINYIN_LOOKALIKES = {"change", "changes", "pending", "median", "women", "manage", "longer", "sense", "chinese",
                         "banana", "panda", "agenda", "hanging", "singer"}
_EN_NOT_PLACE = {"which", "what", "each", "every", "all", "the", "this", "that", "any", "other", "one", "per", "did",
                 "does", "do", "of", "in", "at", "by", "a", "an", "our", "my", "your", "you", "she", "his", "her",
                 "everyone", "anyone", "everybody", "anybody", "nobody", "someone", "today", "yesterday", "group",
                 "chat", "city", "county", "province", "region", "area", "bot"}


def unknown_place(masked: str) -> str:
    """A place name left in the question that matched no office (「西湖街道」, "xihu street"), or ''.

    jieba's part-of-speech tags mark place names (ns); a word followed by 街道/镇/乡 counts too.
    """
    from jieba import posseg

    segment.add_words([])  # dictionary loaded once, quietly
    words = [(w.word, w.flag) for w in posseg.cut(masked) if w.word.strip()]
    for i, (word, flag) in enumerate(words):
        if len(word) < 2 or word in ZH_STOP or not _CJK_RE.match(word):
            continue
        nxt = words[i + 1][0] if i + 1 < len(words) else ""
        if nxt in _PLACE_SUFFIX and flag not in ("r", "m", "d", "p", "c", "u", "v", "q"):
            return word + nxt
        if flag == "ns" or word.endswith(_PLACE_SUFFIX[:4]):
            return word
        if flag in _NAME_TAGS and len(word) <= 4 and not segment.known(word):
            return word  # a noun jieba had to guess (「鹿山」 tagged nr): in a question here, a name
    for m in _EN_SUBJECT.finditer(masked):
        word = m.group(1) or m.group(2)
        if word not in EN_STOP and word not in _EN_NOT_PLACE:
            return word
    for word in re.findall(r"[a-z]{5,}", masked):  # "lushan applications": a pinyin word is a name
        if word not in EN_STOP and word not in _EN_NOT_PLACE and word not in _EN_PINYIN_LOOKALIKES:
            parts = split_pinyin(word)
            if parts is not None and len(parts) >= 2:
                return word
    for m in _EN_PLACE.finditer(masked):
        words = m.group(1).split()
        while words and (words[0] in _EN_NOT_PLACE or words[0] in EN_STOP):
            words.pop(0)
        if words:
            return " ".join(words + [m.group(2)])
    return ""


def _yes_no(pattern: re.Pattern[str], masked: str) -> tuple[list[re.Match[str]], str]:
    """Yes/no words, masked; of an English one ("is … ok") only the last word — it spans the office and the
    year ("Is Donghu's 2019 report ok?"), which must still be read."""
    found = list(pattern.finditer(masked))
    spans = [m.span() if " " not in m.group(0) else (m.start() + m.group(0).rindex(" ") + 1, m.end()) for m in found]
    return found, _mask(masked, spans)  # English: only its last word ("ok", "valid", "errors")


_PINYIN_APOSTROPHE = re.compile(r"\b([a-z]{1,6})'([a-z]{2,6})\b")


def _join_pinyin(m: re.Match[str]) -> str:
    """「Xi'an」「Lin'an」: the apostrophe separates syllables of one pinyin name."""
    joined = m.group(1) + m.group(2)
    if m.group(2) in ("ll", "re", "ve") or split_pinyin(m.group(1)) is None or split_pinyin(m.group(2)) is None:
        return m.group(0)
    return joined


def _more_metrics(concepts: list) -> list:
    """Every count named in one question when there are several (「收到多少件，办结多少件」): 表3 rows,
    or 表2 items (「行政许可加行政处罚」)."""
    rows = [value for (kind, value), _ in concepts if kind == "t3row" and not value.startswith(("*", "g:"))]
    rows = list(dict.fromkeys(rows))
    if len(rows) >= 2:
        cols = [value for (kind, value), _ in concepts if kind == "t3col"]
        col = cols[0] if cols else "total"
        return [t3_metric(row, col) for row in rows]
    items = list(dict.fromkeys(v for (kind, v), _ in concepts if kind == "t2row" and v in _T2_COUNTS))
    return [t2_metric(item) for item in items] if len(items) >= 2 else []


_T2_COUNTS = ("licensing", "penalty", "enforcement")


def _top_n(m: re.Match[str]) -> int:
    token = next((g for g in m.groups() if g), "3").strip()
    if token.isdigit():
        return max(1, int(token))
    return _CN_NUM.get(token) or _EN_NUM.get(token, 3)


@dataclass
class _Words:
    """The question words found (each a match list, or None/empty), read in the order of the docstring."""

    missing: list = field(default_factory=list)
    submitted: list = field(default_factory=list)
    count: list = field(default_factory=list)
    passed: list = field(default_factory=list)
    warnings_only: bool = False
    above: list = field(default_factory=list)
    below: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    change: list = field(default_factory=list)
    compare: list = field(default_factory=list)
    together: list = field(default_factory=list)
    bottom: list = field(default_factory=list)
    top: list = field(default_factory=list)
    rank: list = field(default_factory=list)
    most: list = field(default_factory=list)
    least: list = field(default_factory=list)
    avg: list = field(default_factory=list)
    total: list = field(default_factory=list)
    every: object = None
    zero: object = None

    @property
    def about_all(self) -> bool:
        """The question is about all offices (so a leftover word is no office name)."""
        return any((self.top, self.bottom, self.rank, self.most, self.least, self.avg, self.total,
                    self.together, self.every, self.zero))


def _submission_words(words: _Words, masked: str) -> str:
    """Submission words, read before the metric phrases (「收到了几份报告」 is a count, not 收到)."""
    if not _MISSING_FROM.search(masked):  # "missing from X's report" is about findings
        words.missing, masked = _sub_mask(_MISSING, masked)
    words.submitted, masked = _sub_mask(_SUBMITTED, masked)
    words.count, masked = _sub_mask(_COUNT, masked)
    return masked


def _other_words(words: _Words, masked: str) -> str:
    """Status, threshold, change, comparison and aggregate words, read after the metric phrases."""
    words.passed, masked = _sub_mask(_PASSED, masked)
    words.warnings_only = bool(_WARNINGS_ONLY.search(masked)) and not re.search(r"错误|有错|\berrors?\b", masked)
    words.above, masked = _sub_mask(_ABOVE, masked)  # before years: 「超过2000件」 is no year
    words.below, masked = _sub_mask(_BELOW, masked)
    for name, pattern in (("errors", _ERRORS), ("change", _CHANGE), ("compare", _COMPARE), ("together", _TOGETHER),
                          ("bottom", _BOTTOM), ("top", _TOP), ("rank", _RANK), ("most", _MAX), ("least", _MIN),
                          ("avg", _AVG), ("total", _SUM)):
        found, masked = _sub_mask(pattern, masked)
        setattr(words, name, found)
    words.every = _ALL_OFFICES.search(masked)
    words.zero = _ZERO.search(masked) if words.every else None  # 「哪些单位没有收到申请」
    return masked


def parse_question(text: str, *, offices: list[OfficeLike], today: date) -> Query:
    """Parse one chat question into a :class:`Query` (see module docstring for the rules)."""
    norm = normalise(text)
    query = Query(text=text)
    if _CHATTER.match(norm):  # 「收到」「好的谢谢」「👍」: not a question (kind stays unknown)
        query.chatter, query.lang = True, "en" if text.isascii() else "zh"
        return query
    if _GREETING_ONLY.match(norm):
        query.lang = "en" if text.strip() and text.isascii() else "zh"
        return query
    if _HELLO.match(norm):
        query.kind, query.lang = "hello", "en" if text.isascii() else "zh"
        return query

    norm = _PINYIN_APOSTROPHE.sub(_join_pinyin, norm)  # "xi'an" is one name (xian), "lushan's" stays
    exact = match_exact(norm, offices, blocked=[span for _, span in find_concepts(norm)[0]])
    query.lang = _lang(norm, exact.spans)
    masked = _mask(norm, exact.spans)
    one_office = len(exact.offices) == 1 and not exact.ambiguous
    since = bool(_SINCE.search(masked))
    list_offices = not exact.offices and (_LIST_OFFICES.search(masked) or shapes.LIST_OFFICES.search(masked))
    submit_one = _SUBMIT_ONE.search(masked) if one_office else None
    breakdown = _BREAKDOWN.search(masked) or shapes.BREAKDOWN.search(masked)
    history, masked = _sub_mask(shapes.HISTORY, masked)  # before 「变化」 is read as a change
    yes_no_found, masked = _yes_no(shapes.YES_NO_PASS, masked)
    yes_no = "pass" if yes_no_found else ""
    if not yes_no:
        yes_no_found, masked = _yes_no(shapes.YES_NO_ERRORS, masked)
        yes_no = "errors" if yes_no_found else ""

    untabled, masked = _sub_mask(shapes.UNTABLED, masked)  # 「主动公开多少」: no table cell, and not 予以公开
    w = _Words()
    masked = _submission_words(w, masked)
    concepts, rest = find_concepts(masked)
    if not concepts and query.lang == "en":  # "aplications", "lawsiuts": fix the typo, read again
        concepts, rest = find_concepts(correct_english(masked))
    masked = rest
    query.metric = build_metric([c for c, _ in concepts])
    if w.count and query.metric and query.metric.key == "t3.new_received.total" and re.search(
            r"报告|年报|\breports?\b", norm) and not re.search(r"申请|\bapplications?\b|\brequests?\b", norm):
        query.metric = None  # "how many reports were received": reports, not the 收到 (applications) row
    masked = _other_words(w, masked)
    if yes_no and not (w.errors or w.passed):
        w.errors = yes_no_found  # 「…能通过吗」 "is … ok": a question about the verdict

    submission = bool(w.missing or w.submitted or (w.count and query.metric is None))
    years, query.year_words, masked = _years(masked, today, submission=submission)
    if _RECTIFY.search(norm):  # 「谁还需要整改」 "who still needs to fix": the review loop's 需整改 list
        query.kind, query.year = "rectify", (years[-1] if years else None)
        query.offices = list(exact.offices)  # 「青石山需要整改吗」: that office's state, not the chat's list
        return query

    found = list(exact.offices)
    query.choices = list(exact.ambiguous)
    if not found and not query.choices:  # 「上海」 of 上海市人民政府办公厅: a part of one name
        partial = match_partial(masked, offices)
        found, query.choices = partial.offices, partial.ambiguous
        if query.choices and (w.together or w.total):  # 「富阳区一共收到多少申请」: the sum over those offices
            found, query.choices = list(query.choices), []
    if not found and not query.choices:
        fuzzy = match_fuzzy(masked, offices)
        found, query.choices = fuzzy.offices, fuzzy.ambiguous
        query.guessed = bool(found)  # 「六山」: answered for 鹿山, and the answer says so
        if not found and not query.choices:
            query.unknown_name = unknown_place(masked)
    query.offices = found
    if query.choices:
        query.kind = "choose"
        return query

    if years:
        query.year = years[-1] if len(years) == 1 else max(years[:2])
    if len(years) >= 2:
        query.base_year = min(years[:2])
    elif since and len(years) == 1:  # "since 2020" / 「2020年以来」: from that year to the latest
        query.base_year, query.year = years[0], None

    if history and not (w.missing or w.submitted or w.errors or w.passed or w.count):
        query.kind = "history"  # 「平潭历年申请」: a row per year held (「鹿山和东湖历年申请」: per office)
        query.metric = query.metric or build_metric([("t3row", "*apply")])
        query.aggregate = "max" if w.most else "min" if w.least else None  # 「平潭哪年申请最多」
        return query
    if _status_kind(query, w, found, one_office=one_office, submit_one=bool(submit_one),
                    list_offices=bool(list_offices)):
        if query.kind == "findings" and len(found) == 1:
            query.yes_no = yes_no  # 「青石山的报告合格吗」: 通过/未通过 first
        return query
    if query.unknown_name and not w.about_all and _asks_about_place(query, norm):
        query.kind = "no_office"  # 「西湖街道申请多少」 with no 西湖 here: say so, not the chat total
        return query

    metric = query.metric
    if metric is None and untabled:  # 「哪个单位主动公开最多」: no table holds it — never the applications instead
        query.unread = " ".join(m.group(0).strip().rstrip("了的") for m in untabled)
        return query
    if metric is None and len(found) <= 1 and query.base_year is not None and query.year != query.base_year:
        query.kind = "years"  # 「平潭2023年和2021年比较」: the key numbers of both years (no office: the chat's)
        return query
    ranking_words = bool(w.top or w.bottom or w.rank or w.most or w.least or w.avg)
    if metric is None and (len(found) >= 2 or (ranking_words and not found) or (w.change and found)):
        # 「鹿山和青石山比较」「哪个最多」: applications, the number everyone means first
        query.metric = metric = build_metric([("t3row", "*apply")])
    if metric is None and breakdown and len(found) == 1:
        query.kind, query.metric = "breakdown", t3_metric("new_received")  # 「水泥路的申请人是哪些类型」
        return query
    if metric is None:
        query.unread = " ".join([m.group(0).strip().rstrip("了的") for m in untabled]
                                + [shapes.leftover(shapes.QUANTITY.sub(" ", masked))]).strip()
        if (found and len(found) == 1 and not query.unread and not shapes.QUANTITY.search(masked)
                and not shapes.ASKS_WHAT.search(masked)):
            query.kind = "overview"  # 「鹿山」「鹿山2021年报」: the report's key numbers
        return query  # 「平潭2016年主动公开多少」: no cell answers it — not understood, never the summary

    if (w.change or query.base_year is not None) and len(found) <= 1:
        query.kind = "change"
        return query
    if len(found) >= 2:  # 「鹿山和青石山比较」, or 「…一共」 = the sum over just those offices
        summed = w.together or (re.search(r"\btotal\b", norm) and not w.compare)  # "linan apps total"
        query.kind, query.aggregate = ("aggregate", "sum") if summed else ("compare", None)
        more, less = w.most or _MORE.search(norm), w.least or _LESS.search(norm)
        if not summed and (more or less):
            query.aggregate = "max" if more else "min"  # 「…哪个公开率最高」: name the winner first
        if (len(found) == 2 and shapes.YES_NO_VALUE.search(norm) and not shapes.QUANTITY.search(norm)
                and not _ALL_OFFICES.search(norm)):
            # 「东湖申请比南苑多吗」: is the first the larger? 是/否 first
            query.yes_no = "more" if shapes.MORE_THAN.search(norm) else "less" if shapes.LESS_THAN.search(norm) else ""
        return query
    if len(found) == 1 and breakdown and metric.key.startswith("t3.") and (w.most or w.least):
        query.kind = "breakdown"  # 「东湖的申请人哪类最多」: by applicant type, the largest first
        query.aggregate = "max" if w.most else "min"
        return query
    if len(found) == 1 and (w.most or w.least) and not w.top and not w.bottom:
        query.kind, query.aggregate = "aggregate", "rank"  # 「鹿山是不是申请最少的」: its place in the ranking
        return query
    if found and not (w.top or w.bottom or w.rank or (w.every and (w.most or w.least))):
        query.kind = "value"
        query.more_metrics = _more_metrics(concepts)
        if query.more_metrics and (w.together or w.total):  # 「全部公开和部分公开一共多少」: one sum
            query.metric, query.more_metrics = sum_metric(query.more_metrics), []
        if breakdown and metric.key.startswith("t3.") and metric.key.endswith(".total") and not query.more_metrics:
            query.kind = "breakdown"  # 「鹿山的申请是哪里来的」: by applicant type
        elif shapes.YES_NO_VALUE.search(norm) and not shapes.QUANTITY.search(norm):
            _yes_no_value(query, w, norm)  # 「东湖有没有行政诉讼」「鹿山申请超过100件吗」: 有/没有, 是/否 first
        return query
    _aggregate_kind(query, w, norm, found)
    if query.implicit and not _asks_something(norm):
        query.kind, query.aggregate, query.implicit = "unknown", None, False  # 「收到」「收到，谢谢」: chatter
    return query


def _asks_something(norm: str) -> bool:
    """Whether a message with no office and no aggregate word still asks for a number.

    In a group 「收到」「收到，谢谢」 acknowledge a message; read as the 收到 row they would be answered with
    the chat's total. A question about every office says how much (多少, 几, "how many") or ends in a
    question mark — a yes/no one (「收到了吗」: was my report received?) asks for no total."""
    if shapes.QUANTITY.search(norm) or shapes.ASKS_WHAT.search(norm):
        return True
    return bool(re.search(r"\?\s*$", norm)) and not re.search(r"吗|么|没有?\W*$|\bdid\b|\bhas\b|\bhave\b", norm)


def _asks_about_place(query: Query, norm: str) -> bool:
    """Whether an unknown place name comes with a question (so 「本群没有…」 answers it).

    A Chinese name, or an English one followed by street/town, is a place; a word that only spells as
    pinyin ("meeting at 3pm") is one only when a number is asked for with it."""
    name = query.unknown_name
    if not name.isascii() or _EN_PLACE.search(name):
        return True
    return query.metric is not None or bool(shapes.QUANTITY.search(norm))


def _yes_no_value(query: Query, w: _Words, norm: str) -> None:
    """A yes/no question about one office's number: a threshold (超过100件吗), an equality (是不是100%),
    or whether there is any (有没有行政诉讼)."""
    query.yes_no = "value"
    rate = query.metric is not None and query.metric.is_rate
    if w.above or w.below:
        m = (w.above or w.below)[0]
        number = float(m.group(2) or m.group(4))
        inclusive = re.search(r"不少于|不低于|至少|at\s+least|≥|>=|以上", m.group(0)) is not None
        query.threshold = ((">=" if inclusive else ">") if w.above else "<", number / 100 if rate else number)
        return
    m = shapes.EQUALS.search(norm)
    if m:
        number = float(m.group(1))
        query.threshold = ("=", number / 100 if rate or m.group(2) == "%" else number)


def _status_kind(query: Query, w: _Words, found: list, *, one_office: bool, submit_one: bool,
                 list_offices: bool) -> bool:
    """Set a status kind (submitted?, missing, errors, count, offices); True when one applies."""
    if len(found) == 1 and (submit_one or (w.missing and one_office)):
        query.kind = "submitted_one"  # 「鹿山交了没有」 "Has Lushan submitted?"
    elif w.missing:
        query.kind = "missing"
    elif w.submitted and query.metric is None:
        query.kind = "submitted"
    elif (w.errors or w.passed) and query.metric is None:
        if found:
            query.kind = "findings"
        elif query.unknown_name and not w.about_all:
            query.kind = "no_office"  # 「西湖有什么问题」 with no 西湖 here: not every report's errors
            return True
        else:
            query.kind = "errors"
        # which list: reports with errors (default), with warnings, or that passed
        query.aggregate = "passed" if w.passed else "warnings" if w.warnings_only else None
    elif w.count and query.metric is None and not found:
        query.kind = "count"
    elif list_offices and query.metric is None and not found:
        query.kind = "offices"  # 「有哪些单位」「名册上有谁」 (「有哪些乡镇」: that kind only)
        query.office_kind = next((kind for pattern, kind in _KIND_WORDS if pattern.search(query.text.lower())), None)
    else:
        return False
    return True


def _aggregate_kind(query: Query, w: _Words, norm: str, found: list) -> None:
    """A question over the chat's offices: which aggregate, for which kind of office."""
    metric = query.metric
    if w.compare and not found:
        query.kind, query.aggregate = "aggregate", "rank"
        return
    query.kind = "aggregate"
    if not found:  # 「哪个乡镇…」: only that kind of office
        query.office_kind = next((kind for pattern, kind in _KIND_WORDS if pattern.search(norm)), None)
    if (w.above or w.below) and not found:  # 「申请超过100件的单位」: the offices past a threshold
        m = (w.above or w.below)[0]
        number = float(m.group(2) or m.group(4))
        if metric.is_rate:
            number /= 100
        inclusive = re.search(r"不少于|不低于|至少|at\s+least|≥|>=|以上", m.group(0)) is not None  # 以上 includes N
        query.aggregate = "threshold"
        query.threshold = ((">=" if inclusive else ">") if w.above else "<", number)
        return
    equal = _EQUAL_AGG.search(norm) if w.every and not found else None
    if equal:  # 「公开率100%的有哪些」: the offices at exactly that number, not the pooled rate
        number = float(equal.group(1) or equal.group(3))
        query.aggregate, query.threshold = "threshold", ("=", number / 100 if metric.is_rate else number)
        return
    if w.zero and not found:
        query.aggregate = "zero"
        return
    if w.bottom:
        query.aggregate, query.top_n = "bottom", _top_n(w.bottom[0])
    elif w.top:
        query.aggregate, query.top_n = "top", _top_n(w.top[0])
    elif w.rank:
        query.aggregate = "rank"
    elif w.most:
        query.aggregate = "max"
    elif w.least:
        query.aggregate = "min"
    elif w.avg:
        query.aggregate = "avg"
    elif w.every and not found and (_MORE.search(norm) or _LESS.search(norm)):
        query.aggregate = "max" if _MORE.search(norm) else "min"  # 「哪个街道申请少」: the office with the fewest
    elif w.every and re.search(r"各|每个|每家|谁|哪些|哪几|哪个|哪家|\beach\b|\bevery\b|\bwhich\b|\bwho\b", norm) and not w.total:
        query.aggregate = "rank"  # 「各街道的公开率」「谁被告输了」: each office's number, largest first — never a sum
    else:
        query.aggregate = "sum"
        query.implicit = not w.total
    if found:  # 「鹿山排第几」: a ranking with that office highlighted
        query.offices = found

"""Question shapes beyond "one number": history, yes/no, breakdowns, lists — and what is left unread.

A question must get an answer of its own shape: 「平潭历年申请」 is a row per year, not the latest number;
「青石山的报告合格吗」 starts with 通过/未通过; 「水泥路的申请人是哪些类型」 is by applicant type. And a
question with words the parser could not place (「平潭2016年主动公开多少」: 主动公开 is no table cell)
is *not understood* — answering the office's summary instead would answer a different question.
"""

from __future__ import annotations

import re

#: One office over its years: every year held (「历年」), or the trend of one number.
HISTORY = re.compile(
    r"历年|历年来|每年|逐年|各年度?|每一年|这几年|近几年|近年来?|多年来?|历史|趋势|走势|变化情况|"
    r"(?:这|近|过去|最近)[两二三四五六七八九十几]年|哪一?年|哪个年度|哪些年|往年|以往各年|"
    r"\byearly\b|\bannually\b|\bwhich\s+years?\b|\bwhat\s+year\b|\bin\s+which\s+year\b|"
    r"(?:last|past)\s+(?:few|two|three|four|five|\d+)\s+years|"
    r"over\s+the\s+years|each\s+year|every\s+year|by\s+year|per\s+year|year\s+by\s+year|\bhistory\b|\btrend\b|"
    r"all\s+(?:the\s+)?years|across\s+(?:the\s+)?years|through\s+the\s+years"
)
#: A yes/no question about the verdict: answered 通过/未通过 (or 是/否) first, then why.
YES_NO_PASS = re.compile(
    r"是不是(?:合格|通过|达标)的?|合格吗|合格不|合格没|合不合格|是否合格|算合格|通过了吗|通过吗|通过没|通过了没|通过没有|有没有通过|是否通过|能通过吗|能不能通过|"
    r"过了吗|过了没|过关了?吗|达标吗|是否达标|符合要求吗|是否符合|规范吗|合规吗|"
    r"\b(?:did|does|has|is|was)\b.{0,40}\b(?:pass|passed|ok|okay|valid|acceptable|compliant|fine|clean|approved|accepted)\b"
)
YES_NO_ERRORS = re.compile(
    r"是不是有(?:错误?|问题)|是否有(?:错误?|问题)|有错误吗|有没有错误|有错吗|有没有错|有问题吗|有没有问题|有毛病吗|有错没有|对不对|对吗|正确吗|是否正确|准确吗|"
    r"\b(?:any|are\s+there)\s+(?:errors?|problems?|issues?|mistakes?)\b|\b(?:is|was)\b.{0,40}\b(?:correct|right|wrong)\b"
    r"|\bdoes\b.{0,40}\bhave\s+(?:any\s+)?(?:errors?|problems?|issues?|mistakes?)\b"
)
#: By applicant type (表3 columns): 「申请人是哪些类型」「谁申请的」.
BREAKDOWN = re.compile(
    r"申请人.{0,6}(?:类型|类别|哪些|哪类|哪几类|什么|是谁|都是|构成|分布)|来自哪里|来自哪些|从哪里来|从哪来|哪来的|"
    r"来源于|哪些类型|什么类型|哪几类|哪类|各类|分类|谁申请|"
    r"哪些人申请|什么人申请|谁提出|按类型|by\s+type|what\s+(?:kinds?|types?)|which\s+(?:kinds?|types?)|"
    r"types?\s+of\s+applicants?|applicant\s+types?|who\s+(?:were|are)\s+the\s+applicants"
)
#: 「本群有哪些单位」: the chat's own offices.
LIST_OFFICES = re.compile(
    r"(?:本群|这个群|群里|这里|我们|目前|现在)?(?:都|一共|总共)?有(?:哪些|哪几个|几个|多少个?)(?:单位|街道|乡镇|部门)$|"
    r"(?:列出|列一下|列举|显示|看看|查看)(?:所有|全部|本群)?(?:的)?(?:单位|街道|乡镇|部门)|"
    r"(?:所有|全部|本群|群里|这里)(?:的)?(?:单位|街道|乡镇|部门)(?:列表|名单|有哪些|是哪些|都有谁)?$|"
    r"\b(?:which|what)\s+(?:offices|townships|subdistricts|streets|departments)\s+(?:do\s+we\s+have|are\s+(?:here|there|"
    r"(?:in\s+)?(?:this|the|our)\s+(?:group|chat)))|"
    r"\b(?:offices|townships|subdistricts|departments)\s+(?:are\s+)?(?:here|in\s+(?:this|the|our)\s+(?:group|chat))"
    r"|\bshow\s+(?:me\s+)?(?:all\s+)?(?:the\s+)?offices\b"
)
#: Things a report tells in prose but no table cell holds (主动公开 counts, websites, new media): a question
#: about them is not understood — their 「公开」 must not be read as 予以公开.
UNTABLED = re.compile(r"主动公开(?:了|的)?(?:政府)?(?:信息)?|政务新媒体|新媒体|公众号|微博|网站|网页|门户|点击量|浏览量|访问量|"
                      r"发布会|人大建议|政协提案|建议提案|培训|人口|预算|工作人员|\bwebsites?\b|\bpress\s+conferences?\b|"
                      r"\bproactive(?:ly)?(?:\s+(?:disclos(?:ed?|ure)|publish(?:ed)?|release[ds]?|made\s+public))?\b|\bbudget\b|\bstaff\b|\bpopulation\b")

#: A yes/no question about a number (「东湖有没有行政诉讼」「鹿山申请超过100件吗」 "Did Donghu have any lawsuits?"):
#: the answer starts 有/没有 or 是/否 (Yes/No), then the number.
YES_NO_VALUE = re.compile(r"有没有|有无|是不是|是否|[吗么嘛]\s*[?？]?\s*$|\bany\b|^\W*(?:is|are|was|were|did|does|do|has|have|had)\b")
#: 「公开率是不是100%」 "is it 20": the number a yes/no question names.
EQUALS = re.compile(r"(?:是不是|是否为?|是|等于|达到|\bequal\s+to\b|\bexactly\b)\s*(\d+(?:\.\d+)?)\s*(%|件|个)?")
#: 「东湖申请比南苑多吗」: is the first office's number the larger (or smaller) one.
MORE_THAN = re.compile(r"比.{1,16}?(?:多|高|大)|\bmore\b|\bhigher\b|\blarger\b|\bbigger\b")
LESS_THAN = re.compile(r"比.{1,16}?(?:少|低|小)|\bless\b|\bfewer\b|\blower\b|\bsmaller\b")

#: A question word the office's summary does not answer (「鹿山是哪个区的」「谁负责」 "where", "who").
ASKS_WHAT = re.compile(r"哪|谁|何时|何地|为什么|为何|怎么回事|\bwho\b|\bwhere\b|\bwhen\b|\bwhy\b|\bwhich\b")

#: A quantity is asked for (a number must answer it, never the office's summary).
QUANTITY = re.compile(r"多少|几[件个次条份家项]?|数量|数目|比例|比率|占比|\bhow\s+(?:many|much)\b|\bnumber\s+of\b"
                      r"|\bwhat\s+(?:is|was|are)\b|\bcount\b|\bhow\s+often\b")

#: Words that may stay unread in a question about one office without changing what it asks.
_FILLER_ZH = set("的了吗呢啊吧么呀嘛和与及跟同在是有把对给为就都还也又再从到被让请问查看说下个一些么这那其")
_FILLER_WORDS_ZH = ("年度报告", "工作报告", "年报", "报告", "情况", "怎么样", "如何", "概况", "总体", "数据", "信息", "一下",
                    "看看", "查查", "查询", "请问", "给我", "说说", "介绍", "总结", "汇总", "概要", "简介", "基本", "单位",
                    "街道", "办事处", "镇", "乡", "今年", "去年", "年度", "年", "份", "这份", "那份", "全部", "整体", "主要",
                    "关键", "指标", "数字", "告诉我", "帮我", "我想知道", "想知道", "知道", "问", "查", "看", "讲讲", "讲",
                    "比较", "对比", "相比", "比一比", "什么", "怎样", "详细", "详情", "具体")
_FILLER_EN = {"report", "reports", "overview", "summary", "about", "tell", "me", "show", "the", "a", "an", "of", "for",
              "in", "on", "what", "whats", "how", "is", "was", "are", "its", "their", "s", "please", "give", "info",
              "information", "details", "data", "numbers", "key", "figures", "year", "annual", "and", "to", "with",
              "compare", "compared", "vs", "versus", "between", "do", "does", "did", "we", "have", "has", "see",
              "look", "at", "can", "you", "i", "want", "know", "stats", "statistics", "office", "street", "town",
              "subdistrict", "township", "doing", "status", "latest", "last", "this", "that"}


def leftover(masked: str) -> str:
    """The words of a question nothing read (office, year, metric and question words already masked).

    Filler (「的」「年报」「情况」, "report", "tell me") is dropped; what remains, e.g. 「主动公开」, is a
    thing the question asks about that the bot cannot look up."""
    text = masked
    for word in sorted(_FILLER_WORDS_ZH, key=len, reverse=True):
        text = text.replace(word, " ")
    zh = "".join(ch if "\u4e00" <= ch <= "\u9fff" and ch not in _FILLER_ZH else " " for ch in text)
    zh_words = [w for w in zh.split() if len(w) >= 2]
    en_words = [w for w in re.findall(r"[a-z]+", text) if w not in _FILLER_EN and len(w) > 2]
    return " ".join(zh_words + en_words).strip()

"""The typed result of parsing a question, and the answer the bot sends back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.questions.metrics import Metric

#: Query kinds:
#:   value      one office, one metric, one year
#:   overview   one office, no metric: the report's key numbers and verdict
#:   aggregate  a metric over the chat's offices (``aggregate``: sum/avg/max/min/top/rank)
#:   compare    a metric for two or more named offices
#:   change     one office (or the chat total), a metric against the previous year
#:   count      how many offices reported for a year
#:   errors     which reports of a year have validation errors
#:   findings   what is wrong with one office's report
#:   missing    who has not submitted for a year (roster ∪ reporters)
#:   submitted  who has submitted for a year
#:   submitted_one  has one office submitted (the year asked, else the report due this year)
#:   breakdown  one office's 表3 row by applicant type
#:   offices    the chat's offices and roster
#:   no_office  names a place that is no office of this chat
#:   choose     two offices fit the name equally: ask back (``choices``)
#:   history    one office (or the chat) over every year held: 「平潭历年申请」
#:   years      one office's key numbers in two years: 「平潭2023年和2021年比较」
#:   rectify    who still has to fix confirmed findings (整改, issue 21): offices in 需整改
#:   hello      a greeting or a plea for help (「你好」「怎么用」 "help"): what the bot does, how to ask
#:   unknown    not understood
KINDS = ("value", "overview", "aggregate", "compare", "change", "count", "errors", "findings", "missing",
         "submitted", "submitted_one", "breakdown", "offices", "no_office", "choose", "history", "years", "rectify", "hello",
         "unknown")


@dataclass
class Query:
    """A parsed question. ``year`` None means "the latest year held"; ``base_year`` is for ``change``."""

    text: str
    lang: str = "zh"
    kind: str = "unknown"
    offices: list[Any] = field(default_factory=list)  # storage.types.OfficeInfo
    choices: list[Any] = field(default_factory=list)  # tied OfficeInfo candidates: ask back
    metric: Metric | None = None
    more_metrics: list[Metric] = field(default_factory=list)  # value: several 表3 rows in one question
    year: int | None = None
    base_year: int | None = None
    year_words: str = ""
    #: aggregate: sum | avg | max | min | top | bottom | rank | zero | threshold; compare: max | min (name the winner);
    #: errors: None (with errors) | warnings | passed
    aggregate: str | None = None
    top_n: int | None = None
    implicit: bool = False  # aggregate "sum" chosen only because no office was named
    threshold: tuple[str, float] | None = None  # aggregate "threshold": (">" | ">=" | "<", number)
    unknown_name: str = ""  # a place name that matched no office of the chat
    office_kind: str | None = None  # 「哪个乡镇…」: only offices of this kind, when the chat has any
    guessed: bool = False  # the office was a near miss (「六山」 for 鹿山): the answer says whom it is for
    yes_no: str = ""  # findings asked as yes/no: "pass" (合格吗) → 通过/未通过 first, "errors" (有错误吗) → 是/否
    unread: str = ""  # words of the question nothing could read (「主动公开」): not understood, say so
    chatter: bool = False  # 「收到」「好的谢谢」 "ok thanks": an acknowledgement, no question (kind stays unknown)

    @property
    def understood(self) -> bool:
        """False when the bot should reply with example questions."""
        return self.kind != "unknown"


@dataclass
class Answer:
    """What the bot sends: ``text`` in ``lang``; non-empty ``choices`` (office names) = ask back with buttons."""

    text: str
    lang: str = "zh"
    understood: bool = True
    choices: list[str] = field(default_factory=list)
    #: 「收到」「好的谢谢」: group talk, not a question. A group reply to the bot's message stays unanswered
    #: (handlers/questions.py); a private chat gets a one-line acknowledgement.
    chatter: bool = False

"""A question-answering workspace: the five real seeds plus factory reports, built once per session.

Chat ``CHAT`` holds the seeds (2021, mostly zeros; 青石山 with blank 表3 rows and a T3-05 error), factory
reports with non-zero numbers for 2021 and 2020 (so 「比去年」 works), a 2019-format report, an office
whose short name 红旗 clashes with the 红旗街 seed (ask back), an alias, and a roster entry that never
reported. ``CHAT_ONE`` has a single office; ``CHAT_EMPTY`` nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from bot.reading import read_path
from bot.report import Report, Value
from bot.validation import validate
from storage import repo
from storage.db import Database, upgrade
from tests.support.factories import make_report

CHAT = -100_111
CHAT_ONE = -100_222
CHAT_EMPTY = -100_333
CHAT_CITY = -100_444  # offices named by city (上海市人民政府办公厅), one office over three years (平潭)
TODAY = date(2022, 2, 15)  # filing season: 今年 = 2021, 去年 = 2021, 前年 = 2020
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

#: (seed, full name, short name, kind, year, format) of the factory reports in CHAT.
FACTORY = [
    (21, "示范区东湖街道", "东湖", "街道", 2021, "2021"),
    (22, "示范区红旗街道", "红旗", "街道", 2021, "2021"),
    (23, "示范区南苑街道", "南苑", "街道", 2021, "2021"),
    (24, "富阳区新登镇", "新登", "乡镇", 2021, "2021"),
    (31, "富阳区鹿山街道", "鹿山", "街道", 2020, "2021"),
    (32, "示范区东湖街道", "东湖", "街道", 2020, "2021"),
    (33, "青石山街道办事处", "青石山", "街道", 2020, "2021"),
    (34, "示范区东湖街道", "东湖", "街道", 2019, "2019"),
]
#: The same for CHAT_CITY: partial names (上海, 杭州, 临安), and 平潭 in 2019, 2021 and 2023.
CITY = [
    (51, "上海市人民政府办公厅", "上海市政府办公厅", "部门", 2021, "2021"),
    (52, "上海市人民政府办公厅", "上海市政府办公厅", "部门", 2020, "2021"),
    (53, "杭州市人民政府办公厅", "杭州市政府办公厅", "部门", 2021, "2021"),
    (54, "平潭综合实验区", "平潭", "区县政府", 2019, "2019"),
    (55, "平潭综合实验区", "平潭", "区县政府", 2021, "2021"),
    (56, "平潭综合实验区", "平潭", "区县政府", 2023, "2021"),
    (57, "临安区青山湖街道", "青山湖", "街道", 2021, "2021"),
    (58, "临安区锦城街道", "锦城", "街道", 2021, "2021"),
]


@dataclass
class Dataset:
    """What was stored, so tests can compute the expected numbers from the same reports."""

    url: str
    reports: dict[tuple[str, int], Report] = field(default_factory=dict)  # (short name, year) → report
    city: dict[tuple[str, int], Report] = field(default_factory=dict)  # the same for CHAT_CITY

    def report(self, short: str, year: int = 2021) -> Report:
        return self.reports[(short, year)]


async def _populate(url: str, data: Dataset) -> None:
    db = Database(url)
    try:
        for path in sorted(EXAMPLES.glob("*.txt")):
            report = read_path(path)[0].report
            assert report is not None, path
            validate(report)
            await repo.store_report(db, chat_id=CHAT, report=report)
            data.reports[(report.office.short_name, report.year)] = report
        for seed, name, short, kind, year, fmt in FACTORY:
            report = make_report(seed, office=name, short_name=short, kind=kind, year=year, fmt=fmt)
            validate(report)
            await repo.store_report(db, chat_id=CHAT, report=report)
            data.reports[(f"{short}@{name}" if short == "红旗" else short, year)] = report
        offices = {o.name: o for o in await repo.find_offices(db, chat_id=CHAT)}
        await repo.add_alias(db, office_id=offices["示范区东湖街道"].id, alias="东湖片区")
        await repo.roster_add(db, chat_id=CHAT, name="示范区北关街道", kind="街道")
        await repo.roster_add(db, chat_id=CHAT, name="富阳区鹿山街道", kind="街道")
        one = make_report(41, office="示范区光明街道", short_name="光明", year=2021)
        validate(one)
        await repo.store_report(db, chat_id=CHAT_ONE, report=one)
        data.reports[("光明", 2021)] = one
        await repo.ensure_workspace(db, chat_id=CHAT_EMPTY)
        for seed, name, short, kind, year, fmt in CITY:
            report = make_report(seed, office=name, short_name=short, kind=kind, year=year, fmt=fmt)
            validate(report)
            await repo.store_report(db, chat_id=CHAT_CITY, report=report)
            data.city[(short, year)] = report
        # a report with a real error (表3 予以公开·总计 five more than its row): 「玲珑的报告合格吗」 → 未通过
        broken = make_report(59, office="临安区玲珑街道", short_name="玲珑", year=2021)
        granted = broken.applications["granted"]
        granted[-1] = Value(float(granted[-1].value or 0) + 5, raw=str(int(granted[-1].value or 0) + 5))
        validate(broken)
        assert broken.verdict == "有错误"
        await repo.store_report(db, chat_id=CHAT_CITY, report=broken)
        data.city[("玲珑", 2021)] = broken
    finally:
        await db.close()


@pytest.fixture(scope="session")
def qa_data(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The populated SQLite database (built once) and the reports in it."""
    path = tmp_path_factory.mktemp("questions") / "qa.db"
    url = f"sqlite:///{path.as_posix()}"
    upgrade(url)
    data = Dataset(url)
    asyncio.run(_populate(url, data))
    return data


@pytest.fixture
async def qa_db(qa_data: Dataset) -> AsyncIterator[Database]:
    """A connection to the shared question-answering database."""
    db = Database(qa_data.url)
    try:
        yield db
    finally:
        await db.close()

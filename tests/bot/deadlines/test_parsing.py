"""/remind, /deadline and /apply argument parsing: Chinese, ISO, relative, weekly, and clear errors."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.deadlines.parsing import DateError, parse_day, parse_remind

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=TZ)  # a Sunday


def _p(text: str):
    return parse_remind(text, now=NOW, tz=TZ)


@pytest.mark.parametrize(("text", "when", "body"), [
    ("2027-01-20 09:30 请各单位提交年报", datetime(2027, 1, 20, 9, 30), "请各单位提交年报"),
    ("2027年1月20日 9:30 提交", datetime(2027, 1, 20, 9, 30), "提交"),
    ("2027/1/20 提交", datetime(2027, 1, 20, 9, 0), "提交"),
    ("明天 9点 开会", datetime(2026, 11, 23, 9, 0), "开会"),
    ("明天 9点半 开会", datetime(2026, 11, 23, 9, 30), "开会"),
    ("后天 交材料", datetime(2026, 11, 24, 9, 0), "交材料"),
    ("大后天 下午3点 交材料", datetime(2026, 11, 25, 15, 0), "交材料"),
    ("1月20日 上午10点 请提交", datetime(2027, 1, 20, 10, 0), "请提交"),
    ("1月20日 下午三点 请提交", datetime(2027, 1, 20, 15, 0), "请提交"),
    ("12月1号 14:05 检查", datetime(2026, 12, 1, 14, 5), "检查"),
    ("今天 晚上8点 检查", datetime(2026, 11, 22, 20, 0), "检查"),
    ("15:00 开会", datetime(2026, 11, 22, 15, 0), "开会"),
    ("周三 9:00 例会", datetime(2026, 11, 25, 9, 0), "例会"),
    ("下周一 例会", datetime(2026, 11, 23, 9, 0), "例会"),
    ("tomorrow 9am send reports", datetime(2026, 11, 23, 9, 0), "send reports"),
])
def test_one_off_forms(text, when, body):
    req = _p(text)
    assert req.when == when.replace(tzinfo=TZ)
    assert req.text == body
    assert not req.weekly


def test_weekly_form():
    req = _p("每周一 9:00 请各单位更新进度")
    assert req.weekly and req.weekday == 0 and req.at == time(9, 0)
    assert req.text == "请各单位更新进度"
    assert _p("每星期五 下午4点 周报").weekday == 4
    assert _p("每周日 周报").at == time(9, 0)


@pytest.mark.parametrize(("text", "fragment"), [
    ("2月30日 提交", "没有2月30日这一天"),
    ("2027-02-30 09:00 提交", "没有2027年2月30日这一天"),
    ("2026-11-01 9:00 已过去", "已经过去了"),
    ("今天 8点 已过去", "已经过去了"),
    ("昨天 9点 开会", "已经过去了"),  # not 「看不懂这个时间」
    ("前天 开会", "已经过去了"),
    ("yesterday 9:00 meeting", "已经过去了"),
    ("吃饭了吗", "看不懂"),
    ("", "请写上时间"),
    ("明天 9点", "请在时间后面写上提醒内容"),
    ("明天 25:00 x", "时间不对"),
])
def test_bad_input_gets_a_chinese_explanation(text, fragment):
    with pytest.raises(DateError) as err:
        _p(text)
    assert fragment in err.value.message


def test_parse_day_prefers_future_for_deadlines_and_past_for_receipts():
    today = date(2026, 11, 22)
    assert parse_day("1月15日 提交区政府办", today=today) == (date(2027, 1, 15), "提交区政府办")
    assert parse_day("2027-01-15", today=today) == (date(2027, 1, 15), "")
    assert parse_day("3月1日 张三申请", today=today, prefer="past") == (date(2026, 3, 1), "张三申请")
    assert parse_day("12月1日 李四", today=today, prefer="past") == (date(2025, 12, 1), "李四")
    with pytest.raises(DateError):
        parse_day("下个月", today=today)

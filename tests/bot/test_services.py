"""The ingest service on the real seed reports: read → previous year → validate → store → reply."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import bot.validation
from bot.services import IngestOutcome, ingest, key_numbers, verdict_reply
from storage import repo
from tests.support.factories import make_report

SEEDS = Path(__file__).resolve().parents[2] / "examples"
LUSHAN = SEEDS / "001_4a81d0f783bbd2ce.txt"  # 富阳区鹿山街道 2021: new 3, processed 3
CHAT = -100777


def _seed_files() -> list[Path]:
    files = sorted(SEEDS.glob("*.txt"))
    assert len(files) == 5
    return files


async def test_ingest_stores_validated_report_and_replies(db):
    outcomes = await ingest(
        db,
        chat_id=CHAT,
        filename=LUSHAN.name,
        data=LUSHAN.read_bytes(),
        sender_id=11,
        sender_name="李四",
        file_unique_id="AgAD",
    )
    assert len(outcomes) == 1
    out = outcomes[0]
    assert out.ok and out.error is None
    assert out.stored.status == "new"
    stored = out.stored.report
    assert stored.office.name == "富阳区鹿山街道"
    assert (stored.year, stored.sender_id, stored.sender_name) == (2021, 11, "李四")
    assert stored.verdict == out.report.verdict
    assert stored.warnings == sum(f.severity == "warning" for f in out.report.findings)
    assert out.report.findings, "validation ran and found the STR-02 headings"
    codes = [f.code for f in await repo.report_findings(db, report_id=stored.id)]
    assert sorted(codes) == sorted(f.code for f in out.report.findings)
    cells = await repo.report_cells(db, report_id=stored.id)
    assert cells[("t3", "new_received", "total")] == 3

    reply = verdict_reply(out)
    first = reply.splitlines()[0]
    assert first.startswith(bot.validation.verdict_emoji(stored.verdict))
    assert "富阳区鹿山街道" in first and "2021年度" in first
    assert "新收3件" in reply and "办结3件" in reply and "结转0件" in reply
    assert "STR-02" in reply
    assert "Traceback" not in reply


async def test_same_file_twice_is_duplicate_and_corrected_file_is_new_version(sqlite_db):
    data = LUSHAN.read_bytes()
    await ingest(sqlite_db, chat_id=CHAT, filename=LUSHAN.name, data=data)
    dup = (await ingest(sqlite_db, chat_id=CHAT, filename="again.txt", data=data))[0]
    assert dup.stored.status == "duplicate"
    assert "该文件已收到过" in verdict_reply(dup)
    assert "already received" in verdict_reply(dup, "en")

    corrected = (await ingest(sqlite_db, chat_id=CHAT, filename=LUSHAN.name, data=data + b"\n"))[0]
    assert corrected.stored.status == "new_version"
    assert corrected.stored.report.version == 2
    assert "已更新为第2版" in verdict_reply(corrected)
    assert "version 2" in verdict_reply(corrected, "en")
    assert len(await repo.list_reports(sqlite_db, chat_id=CHAT)) == 1
    assert len(await repo.list_reports(sqlite_db, chat_id=CHAT, include_history=True)) == 2
    assert "上一版" not in verdict_reply(corrected)  # same findings: nothing to compare


async def test_a_fixed_version_says_what_the_last_one_had(sqlite_db):
    data = LUSHAN.read_text(encoding="utf-8")
    first = (await ingest(sqlite_db, chat_id=CHAT, filename=LUSHAN.name, data=data.encode()))[0]
    fixed_text = data.replace("5、 存在问题及整改情况", "五、存在的主要问题及改进情况").replace("\n6、", "\n六、")
    fixed = (await ingest(sqlite_db, chat_id=CHAT, filename=LUSHAN.name, data=fixed_text.encode()))[0]
    assert fixed.stored.status == "new_version"
    assert fixed.stored.report.warnings < first.stored.report.warnings
    assert f"上一版错误0项、警告{first.stored.report.warnings}项" in verdict_reply(fixed)
    assert f"it had 0 error(s), {first.stored.report.warnings} warning(s)" in verdict_reply(fixed, "en")


async def test_unreadable_file_gets_its_ing_message_and_stores_nothing(sqlite_db):
    out = (await ingest(sqlite_db, chat_id=CHAT, filename="setup.exe", data=b"MZ\x90\x00" * 100))[0]
    assert not out.ok and out.stored is None
    assert out.error.code.startswith("ING-")
    reply = verdict_reply(out)
    assert reply.startswith("❌ setup.exe")
    assert out.error.code in reply and out.error.message in reply
    assert verdict_reply(out, "en") == f"❌ setup.exe: {out.error.message_en} ({out.error.code})"
    assert out.error.message_en.isascii() and out.error.message_en != out.error.message
    assert await repo.list_reports(sqlite_db, chat_id=CHAT) == []


async def test_zip_batch_reports_progress_and_stores_each(sqlite_db):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in _seed_files():
            zf.writestr(path.name, path.read_bytes())
    calls: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        calls.append((done, total))

    outcomes = await ingest(
        sqlite_db, chat_id=CHAT, filename="年报.zip", data=buf.getvalue(), progress=progress
    )
    assert len(outcomes) == 5
    assert all(o.ok for o in outcomes), [verdict_reply(o) for o in outcomes if not o.ok]
    assert calls == [(i, 5) for i in range(1, 6)]
    names = {s.office.name for s in await repo.list_reports(sqlite_db, chat_id=CHAT)}
    assert len(names) == 5 and "富阳区鹿山街道" in names


async def test_failing_progress_callback_does_not_lose_the_upload(sqlite_db):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path in _seed_files()[:2]:
            zf.writestr(path.name, path.read_bytes())

    async def broken(done: int, total: int) -> None:
        raise RuntimeError("message to edit not found")

    outcomes = await ingest(sqlite_db, chat_id=CHAT, filename="two.zip", data=buf.getvalue(), progress=broken)
    assert [o.stored.status for o in outcomes] == ["new", "new"]


async def test_previous_year_of_same_office_and_chat_is_passed_to_validation(sqlite_db, monkeypatch):
    await repo.store_report(
        sqlite_db, chat_id=CHAT, report=make_report(1, office="富阳区鹿山街道", year=2020)
    )
    seen: list[object] = []
    real = bot.validation.validate

    def spy(report, previous=None, **kwargs):
        seen.append(previous)
        return real(report, previous, **kwargs)

    monkeypatch.setattr(bot.validation, "validate", spy)
    await ingest(sqlite_db, chat_id=CHAT, filename=LUSHAN.name, data=LUSHAN.read_bytes())
    await ingest(sqlite_db, chat_id=CHAT + 1, filename=LUSHAN.name, data=LUSHAN.read_bytes())
    assert seen[0] is not None and seen[0].year == 2020 and seen[0].office.name == "富阳区鹿山街道"
    assert seen[1] is None  # another chat's reports are not this chat's history


async def test_validator_crash_still_stores_the_file(sqlite_db, monkeypatch):
    def boom(*args, **kwargs):
        raise ZeroDivisionError("rule bug")

    monkeypatch.setattr(bot.validation, "validate", boom)
    out = (await ingest(sqlite_db, chat_id=CHAT, filename=LUSHAN.name, data=LUSHAN.read_bytes()))[0]
    assert out.stored.status == "new"
    assert "Traceback" not in verdict_reply(out) and "ZeroDivisionError" not in verdict_reply(out)


def test_reply_for_clean_report_and_english():
    report = make_report(2)
    report.findings = []
    from storage.types import OfficeInfo, StoredReport, StoreResult  # noqa: F401 - reply needs no database

    out = IngestOutcome("鹿山.docx", report, None, None)
    zh = verdict_reply(out)
    assert zh.splitlines()[0] == "✅ 富阳区鹿山街道 2021年度"
    assert f"新收{report.t3('new_received')}件" in zh
    assert "通过" in zh
    en = verdict_reply(out, "en")
    assert en.splitlines()[0] == "✅ 富阳区鹿山街道 2021"
    assert f"new {report.t3('new_received')}" in en


def test_key_numbers_show_blank_as_dash():
    report = make_report(3)
    report.applications["carried_forward"][6].value = None
    text = key_numbers(report)
    assert "结转—件" in text
    lit = report.t4("litigation_direct") + report.t4("litigation_after_review")
    assert f"诉讼{lit}件" in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_error_outcome_without_reader_error_object(lang):
    out = IngestOutcome("x.pdf", None, None, None)
    assert verdict_reply(out, lang).startswith("❌ x.pdf")


async def test_upload_asks_reminders_to_check_the_roster_but_a_duplicate_does_not(sqlite_db, monkeypatch):
    import bot.deadlines

    calls: list[tuple[int, int | None]] = []

    async def record(db, *, chat_id, year, **_):
        calls.append((chat_id, year))
        return 0

    monkeypatch.setattr(bot.deadlines, "report_stored", record)
    seed = _seed_files()[1]
    await ingest(sqlite_db, chat_id=-42, filename=seed.name, data=seed.read_bytes())
    await ingest(sqlite_db, chat_id=-42, filename=seed.name, data=seed.read_bytes())
    assert calls == [(-42, 2021)]


async def test_a_failing_reminder_check_does_not_lose_the_upload(sqlite_db, monkeypatch):
    import bot.deadlines

    async def broken(*_, **__):
        raise RuntimeError("reminder tables unavailable")

    monkeypatch.setattr(bot.deadlines, "report_stored", broken)
    seed = _seed_files()[1]
    (outcome,) = await ingest(sqlite_db, chat_id=-43, filename=seed.name, data=seed.read_bytes())
    assert outcome.stored.status == "new"
    assert await repo.list_reports(sqlite_db, chat_id=-43)


async def test_a_reading_gap_is_said_plainly_not_blamed_on_the_office(sqlite_db):
    # a PDF's text whose 予以公开 row lost two numbers: ⚠️ saying what could not be read and asking for the
    # .docx — no ❌, no 「空白单元格」; the stored report keeps the unread cells (re-validation agrees)
    from tests.support.messy import render_messy

    lines = render_messy(make_report(2), "wrapped-after", 2).split("\n")
    i = next(n for n, ln in enumerate(lines) if ln.startswith("（一）予以公开"))
    lines[i + 1] = " ".join(lines[i + 1].split()[:5])
    (out,) = await ingest(sqlite_db, chat_id=CHAT, filename="鹿山.txt", data="\n".join(lines).encode(),
                          sender_id=11, sender_name="李四", file_unique_id="gap")
    reply = verdict_reply(out)
    assert reply.startswith("⚠️") and "❌" not in reply, reply
    assert "予以公开" in reply and "未能从文件中读出" in reply and ".docx" in reply
    assert "空白" not in reply.replace("不按空白处理", "")
    stored = await repo.load_report(sqlite_db, report_id=out.stored.report.id)
    assert [v.doubt for v in stored.applications["granted"]] == ["unread"] * 7
    assert not {f.code for f in bot.validation.validate(stored)} & {"T3-05", "T3-01", "T3-02", "T3-03"}

"""The 通报 from real stored reports: opened again with python-docx; the PDF read back with pdftotext."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from docx import Document

from bot.documents import NoDocument, bulletin_files
from bot.documents import service as document_service
from bot.documents.bulletin import _cn, build_bulletin
from bot.documents.collect import collect
from bot.documents.pdf import docx_to_pdf, fonts_conf, pdf_available
from bot.review.states import DISMISSED
from tests.bot.documents.conftest import CHAT, MISSING, rule, ruling

TODAY = date(2022, 2, 10)


async def test_bulletin_has_status_problems_ranking_and_charts(filed, monkeypatch) -> None:
    monkeypatch.setattr(document_service, "pdf_available", lambda: False)
    await rule(filed, "鹿山", "T3-01", "confirmed")
    await rule(filed, "鹿山", "T3-03", "dismissed", "总计按口径填写")
    files = await bulletin_files(filed, chat_id=CHAT, issuer="某区政务公开办", today=TODAY)
    assert files.pdf is None and "未安装 LibreOffice" in files.note
    assert files.docx.filename == "年报情况通报_2021.docx"
    assert "已报送3/4个单位，需整改1个、待审2个" in files.docx.caption
    doc = Document(io.BytesIO(files.docx.data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于2021年度政府信息公开工作年度报告报送和审核情况的通报" in text
    assert "单位共4个，已报送3个，未报送1个。经审核，通过0个，需整改1个，已整改0个，待审2个。" in text
    assert f"未报送单位（1个）：{MISSING}。" in text
    assert "富阳区鹿山街道（需整改，错误1个、警告" in text
    assert "【错误，经确认】表3“法律服务机构”列：本年新收5+上年结转0=5" in text
    assert "“本年新收”行" not in text and "另有1个疑似问题经核实不是问题，未列入。" in text
    assert "青石山街道办事处（待审，错误1个" in text
    status, ranking = doc.tables
    rows = {r.cells[1].text: [c.text for c in r.cells] for r in status.rows[1:]}
    assert rows["富阳区鹿山街道"][3:] == ["第1版", "有错误", "需整改"]
    assert rows["铁岭市银州区红旗街"][5] == "待审" and rows[MISSING][2:] == ["未报送", "", "", "未提交"]
    assert [c.text for c in ranking.rows[0].cells][:3] == ["排名", "单位", "本年新收"]
    assert ranking.rows[1].cells[1].text == "富阳区鹿山街道" and ranking.rows[1].cells[2].text == "3"  # its 总计 cell
    assert len(doc.inline_shapes) == 3  # the three charts, as images
    assert "图1 各单位本年新收政府信息公开申请情况" in text and text.rstrip().endswith("2022年2月10日")


async def test_dismissed_findings_are_not_in_the_problem_list(filed) -> None:
    data = await collect(filed, chat_id=CHAT, year=2021)
    [lushan] = [r for r in data.rows if r.short == "鹿山"]
    lushan.findings = [f if f.finding.code != "T3-03" else
                       type(f)(f.finding, f.fingerprint, ruling(DISMISSED, "口径", "李科长")) for f in lushan.findings]
    text = "\n".join(p.text for p in Document(io.BytesIO(
        build_bulletin(data, issuer="x", today=TODAY, with_charts=False))).paragraphs)
    assert "“本年新收”行" not in text and "另有1个疑似问题经核实不是问题，未列入。" in text
    assert "富阳区鹿山街道（待审，错误1个" in text


async def test_empty_chat_and_unknown_year_get_one_line(sqlite_db, filed) -> None:
    with pytest.raises(NoDocument, match="本群还没有年报"):
        await bulletin_files(sqlite_db, chat_id=-42, issuer="x", today=TODAY)
    with pytest.raises(NoDocument, match="本群还没有2019年度年报"):
        await bulletin_files(filed, chat_id=CHAT, year=2019, issuer="x", today=TODAY)


@pytest.mark.skipif(not pdf_available() or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or pdftotext is not installed")
async def test_the_pdf_holds_the_text_and_embeds_its_fonts(filed) -> None:
    files = await bulletin_files(filed, chat_id=CHAT, issuer="某区政务公开办", today=TODAY)
    assert files.pdf is not None and files.pdf.filename == "年报情况通报_2021.pdf"
    assert files.pdf.data.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=files.pdf.data, capture_output=True, check=True
                          ).stdout.decode("utf-8")
    flat = "".join(text.split())
    assert "报送和审核情况的通报" in flat and "富阳区鹿山街道" in flat and "法律服务机构" in flat
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", "-"], input=files.pdf.data, capture_output=True).stdout.decode()
        rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
        assert rows and all("yes" in r[-5:-2] for r in rows), fonts  # every font embedded


@pytest.mark.skipif(not pdf_available(), reason="LibreOffice (soffice) is not installed")
async def test_a_conversion_past_its_timeout_gives_no_pdf_rather_than_an_error(filed) -> None:
    data = await collect(filed, chat_id=CHAT, year=2021)
    docx = build_bulletin(data, issuer="x", today=TODAY, with_charts=False)
    assert docx_to_pdf(docx, timeout=0.05) is None  # killed with its process group, no exception


def test_chinese_numerals_for_headings() -> None:
    assert [_cn(n) for n in (1, 9, 10, 11, 20, 25)] == ["一", "九", "十", "十一", "二十", "二十五"]


@pytest.mark.skipif(not pdf_available() or shutil.which("pdffonts") is None or shutil.which("fc-match") is None,
                    reason="LibreOffice, pdffonts or fontconfig is not installed")
async def test_the_pdf_draws_the_serif_body_with_a_cjk_serif_where_one_is_installed(filed, tmp_path) -> None:
    conf = tmp_path / "fonts.conf"
    conf.write_text(fonts_conf(), encoding="utf-8")
    serif = subprocess.run(["fc-match", "-f", "%{family}", "仿宋"], capture_output=True, text=True,
                           env={"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin"}).stdout
    if "Serif" not in serif and "Ming" not in serif:
        pytest.skip(f"no CJK serif font installed (仿宋 → {serif})")
    data = await collect(filed, chat_id=CHAT, year=2021)
    pdf = docx_to_pdf(build_bulletin(data, issuer="x", today=TODAY, with_charts=False))
    assert pdf is not None
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True).stdout.decode()
    assert any(k in fonts for k in ("SerifCJK", "HanSerif", "UMing")), fonts  # not the CJK sans fontconfig picks

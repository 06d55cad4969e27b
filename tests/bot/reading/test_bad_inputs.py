"""Every kind of bad input gives a clear Chinese error result, never an exception."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from bot.reading import MAX_FILE_BYTES, read_bytes
from tests.bot.reading.conftest import seed_path
from tests.support.factories import make_report
from tests.support.render import render_docx, render_txt


def _error(name: str, data: bytes) -> tuple[str, str]:
    results = read_bytes(name, data)
    assert len(results) == 1
    assert results[0].report is None
    err = results[0].error
    assert err.message and any("\u4e00" <= ch <= "\u9fff" for ch in err.message)
    return err.code, err.message


def test_empty_file():
    assert _error("a.txt", b"")[0] == "ING-01"
    assert _error("a.docx", b"")[0] == "ING-01"


def test_binary_junk():
    assert _error("a.txt", bytes(range(256)) * 40)[0] == "ING-01"


def test_image():
    code, msg = _error("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 2000)
    assert code == "ING-01" and "图片" in msg


def test_too_big():
    code, msg = _error("big.pdf", b"%PDF" + b" " * (MAX_FILE_BYTES + 1))
    assert code == "ING-03" and "20MB" in msg


def test_not_an_annual_report():
    code, msg = _error("note.txt", "今天开会讨论食堂菜单，大家意见很多。\n".encode() * 20)
    assert code == "ING-01" and "年度报告" in msg


def test_unsupported_extension():
    assert _error("a.xyz", b"\x00\x01\x02" * 100)[0] == "ING-01"


def test_corrupt_docx():
    data = render_docx(make_report(1))
    assert _error("a.docx", data[: len(data) // 2])[0] == "ING-01"


def test_docx_zip_bomb_member_refused_before_parsing():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<" + b"a" * (50 * 1024 * 1024))
    code, msg = _error("bomb.docx", buf.getvalue())
    assert code == "ING-01" and "压缩" in msg or "过大" in msg


def test_billion_laughs_docx_rejected():
    good = render_docx(make_report(1))
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
        )
        + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    )
    src = zipfile.ZipFile(io.BytesIO(good))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            zf.writestr(info.filename, bomb if info.filename == "word/document.xml" else src.read(info))
    assert _error("lol.docx", buf.getvalue())[0] == "ING-01"


def test_encrypted_word_file_old_format():
    # an OLE2 header with garbage body: antiword cannot read it
    code, msg = _error("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    assert code == "ING-01" and ".docx" in msg


def test_wps_that_is_really_docx_is_read():
    results = read_bytes("报告.wps", render_docx(make_report(2)))
    assert results[0].report is not None
    assert results[0].report.t3("new_received") == make_report(2).t3("new_received")


def test_pdf_without_text_layer_is_ing02():
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 200, 200, fill=1)
    c.showPage()
    c.save()
    code, msg = _error("scan.pdf", buf.getvalue())
    assert code == "ING-02" and "扫描" in msg


def test_corrupt_pdf():
    assert _error("a.pdf", b"%PDF-1.4\n garbage garbage")[0] == "ING-01"


def test_undecodable_text_refused_not_guessed():
    assert _error("a.txt", b"\x81\x30\xff\xfe\xfd" * 50 + b"\x00\x01" * 50)[0] == "ING-01"


# -- zip archives -------------------------------------------------------------------------------


def _zip(members: dict[str, bytes], *, utf8_names: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def test_zip_reads_each_member_and_refuses_bad_ones():
    good = seed_path("001").read_bytes()
    data = _zip({
        "a/鹿山.txt": good,
        "../evil.txt": good,
        "inner.zip": _zip({"x.txt": good}),
        "bomb.txt": b"0" * (30 * 1024 * 1024),
        "b.docx": render_docx(make_report(3)),
    })
    results = {r.filename.split("/", 1)[1]: r for r in read_bytes("batch.zip", data)}
    assert results["a/鹿山.txt"].report.office.short_name == "鹿山"
    assert results["b.docx"].report.t3("new_received") == make_report(3).t3("new_received")
    assert results["../evil.txt"].error.code == "ING-01"
    assert "套" in results["inner.zip"].error.message
    assert results["bomb.txt"].error is not None


def test_zip_gbk_member_names_decoded():
    good = seed_path("004").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("XXXXXX.txt", good)  # ASCII name: no UTF-8 flag; then put GBK bytes in its place
    data = buf.getvalue().replace(b"XXXXXX.txt", "红旗街.txt".encode("gbk"))
    (result,) = read_bytes("打包.zip", data)
    assert result.filename == "打包.zip/红旗街.txt"
    assert result.report.office.short_name == "红旗"


def test_zip_with_too_many_members():
    data = _zip({f"{i}.txt": b"x" for i in range(60)})
    (result,) = read_bytes("many.zip", data)
    assert result.error.code == "ING-01" and "过多" in result.error.message


@pytest.mark.parametrize("layout", ["cells", "rows", "pipes"])
def test_glued_and_broken_rows_in_text(layout):
    report = make_report(6)
    text = render_txt(report, layout)
    assert read_bytes("x.txt", text.encode())[0].report.to_json()["applications"] == report.to_json()["applications"]


def test_password_protected_docx_says_encrypted():
    # Office stores an encrypted .docx as an OLE2 compound file with an EncryptionInfo stream
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512
    code, msg = _error("加密.docx", data)
    assert code == "ING-01" and "加密" in msg


def test_utf16_without_bom_and_gbk_text_are_decoded():
    text = seed_path("004").read_text(encoding="utf-8")
    for data in (text.encode("utf-16-le"), text.encode("gbk")):
        (result,) = read_bytes("红旗.txt", data)
        assert result.report is not None and result.report.office.short_name == "红旗"


def test_password_protected_pdf():
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt="secret")
    c.drawString(100, 700, "report")
    c.showPage()
    c.save()
    code, msg = _error("locked.pdf", buf.getvalue())
    assert code == "ING-01" and "加密" in msg


def test_doc_goes_through_antiword(tmp_path, monkeypatch):
    """The .doc path: OLE2 bytes → antiword (here a stand-in printing antiword's ``|`` table text) → report."""
    report = make_report(13)
    (tmp_path / "out.txt").write_text(render_txt(report, "pipes"), encoding="utf-8")
    fake = tmp_path / "antiword"
    fake.write_text(f"#!/bin/sh\ncat {tmp_path / 'out.txt'}\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:/usr/bin:/bin")
    (result,) = read_bytes("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    assert result.report is not None and result.report.source.kind == "doc"
    assert result.report.to_json()["applications"] == report.to_json()["applications"]


def test_real_antiword_refuses_garbage_ole(monkeypatch):
    # the installed antiword on an OLE2 header without a Word stream: a clear advice to save as .docx
    code, msg = _error("坏.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 3000)
    assert code == "ING-01" and ".docx" in msg


def test_zip_ratio_and_absolute_path_members():
    good = seed_path("002").read_bytes()
    data = _zip({"ratio.txt": b"0" * (5 * 1024 * 1024), "/etc/abs.txt": good, "ok.txt": good})
    results = {r.filename.split("/", 1)[1]: r for r in read_bytes("b.zip", data)}
    assert "压缩比" in results["ratio.txt"].error.message
    assert results["/etc/abs.txt"].error.code == "ING-01" and "路径" in results["/etc/abs.txt"].error.message
    assert results["ok.txt"].report.office.short_name == "水泥路"


def test_zip_encrypted_member_refused_rest_read():
    good = seed_path("002").read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("locked.txt", good)
        zf.writestr("open.txt", good)
    raw = bytearray(buf.getvalue())
    # set the "encrypted" flag bit in the local and central headers of the first member
    local = raw.find(b"PK\x03\x04")
    raw[local + 6] |= 0x01
    central = raw.find(b"PK\x01\x02")
    raw[central + 8] |= 0x01
    results = {r.filename.split("/", 1)[1]: r for r in read_bytes("c.zip", bytes(raw))}
    assert "加密" in results["locked.txt"].error.message
    assert results["open.txt"].report is not None


@pytest.mark.parametrize("name", ["页面.htm", "页面"])
def test_html_by_extension_or_content(name):
    from tests.support.render import render_html

    report = make_report(14)
    (result,) = read_bytes(name, render_html(report))
    assert result.report.source.kind == "html"
    assert result.report.to_json()["applications"] == report.to_json()["applications"]


def test_every_reading_message_has_english():
    """Each message a reader raises (literal, MSG_ constant or formatted) has an English text."""
    import ast

    from bot.reading import errors

    package = Path(errors.__file__).parent
    messages = {v for k, v in vars(errors).items() if k.startswith("MSG_")}
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "advice" for t in node.targets):
                messages.add(node.value.value)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "ReadError" and len(node.args) == 2:
                arg = node.args[1]
                if isinstance(arg, ast.Constant):
                    messages.add(arg.value)
    messages |= {"压缩包内文件过多（51个），请每次不超过50个。", "Word文件内文件过多（9999个），已拒绝处理。",
                 "Word文件已加密，请去除密码后重新发送。", "文件内有重复条目，疑似损坏，已拒绝处理。",
                 "Word文件解压后过大，已拒绝处理。", "Word文件压缩比异常（疑似压缩炸弹），已拒绝处理。",
                 "找不到或无法打开文件：a.docx"}
    assert len(messages) > 25
    missing = sorted(m for m in messages if errors.english(m) == m or not errors.english(m).isascii()
                     and "政府信息公开" not in errors.english(m))
    assert not missing, missing
    assert errors.ReadError("ING-01", "找不到或无法打开文件：鹿山.docx").message_en.endswith("鹿山.docx")


def test_doc_without_antiword_says_so_not_damaged(tmp_path, monkeypatch):
    """No antiword on the machine: the .doc is not "encrypted or damaged"; the reply says what to do."""
    from bot.reading.errors import MSG_CORRUPT, MSG_NO_ANTIWORD

    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no antiword anywhere
    (result,) = read_bytes("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    assert result.error.message == MSG_NO_ANTIWORD != MSG_CORRUPT
    assert "antiword" in result.error.message_en and ".docx" in result.error.message_en

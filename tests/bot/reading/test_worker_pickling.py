"""Read results cross the worker-process boundary: errors must pickle, and one bad zip member must not
sink the batch."""

import asyncio
import io
import pickle
import zipfile
from pathlib import Path

from bot.reading import ReadError, read_in_worker

SEED = Path(__file__).resolve().parents[3] / "examples" / "001_4a81d0f783bbd2ce.txt"


def test_read_error_pickles_with_code_and_message():
    err = pickle.loads(pickle.dumps(ReadError("ING-01", "无法读取")))
    assert (err.code, err.message) == ("ING-01", "无法读取")


def test_zip_with_a_bad_member_still_reads_the_good_one_in_the_worker():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.write(SEED, "鹿山.txt")
        zf.writestr("坏文件.docx", b"this is not a zip")
    results = asyncio.run(read_in_worker("batch.zip", buf.getvalue(), timeout=60))
    by_name = {Path(r.filename).name: r for r in results}
    assert by_name["鹿山.txt"].report.office.short_name == "鹿山"
    assert by_name["坏文件.docx"].error.code == "ING-01"

"""The trimmed jieba dictionary: what questions need stays, what they never need goes, written once."""

from __future__ import annotations

from pathlib import Path

from bot.questions import segment

SOURCE = (
    "西湖区 5 ns\n"  # a rare place name: kept
    "申请 9000 v\n"
    "张三丰 80 nr\n"  # a personal name: dropped
    "一帆风顺 400 i\n"  # an idiom: dropped
    "罕见词 2 n\n"  # the long tail: dropped
).encode()


def test_trimmed_dictionary_keeps_places_and_common_words(tmp_path: Path) -> None:
    src = tmp_path / "dict.txt"
    src.write_bytes(SOURCE)
    out = segment.trimmed_dictionary(src, tmp_path)
    words = [line.split()[0] for line in out.read_text(encoding="utf-8").splitlines()]
    assert words == ["西湖区", "申请"]


def test_trimmed_dictionary_is_written_once_and_follows_its_source(tmp_path: Path) -> None:
    src = tmp_path / "dict.txt"
    src.write_bytes(SOURCE)
    first = segment.trimmed_dictionary(src, tmp_path)
    stamp = first.stat().st_mtime_ns
    assert segment.trimmed_dictionary(src, tmp_path) == first and first.stat().st_mtime_ns == stamp
    src.write_bytes(SOURCE + "报告 500 n\n".encode())
    second = segment.trimmed_dictionary(src, tmp_path)
    assert second != first and "报告" in second.read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.part"))


def test_jieba_runs_on_the_trimmed_dictionary() -> None:
    segment.warm_up()
    import jieba

    assert Path(jieba.dt.dictionary).name.startswith("nianbao-jieba-")
    assert "西湖" in segment.cut("西湖街道收到多少申请")
    assert "张三丰" not in jieba.dt.FREQ  # personal names are not loaded

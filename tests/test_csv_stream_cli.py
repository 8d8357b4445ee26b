"""``classify`` on a CSV read a chunk at a time (files above 16 MB; here the threshold and the chunk made tiny):
the same file and the same messages as reading it whole, with a draft plan honoured on the worker threads."""

from __future__ import annotations

import pytest

import layout.cli.points as points
from layout.drafting.versions import activate_plan

DRAFT = "十五五草案"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    """Drafts go into a fresh data folder; 十四五 is active again after every test."""
    monkeypatch.setenv("LAYOUT_DATA_DIR", str(tmp_path / "data"))
    yield
    activate_plan("十四五")


def point_list(path, rows: int = 120):
    """桃江县, 安化县, 长沙 (outside) and a cell that is no number, in turn."""
    points_ = ["112.1,28.52", "111.2,28.4", "113.0,28.2", "abc,28.5"]
    lines = ["名称,经度,纬度"] + [f"项目{i},{points_[i % 4]}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def classify_both(cli, monkeypatch, src, tmp_path, *args):
    whole = cli("classify", src, "-o", tmp_path / "whole.csv", *args, code=2 if "bad" in str(src) else 0)
    monkeypatch.setattr(points, "STREAM_BYTES", 0)
    monkeypatch.setattr(points, "CHUNK_BYTES", 200)
    chunked = cli("classify", src, "-o", tmp_path / "chunked.csv", *args, code=None)
    monkeypatch.undo()
    return whole, chunked


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_chunked_run_writes_and_says_what_a_whole_run_does(cli, monkeypatch, tmp_path, lang):
    src = point_list(tmp_path / "pts.csv")
    whole, chunked = classify_both(cli, monkeypatch, src, tmp_path, "--lang", lang)
    assert chunked.exit_code == 0
    assert (tmp_path / "chunked.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert chunked.output.replace("chunked.csv", "whole.csv") == whole.output
    assert ("120 行" if lang == "zh" else "120 rows") in whole.output  # every chunk counted, not the first
    assert ("十进制数 90" if lang == "zh" else "decimal numbers 90") in whole.output


def test_a_chunked_run_under_a_draft_uses_the_draft_on_every_chunk(cli, monkeypatch, tmp_path):
    cli("plan", "new", DRAFT, "--from", "十四五", "--by", "张三")
    cli("plan", "assign", DRAFT, "桃江县", "core", "--by", "张三", "--reason", "桃江融入中心城区")
    src = point_list(tmp_path / "pts.csv")
    whole, chunked = classify_both(cli, monkeypatch, src, tmp_path, "--plan", DRAFT)
    out = (tmp_path / "chunked.csv").read_text(encoding="utf-8-sig")
    assert out == (tmp_path / "whole.csv").read_text(encoding="utf-8-sig")
    assert out.count("桃江县,430922,一核·中心城区现代服务业引领区") == 30  # rows 0, 4, 8 … across many chunks
    assert "草案" in chunked.output


def test_a_chunked_run_stops_on_a_bad_row_with_one_line(cli, monkeypatch, tmp_path):
    src = point_list(tmp_path / "bad.csv")
    text = src.read_text(encoding="utf-8").splitlines()
    text[100] += ","
    src.write_text("\n".join(text) + "\n", encoding="utf-8")
    whole, chunked = classify_both(cli, monkeypatch, src, tmp_path)
    assert chunked.exit_code == 2 and "第 101 行有 4 个字段" in chunked.output and "Traceback" not in chunked.output
    assert not (tmp_path / "chunked.csv").exists()

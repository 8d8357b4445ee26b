"""The fast CSV path (layout.tables.csv_lines) and the chunked run: the officer's records come back byte for
byte, checked against the file's own lines and the csv module, on plain files and on every kind the fast
path hands to the careful one (quoted newlines and commas, GBK, stray CR, blank lines)."""

from __future__ import annotations

import csv
import io
import itertools
import math
import threading

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from layout.errors import InputError
from layout.tables import read
from layout.tables.batch import TOTAL_WORDS, classify_table, total_rows
from layout.tables.csv_lines import plain_lines
from layout.tables.csv_stream import classify_csv_stream
from layout.tables.read import iter_csv_chunks, read_ahead, read_table, read_table_bytes
from layout.tables.write import result_csv_bytes

HEADER = "名称,经度,纬度"
RECORDS = [
    "甲,112.355,28.554",  # 赫山区
    "乙,111.2,28.4",  # 安化县
    "丙,113.0,28.2",  # outside: 长沙
    "丁,abc,28.5",  # a cell that is no number
    "戊,,",  # blank coordinates
    "合计,,",  # a total line
]

# name → (title rows, data records, line end, BOM, final line end, encoding, fast path expected)
CASES = {
    "plain LF": ([], RECORDS, "\n", False, True, "utf-8", True),
    "CRLF": ([], RECORDS, "\r\n", False, True, "utf-8", True),
    "BOM": ([], RECORDS, "\n", True, True, "utf-8", True),
    "BOM CRLF, no final line end": ([], RECORDS, "\r\n", True, False, "utf-8", True),
    "no final line end": ([], RECORDS, "\n", False, False, "utf-8", True),
    "title rows": (["2026年项目清单,,", ",,"], RECORDS, "\n", False, True, "utf-8", True),
    "quoted newline": (
        [],
        [*RECORDS[:2], '"多行\n名称",112.35,28.55', *RECORDS[2:]],
        "\n",
        False,
        True,
        "utf-8",
        False,
    ),
    "quoted newline CRLF": ([], ['"多行\r\n名称",112.35,28.55', *RECORDS], "\r\n", False, False, "utf-8", False),
    "quoted comma": ([], ['"甲,乙",112.35,28.55', *RECORDS], "\n", False, True, "utf-8", False),
    "GBK": ([], RECORDS, "\n", False, True, "gbk", False),
    "GBK CRLF": ([], RECORDS, "\r\n", False, True, "gbk", False),
    "stray CR in a cell": ([], ["甲\r乙,112.35,28.55", *RECORDS], "\n", False, True, "utf-8", False),
    "blank line": ([], [*RECORDS[:2], "", *RECORDS[2:]], "\n", False, True, "utf-8", False),
}


def source_bytes(case: str) -> bytes:
    titles, records, nl, bom, final, encoding, _ = CASES[case]
    text = nl.join([*titles, HEADER, *records]) + (nl if final else "")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def cells_of(record: str) -> list[str]:
    """A record's cells by the csv module; an unquoted CR stays in its cell (the file's line end is LF)."""
    if not record:
        return [""] * 3
    if "\r" in record and '"' not in record:
        return record.split(",")
    return next(csv.reader(io.StringIO(record, newline="")))


def cell_text(value: object) -> str:
    """A result cell as text, in plain Python (numbers in their shortest form, missing as empty)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return repr(value).removesuffix(".0")
    return str(value)


def csv_line(cells: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()[:-1]


def expected_bytes(case: str, added: pd.DataFrame) -> bytes:
    """The oracle: the file's own records as they were, a comma, the result's cells (csv module), the line end."""
    titles, records, nl, *_ = CASES[case]
    head = [*titles, HEADER + "," + csv_line(list(added.columns))]
    body = [
        rec + "," + csv_line([cell_text(v) for v in row])
        for rec, row in zip(records, added.itertuples(index=False), strict=True)
    ]
    return b"\xef\xbb\xbf" + "".join(line + nl for line in [*head, *body]).encode("utf-8")


@pytest.mark.parametrize("case", list(CASES))
def test_the_officers_records_come_back_byte_for_byte(case, monkeypatch):
    data = source_bytes(case)
    table = read_table_bytes(data, name="a.csv")
    assert (table.lines is not None) == CASES[case][-1]  # the path this case is meant to take
    assert table.frame.fillna("").values.tolist() == [cells_of(rec) for rec in CASES[case][1]]
    result = classify_table(table)
    out = result_csv_bytes(table, result.added)
    assert out == expected_bytes(case, result.added)
    monkeypatch.setattr(read, "_read_csv_plain", lambda *a, **k: None)  # the careful path writes the same
    careful = read_table_bytes(data, name="a.csv")
    assert careful.lines is None and careful.row_numbers.tolist() == table.row_numbers.tolist()
    assert result_csv_bytes(careful, classify_table(careful).added) == out


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("chunk_bytes", [48, 70])  # the first chunk holds the header
def test_chunks_give_the_bytes_of_the_whole_file(tmp_path, case, chunk_bytes):
    src = tmp_path / "a.csv"
    src.write_bytes(source_bytes(case))
    whole = read_table(src)
    expected = result_csv_bytes(whole, classify_table(whole).added, encoding="utf-8-sig")
    parts, numbers = [], []
    for k, table in enumerate(iter_csv_chunks(src, chunk_bytes=chunk_bytes)):
        parts.append(result_csv_bytes(table, classify_table(table).added, head=k == 0))
        numbers += table.row_numbers.tolist()
    assert b"".join(parts) == expected and numbers == whole.row_numbers.tolist()
    with open(tmp_path / "out.csv", "wb") as out:
        run = classify_csv_stream(src, out, chunk_bytes=chunk_bytes)
    assert (tmp_path / "out.csv").read_bytes() == expected
    assert run.rows == len(whole.frame) and run.result.notations == classify_table(whole).notations


def test_plain_lines_cuts_only_where_the_cut_is_certain():
    lines = plain_lines(b"a,b\r\nc,d")
    assert lines is not None and lines.newline == "\r\n" and lines.count == 2
    assert lines.records(0).to_pylist() == [b"a,b", b"c,d"] and lines.data.endswith(b"c,d\r\n")
    assert plain_lines(b"a,b\nc,d\n").records(1).to_pylist() == [b"c,d"]
    assert plain_lines(b"a,b\nc,d\n", newline="\r\n") is None  # a later chunk keeps the first's line end
    for data in (b'a,"b"\n', b"a,b\x00\n", b"a\rb\n", b"a\r\nb\n", b"a\rb\r\n", b""):
        assert plain_lines(data) is None, data


def test_a_wrong_width_in_a_later_chunk_names_its_line(tmp_path):
    lines = [HEADER] + [f"项目{i},112.{i:03d},28.5" for i in range(300)]
    lines[250] += ","
    src = tmp_path / "a.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 251: 4 fields"), open(tmp_path / "o.csv", "wb") as out:
        classify_csv_stream(src, out, chunk_bytes=64)


def test_read_ahead_keeps_order_raises_in_order_and_stops_its_thread():
    def items():
        yield from range(5)
        raise InputError("boom")

    got = []
    with pytest.raises(InputError, match="boom"):
        got.extend(read_ahead(items()))
    assert got == [0, 1, 2, 3, 4]
    before = threading.active_count()
    ahead = read_ahead(itertools.count())
    assert [next(ahead) for _ in range(3)] == [0, 1, 2]
    ahead.close()
    assert threading.active_count() == before


def _total_rows_oracle(frame: pd.DataFrame, columns: int = 3):
    hit = pd.Series(False, index=frame.index)
    for col in list(frame.columns)[:columns]:
        text = frame[col].astype(str).str.replace(r"\s", "", regex=True).str.lower()
        hit |= text.isin(TOTAL_WORDS)
    return hit.to_numpy()


CELL = st.text(alphabet=st.sampled_from(list("合计总小累TtOoAaLlSsUuBbMm \u3000\xa0\t\r\n\x85ſKİ项目1,.")), max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(CELL | st.sampled_from(TOTAL_WORDS), CELL, CELL, CELL), max_size=30))
def test_total_rows_reads_only_cells_that_can_be_totals_and_finds_them_all(rows):
    frame = pd.DataFrame(rows, columns=["a", "b", "c", "d"], dtype=object)
    assert total_rows(frame).tolist() == _total_rows_oracle(frame).tolist()
    spaced = frame.map(lambda v: " ".join(v.upper()))
    assert total_rows(spaced).tolist() == _total_rows_oracle(spaced).tolist()

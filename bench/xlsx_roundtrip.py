"""``classify`` on a large officer's workbook against a bare openpyxl streaming round trip.

Usage::

    python bench/xlsx_roundtrip.py                      # 100,000 and 199,997 rows: make, time, check
    python bench/xlsx_roundtrip.py --rows 199997 --runs 5
    python bench/xlsx_roundtrip.py make 199997 in.xlsx  # only make the workbook
    python bench/xlsx_roundtrip.py peer in.xlsx out.xlsx  # only the bare round trip (for an outside timer)

The workbook is laid out as officers send it and written as Excel writes one (shared strings, the sheet's
dimension, row spans): a 说明 sheet, then a sheet with a merged title row and a bold two-level header
(序号 and 项目名称 merged down, 坐标 merged over 经度/纬度), four columns, points over 益阳's bounding
box. 199,997 data rows under three title and header rows are the reader's row bound (``MAX_ROWS``, 200,000
sheet rows); four columns keep the cells under ``MAX_CELLS`` (1,000,000).

The peer is what openpyxl itself does fastest: ``load_workbook(read_only=True)`` iterating values and a
``Workbook(write_only=True)`` writing them back. Ours is ``python -m layout classify in.xlsx -o
out.xlsx``: the same reading plus the limits, the header detection, the classification (with nearest
county and distance) and the workbook written back whole with nine columns added. Both run as whole
processes, in turn (A B A B …); the script prints each one's median wall and CPU time, the ratio pair by
pair, and the load average. It then checks the result with openpyxl's normal reader: every original cell
on every sheet unchanged and every data row carrying its county.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BBOX = (110.72, 27.97, 113.03, 29.52)  # about 益阳's bounding box: lon, lat min / max


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{_CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="{_REL}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets><sheet name="说明" sheetId="1" r:id="rId1"/>'
        '<sheet name="项目清单" sheetId="2" r:id="rId2"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/worksheet" Target="worksheets/sheet2.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId4" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        f'<styleSheet xmlns="{_MAIN}"><fonts count="2"><font><sz val="11"/><name val="等线"/></font>'
        '<font><b/><sz val="11"/><name val="等线"/></font></fonts><fills count="2"><fill><patternFill '
        'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1">'
        '<border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf '
        'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" '
        'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" '
        'xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>"
    ),
}


def make_workbook(rows: int, path: Path, *, seed: int = 7) -> Path:
    """An officer's workbook with ``rows`` data rows, written as Excel writes one: shared strings, the
    sheet's dimension, row spans, a bold two-level header under a merged title, a 说明 sheet first."""
    import zipfile

    import numpy as np

    rng = np.random.default_rng(seed)
    lon = np.round(rng.uniform(BBOX[0], BBOX[2], rows), 6).tolist()
    lat = np.round(rng.uniform(BBOX[1], BBOX[3], rows), 6).tolist()
    head = [
        "本表由益阳市发改局填报，坐标为 WGS84。",
        "益阳市服务业重点项目调度表",
        "序号",
        "项目名称",
        "坐标",
        "经度",
        "纬度",
    ]
    strings = head + [f"项目{i + 1}" for i in range(rows)]
    sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
    top = (
        '<row r="1" spans="1:4"><c r="A1" s="1" t="s"><v>1</v></c></row>'
        '<row r="2" spans="1:4"><c r="A2" s="1" t="s"><v>2</v></c><c r="B2" s="1" t="s"><v>3</v></c>'
        '<c r="C2" s="1" t="s"><v>4</v></c><c r="D2" s="1"/></row>'
        '<row r="3" spans="1:4"><c r="A3" s="1"/><c r="B3" s="1"/><c r="C3" s="1" t="s"><v>5</v></c>'
        '<c r="D3" s="1" t="s"><v>6</v></c></row>'
    )
    body = "".join(
        f'<row r="{r}" spans="1:4"><c r="A{r}"><v>{i + 1}</v></c><c r="B{r}" t="s"><v>{i + len(head)}</v></c>'
        f'<c r="C{r}"><v>{lon[i]!r}</v></c><c r="D{r}"><v>{lat[i]!r}</v></c></row>'
        for i, r in enumerate(range(4, rows + 4))
    )
    merges = '<mergeCells count="4"><mergeCell ref="A1:D1"/><mergeCell ref="A2:A3"/><mergeCell ref="B2:B3"/>'
    merges += '<mergeCell ref="C2:D2"/></mergeCells>'
    sheet = (
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="A1:D{rows + 3}"/><sheetViews><sheetView '
        'workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="14.25"/><cols><col min="2" max="2" '
        f'width="16" customWidth="1"/></cols><sheetData>{top}{body}</sheetData>{merges}</worksheet>'
    )
    about = (
        f'<worksheet xmlns="{_MAIN}"><dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
        "</row></sheetData></worksheet>"
    )
    decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts = _PARTS | {
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>',
        "xl/worksheets/sheet1.xml": about,
        "xl/worksheets/sheet2.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, decl + text)
    return path


def peer_round_trip(src: Path, out: Path) -> None:
    """The bare streaming round trip: read every sheet's values, write them back."""
    import openpyxl

    wb = openpyxl.load_workbook(src, read_only=True, data_only=True)
    new = openpyxl.Workbook(write_only=True)
    for ws in wb.worksheets:
        ws.reset_dimensions()
        copy = new.create_sheet(ws.title)
        for row in ws.iter_rows(values_only=True):
            copy.append(row)
    wb.close()
    new.save(out)


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the child's own) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def check_result(src: Path, out: Path) -> str:
    """Every original cell of every sheet unchanged, and each data row's county filled (openpyxl, normal mode)."""
    import openpyxl

    a, b = openpyxl.load_workbook(src), openpyxl.load_workbook(out)
    assert a.sheetnames == b.sheetnames, (a.sheetnames, b.sheetnames)
    for name in a.sheetnames:
        for row_a, row_b in zip(a[name].iter_rows(values_only=True), b[name].iter_rows(values_only=True), strict=True):
            assert row_b[: len(row_a)] == row_a
    ws = b["项目清单"]
    header = [c.value for c in ws[3]]
    county = header.index("所在县区") + 1
    (column,) = ws.iter_cols(min_col=county, max_col=county, min_row=4, values_only=True)
    filled = sum(1 for v in column if v)
    merges = sorted(map(str, ws.merged_cells.ranges))
    return f"every original cell kept on {len(a.sheetnames)} sheets; merges {merges}; {filled:,} rows with a county"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="*", help="make ROWS PATH | peer SRC OUT (default: the whole benchmark)")
    parser.add_argument("--rows", default="100000,199997", help="data rows, comma-separated")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command")
    args = parser.parse_args()
    if args.what[:1] == ["make"]:
        make_workbook(int(args.what[1]), Path(args.what[2]))
        return
    if args.what[:1] == ["peer"]:
        peer_round_trip(Path(args.what[1]), Path(args.what[2]))
        return
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    os.environ.update(env)
    with tempfile.TemporaryDirectory() as tmp:
        for rows in map(int, args.rows.split(",")):
            src = Path(tmp) / f"调度表_{rows}.xlsx"
            start = time.perf_counter()
            make_workbook(rows, src)
            print(f"{rows:,} rows: {src.stat().st_size / 2**20:.1f} MB, made in {time.perf_counter() - start:.1f} s")
            peer = [sys.executable, __file__, "peer", str(src), str(Path(tmp) / "peer.xlsx")]
            ours = [sys.executable, "-m", "layout", "classify", str(src), "-o", str(Path(tmp) / "ours.xlsx")]
            _timed(ours)  # warm-up (the nearest grid's cache)
            times: dict[str, list[tuple[float, float]]] = {"peer": [], "ours": []}
            for _ in range(args.runs):
                times["peer"].append(_timed(peer))
                times["ours"].append(_timed(ours))
            load = os.getloadavg()
            for key, label in (("peer", "bare openpyxl read_only + write_only"), ("ours", "python -m layout classify")):
                wall = statistics.median(t[0] for t in times[key])
                cpu = statistics.median(t[1] for t in times[key])
                print(f"  {label}: median {wall:.2f} s wall, {cpu:.2f} s CPU")
            ratios = [o[0] / p[0] for p, o in zip(times["peer"], times["ours"], strict=True)]
            cpu_ratios = [o[1] / p[1] for p, o in zip(times["peer"], times["ours"], strict=True)]
            print(
                f"  ours / peer, pair by pair: wall median {statistics.median(ratios):.2f}× "
                f"(min {min(ratios):.2f}, max {max(ratios):.2f}); CPU median {statistics.median(cpu_ratios):.2f}×; "
                f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
            )
            print("  " + check_result(src, Path(tmp) / "ours.xlsx"))


if __name__ == "__main__":
    main()

"""The evaluation report read back: XLSX (openpyxl), PDF text (pypdf), PPTX (python-pptx); CLI and demo."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from office_reader import as_pdf, needs_libreoffice
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from layout.catalog.projects import load_catalog
from layout.errors import InputError
from layout.evaluation.files import report_bytes
from layout.evaluation.map import status_map
from layout.evaluation.report import make_report, report_filename
from layout.register.demo import DEMO_SOURCE, fill_demo, is_demo_register
from layout.register.events import Register
from layout.render.views import effective_county

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


@pytest.fixture(scope="module")
def reg(tmp_path_factory, catalog) -> Register:
    """Two 安化县 projects and one of 赫山区 reported; one indicator recorded."""
    r = Register(tmp_path_factory.mktemp("reg") / "register.sqlite", catalog=catalog)
    anhua = catalog.loc[effective_county(catalog) == "安化县", "id"].astype(str).to_list()
    heshan = catalog.loc[effective_county(catalog) == "赫山区", "id"].astype(str).to_list()
    r.record_many(
        [
            (
                anhua[0],
                {"status": "building", "invest_planned": 1234.5, "invest_done": 600, "lead_unit": "安化县文旅广体局"},
            ),
            (
                anhua[1],
                {"status": "not_started", "invest_planned": 800, "lead_unit": "安化县商务局", "note": "=资金待落实"},
            ),
            (heshan[0], {"status": "completed", "invest_planned": 300, "invest_done": 310}),
        ],
        by="测试员",
        source="2024年四季度调度表",
        as_of=D(2024, 12, 31),
    )
    r.record(
        "indicator:services_gdp_share",
        {"actual_value": 45.2, "actual_year": 2025},
        by="统计员",
        source="2025年统计公报",
        as_of=D(2026, 3, 31),
    )
    return r


@pytest.fixture(scope="module")
def city(reg, catalog):
    return make_report(reg, catalog, scope="city", as_of=D(2026, 6, 30), compare_to=D(2023, 12, 31))


@pytest.fixture(scope="module")
def anhua(reg, catalog):
    return make_report(reg, catalog, scope="county:安化县", as_of=D(2026, 6, 30))


def anhua_n() -> int:
    catalog = load_catalog()
    return int((effective_county(catalog) == "安化县").sum())


def rows_of(ws) -> list[list]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def find(rows: list[list], first: str) -> list:
    return next(r for r in rows if r and r[0] == first)


def test_xlsx_numbers_read_back(city):
    wb = load_workbook(io.BytesIO(report_bytes(city, "xlsx")))
    assert wb.sheetnames == [
        "概况",
        "按片区",
        "按县市区",
        "按行业",
        "项目清单",
        "滞后项目",
        "指标对标",
        "两期对比",
        "对账",
    ]
    summary = rows_of(wb["概况"])
    assert summary[0][0] == "益阳市 · 规划实施评估（截至 2026-06-30）"
    assert find(summary, "项目数")[1] == len(city.evaluation.projects) == len(load_catalog())
    assert find(summary, "已填报")[1] == 3
    assert find(summary, "在建")[1] == 1 and find(summary, "未填报")[1] == len(load_catalog()) - 3
    assert find(summary, "开工率")[1] == pytest.approx(2 / 3)
    assert find(summary, "计划投资（万元）")[1] == pytest.approx(2334.5)
    assert find(summary, "完成投资（万元）")[1] == pytest.approx(910)
    source = summary[-1][1]  # the definitions end with the source, in words (no file name)
    assert "数据来源：项目台账（截至 2026-06-30 的报送，共 13 条记录）" in source  # 4 + 4 + 3 fields + 2 indicator
    assert "益阳市“十四五”服务业发展规划" in source and "register.sqlite" not in source
    counties = rows_of(wb["按县市区"])
    header = counties[1]
    assert header[:4] == ["名称", "项目数", "已填报", "未启动"]
    anhua = dict(zip(header, find(counties, "安化县"), strict=True))
    assert (anhua["已填报"], anhua["在建"], anhua["未启动"], anhua["计划投资（万元）"]) == (2, 1, 1, 2034.5)
    assert anhua["开工率"] == 0.5
    projects = rows_of(wb["项目清单"])
    assert len(projects) == 2 + len(load_catalog()) + 2
    assert projects[1][:5] == ["编号", "项目名称", "县（市、区）", "行业", "状态"]
    lagging = rows_of(wb["滞后项目"])
    assert [r[3:5] for r in lagging[2:-2]] == [["未启动", "未启动"], ["在建", "6 个月未报送"]]  # 2024-12-31 is stale
    assert lagging[2][-1] == "'=资金待落实"  # text with a leading ', never a formula
    assert wb["滞后项目"].cell(3, 8).data_type == "s"
    indicators = rows_of(wb["指标对标"])
    row = dict(zip(indicators[1], indicators[3], strict=True))
    assert row["来源"] == "表1" and row["指标"] == "服务业增加值占 GDP 比重"
    assert row["实际值"] == 45.2 and row["评价"] == "达标" and row["变化单位"] == "百分点"
    assert row["较2020年变化"] == pytest.approx(5.3) and row["实际值来源"] == "2025年统计公报"
    compare = rows_of(wb["两期对比"])
    total = dict(zip(compare[1], find(compare, "合计"), strict=True))
    assert total["已填报 2023-12-31"] == 0 and total["已填报 2026-06-30"] == 3 and total["已填报 变化"] == 3
    ws = wb["两期对比"]  # shares are percentages there too (0.667 shows as 66.7%)
    col = compare[1].index("开工率 2026-06-30") + 1
    row = next(i for i, r in enumerate(compare, start=1) if r[0] == "合计")
    assert ws.cell(row, col).value == pytest.approx(2 / 3) and ws.cell(row, col).number_format == "0.0%"


def test_pdf_carries_figures_and_source(anhua):
    reader = PdfReader(io.BytesIO(report_bytes(anhua, "pdf")))
    assert len(reader.pages) >= 6
    first = reader.pages[0].extract_text()
    assert "安化县 · 规划实施评估（截至 2026-06-30）" in first and f"已填报 2/{anhua_n()}" in first
    assert "未填报" in first and "在建" in first  # the status legend
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "开工率" in text and "50.0%" in text and "2,034.5" in text
    assert "数据来源：项目台账（截至 2026-06-30 的报送，共 13 条记录）" in text and "register.sqlite" not in text
    assert "安化县商务局" in text and "服务业增加值占 GDP 比重" in text and "百分点" in text
    assert "演示数据" not in text
    assert "安化县" in reader.metadata.title


def test_pptx_has_status_map_and_tables(anhua):
    prs = Presentation(io.BytesIO(report_bytes(anhua, "pptx")))
    shapes = [s for slide in prs.slides for s in slide.shapes]
    pictures = [s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert [p.name for p in pictures] == ["status_map"]
    tables = {s.name: s.table for s in shapes if s.has_table}
    assert {"table_zone", "table_county", "table_sector", "table_lagging", "table_indicators"} <= set(tables)
    county = tables["table_county"]
    cells = [[county.cell(i, j).text for j in range(len(county.columns))] for i in range(len(county.rows))]
    assert cells[1][:3] == ["安化县", str(anhua_n()), "2"] and "50.0%" in cells[1]
    lag = tables["table_lagging"]
    assert lag.cell(1, 4).text == "安化县商务局"
    texts = "\n".join(s.text_frame.text for s in shapes if s.has_text_frame)
    assert f"2/{anhua_n()}" in texts and "演示数据" not in texts


@needs_libreoffice
def test_pptx_and_xlsx_open_in_libreoffice(tmp_path, anhua):
    data = report_bytes(anhua, "pptx")
    pdf = as_pdf(data, "评估.pptx", tmp_path)
    assert len(pdf.pages) == len(Presentation(io.BytesIO(data)).slides)
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "安化县商务局" in text and f"2/{anhua_n()}" in text  # the lagging table and the summary
    xlsx = report_bytes(anhua, "xlsx")
    book = as_pdf(xlsx, "评估.xlsx", tmp_path)
    assert "安化县商务局" in "".join(page.extract_text() for page in book.pages)
    # every sheet prints (wide ones across pages at a legible scale: tests/test_evaluate_print.py)
    assert len(book.pages) >= len(load_workbook(io.BytesIO(xlsx)).sheetnames)


def test_demo_register_marks_every_output(tmp_path, catalog):
    reg = Register(tmp_path / "demo.sqlite", catalog=catalog)
    assert not is_demo_register(reg)
    count = fill_demo(reg, catalog)
    assert is_demo_register(reg) and count > 1000
    assert set(reg.events()["source"]) == {DEMO_SOURCE}
    for lang, mark, other in (("zh", "演示数据", "demo data"), ("en", "Demo data", "演示数据")):
        report = make_report(
            reg, catalog, scope="county:桃江县", as_of=D(2025, 12, 31), demo=is_demo_register(reg), lang=lang
        )
        wb = load_workbook(io.BytesIO(report_bytes(report, "xlsx", lang=lang)))
        assert all(ws.cell(1, 1).value == mark for ws in wb.worksheets)  # one language per file (issue 21)
        reader = PdfReader(io.BytesIO(report_bytes(report, "pdf", lang=lang)))
        # the demo register's own notes (演示数据（合成）) are stored data, shown as they are
        pages = [" ".join(p.extract_text().split()).replace("演示数据（合成）", "") for p in reader.pages]
        assert all(mark in text and other.lower() not in text.lower() for text in pages)
        prs = Presentation(io.BytesIO(report_bytes(report, "pptx", lang=lang)))
        marks = [[s.text_frame.text for s in slide.shapes if s.name == "demo_mark"] for slide in prs.slides]
        assert all(found == [mark] for found in marks), marks
        html = status_map(report.evaluation.projects, lang=lang, demo=True).get_root().render()
        assert f">{mark}</div>" in html and other not in html


def test_english_deck_is_english_and_every_table_ends_above_the_footer(tmp_path, catalog):
    from pptx.util import Inches

    reg = Register(tmp_path / "demo.sqlite", catalog=catalog)
    fill_demo(reg, catalog)
    report = make_report(
        reg, catalog, scope="city", as_of=D(2025, 12, 31), compare_to=D(2023, 12, 31), demo=True, lang="en"
    )
    prs = Presentation(io.BytesIO(report_bytes(report, "pptx", lang="en")))
    shapes = [s for slide in prs.slides for s in slide.shapes if s.has_table]
    assert all(s.top + sum(r.height for r in s.table.rows) <= Inches(7.0) for s in shapes)
    tables = {s.name: s for s in reversed(shapes)}  # the first of each name
    county = tables["table_county"].table
    names = [county.cell(i, 0).text for i in range(1, len(county.rows))]
    assert {"Heshan District", "Central city", "Citywide", "Total"} <= set(names), names
    lagging = tables["table_lagging"].table
    assert lagging.cell(1, 1).text.endswith(("District", "County", "City", "city", "Citywide"))
    indicators = tables["table_indicators"].table
    assert indicators.cell(1, 0).text == "Service-industry value added"


def test_demo_refuses_real_registers(tmp_path, catalog, monkeypatch):
    real = Register(tmp_path / "real.sqlite", catalog=catalog)
    real.record(str(catalog["id"].iloc[0]), {"status": "building"}, by="测试员", as_of=D(2025, 1, 1))
    with pytest.raises(InputError, match="already holds real reports"):
        fill_demo(real, catalog)
    monkeypatch.setenv("LAYOUT_REGISTER", str(tmp_path / "default.sqlite"))
    with pytest.raises(InputError, match="is the default register"):
        fill_demo(Register(catalog=catalog), catalog)


def test_formats_and_names(city):
    with pytest.raises(InputError, match="format should be one of xlsx, pdf, pptx"):
        report_bytes(city, "docx")
    assert report_filename("county:安化县", "xlsx", as_of=D(2025, 12, 31)) == "安化县_实施评估_2025-12-31.xlsx"


def test_cli_evaluate(run_layout, tmp_path, reg):
    out = tmp_path / "评估.xlsx"
    res = run_layout(
        "evaluate",
        "--scope",
        "county:安化县",
        "--as-of",
        "2026-06-30",
        "--compare",
        "2023-12-31",
        "-o",
        str(out),
        "--register",
        str(reg.path),
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("已写出 ") and out.exists()
    summary = rows_of(load_workbook(out)["概况"])
    assert find(summary, "已填报")[1] == 2 and find(summary, "对比日期")[1] == "2023-12-31"
    res = run_layout("evaluate", "--scope", "county:北京", "-o", str(out), "--register", str(reg.path))
    assert (
        res.returncode == 2
        and "错误：范围应为 city, municipal, zone:core" in res.stderr
        and "Traceback" not in res.stderr
    )
    res = run_layout("evaluate", "-o", str(tmp_path / "x.pdf"), "--format", "xlsx", "--register", str(reg.path))
    assert res.returncode == 2 and "但 --format 是 xlsx；请使两者一致" in res.stderr
    res = run_layout(
        "evaluate", "-o", str(tmp_path / "x.pdf"), "--format", "xlsx", "--register", str(reg.path), "--lang", "en"
    )
    assert res.returncode == 2 and res.stderr.startswith("error: -o ") and "make them agree" in res.stderr


def test_cli_evaluate_empty_register_says_what_to_do(run_layout, tmp_path):
    out = tmp_path / "empty.xlsx"
    res = run_layout("evaluate", "-o", str(out), "--register", str(tmp_path / "empty.sqlite"))
    assert res.returncode == 0, res.stderr
    assert "调度表" in res.stderr
    summary = rows_of(load_workbook(out)["概况"])
    assert find(summary, "已填报")[1] == 0
    assert any("导出调度表" in str(c) for r in summary for c in r if c)


def test_cli_register_demo(run_layout, tmp_path, catalog):
    path = tmp_path / "demo.sqlite"
    res = run_layout("register", "demo", "--register", str(path))
    assert res.returncode == 0, res.stderr
    assert "条演示事件" in res.stdout and is_demo_register(Register(path, catalog=catalog))
    res = run_layout("register", "demo", env={"LAYOUT_REGISTER": str(tmp_path / "default.sqlite")})
    assert res.returncode == 2 and "需要 --register 路径" in res.stderr
    out = tmp_path / "demo.xlsx"
    res = run_layout("evaluate", "--as-of", "2025-12-31", "-o", str(out), "--register", str(path))
    assert res.returncode == 0 and "演示数据" in res.stderr
    assert load_workbook(out)["概况"].cell(1, 1).value == "演示数据"


def test_cli_all_counties(run_layout, tmp_path, reg):
    out = tmp_path / "counties"
    res = run_layout(
        "evaluate",
        "--all-counties",
        "--format",
        "xlsx",
        "--as-of",
        "2026-06-30",
        "-o",
        str(out),
        "--register",
        str(reg.path),
    )
    assert res.returncode == 0, res.stderr
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 7 and "安化县_实施评估_2026-06-30.xlsx" in names and "市级_实施评估_2026-06-30.xlsx" in names
    summary = rows_of(load_workbook(out / "安化县_实施评估_2026-06-30.xlsx")["概况"])
    assert find(summary, "已填报")[1] == 2

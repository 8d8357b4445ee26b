"""Every project counted once: six county reports + the 市级 report = the city report, project by project;
every table's status columns add up to its 项目数; the audit's scenario with figures computed by hand,
read back from the XLSX, the PDF and the PPTX."""

from __future__ import annotations

import datetime as dt
import io
import random
import sqlite3

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from layout.errors import InputError
from layout.evaluation.figures import STATUS_ORDER, evaluate, status_label
from layout.evaluation.files import report_bytes
from layout.evaluation.partition import MUNICIPAL, PARTITION_SCOPES
from layout.evaluation.pdf import pdf_pages
from layout.evaluation.reconcile import partition_evaluations, reconciliation
from layout.evaluation.report import make_report
from layout.plan.zones import POLYGON_COUNTIES
from layout.register.events import Register
from layout.register.vocabulary import STATUSES
from layout.render.views import effective_county

D = dt.date
AS_OF = D(2025, 12, 31)


def filed(catalog, county: str) -> set[str]:
    return set(catalog.loc[effective_county(catalog) == county, "id"].astype(str))


# --------------------------------------------------------------------------------------------
# Random registers: the partition holds whatever the reports say


@pytest.mark.parametrize("seed", range(6))
def test_random_registers_reconcile_project_by_project(tmp_path, catalog, seed):
    rng = random.Random(seed)
    reg = Register(tmp_path / "register.sqlite", catalog=catalog)
    ids = catalog["id"].astype(str).to_list()
    rows = []
    for pid in rng.sample(ids, rng.randint(1, 60)):
        changes: dict = {"as_of": D(rng.randint(2021, 2025), rng.choice([3, 6, 9, 12]), 28)}
        if rng.random() < 0.85:  # some rows carry investment only: they stay 未填报 and their money is not counted
            changes["status"] = rng.choice(list(STATUSES))
        if rng.random() < 0.7:
            changes["invest_planned"] = float(rng.randint(0, 500_000))
        rows.append((pid, changes))
    reg.record_many(rows, by="随机测试", source="随机调度表")
    day = D(rng.randint(2021, 2026), 6, 30)
    state = reg.state(as_of=day)
    city = evaluate(catalog, state, as_of=day)
    parts = partition_evaluations(catalog, state, as_of=day)
    assert list(parts) == list(PARTITION_SCOPES)
    # project by project: the seven reports' projects are disjoint and together are the city's
    seen: list[str] = [pid for ev in parts.values() for pid in ev.projects.index]
    assert len(seen) == len(set(seen)) == len(city.projects)
    assert set(seen) == set(city.projects.index)
    # and each report's figures add up to the city's (oracle: plain sums over the rows the reports list)
    for name in ("n", "reported", *STATUS_ORDER, "invest_reported", "lagging"):
        assert sum(ev.total[name] for ev in parts.values()) == city.total[name], name
    # investment: plain sum over the state's rows that carry a status (a reported project's own figure)
    expected = sum(
        float(state.at[pid, "invest_planned"])
        for pid in state.index
        if pid in city.projects.index and state.at[pid, "status"] and state.at[pid, "invest_planned"] >= 0
    )
    got = [ev.total["invest_planned"] for ev in parts.values()]
    assert sum(v for v in got if v == v) == pytest.approx(expected)
    assert (
        city.total["invest_planned"] if city.total["invest_planned"] == city.total["invest_planned"] else 0.0
    ) == pytest.approx(expected)
    summary, projects = reconciliation(city, parts, catalog)
    assert (summary.iloc[-1, 1:].fillna(0) == 0).all()  # 差额 row
    assert (projects["times_counted"] == 1).all()
    # every table adds up: status columns = 项目数 = 已填报 + 未填报, in every row of every grouping
    for ev in (city, *parts.values()):
        for grouping in ("zone", "county", "sector"):
            table = ev.table(grouping)
            assert (table[list(STATUS_ORDER)].sum(axis=1) == table["n"]).all()
            assert (table["reported"] + table["unreported"] == table["n"]).all()


def test_county_reports_list_shared_and_citywide_projects_without_counting_them(tmp_path, catalog):
    reg = Register(tmp_path / "register.sqlite", catalog=catalog)
    state = reg.state(as_of=AS_OF)
    central, datong, citywide = filed(catalog, "中心城区"), filed(catalog, "大通湖区"), filed(catalog, "全市")
    for county in POLYGON_COUNTIES:
        ev = evaluate(catalog, state, as_of=AS_OF, scope=f"county:{county}")
        assert set(ev.projects.index) == filed(catalog, county)
        shared = set(ev.context.index[ev.context["context"] == "shared"])
        assert shared == {"资阳区": central, "赫山区": central, "南县": datong, "沅江市": datong}.get(county, set())
        assert set(ev.context.index[ev.context["context"] == "citywide"]) == citywide
    municipal = evaluate(catalog, state, as_of=AS_OF, scope=MUNICIPAL)
    assert set(municipal.projects.index) == central | datong | citywide


# --------------------------------------------------------------------------------------------
# The audit's scenario, figures by hand


@pytest.fixture(scope="module")
def audit(tmp_path_factory, catalog):
    """Reports dated 2024-06-30 unless said; the evaluation is on 2025-12-31.

    P004 中心城区  在建   计划 50,000  完成 20,000   (3 records)
    P007 大通湖区  已建成 计划 30,000  完成 30,000   (3)
    P099 全市      前期工作 计划 8,000               (2)
    P023 资阳区    未启动 计划 10,000                (2)
    P008 安化县    在建   计划 100,000 完成 40,000   (3)
    P009 安化县    已运营 计划 60,000  完成 60,000   (3)
    P017 安化县    取消                              (1)
    P019 安化县    暂停   计划 12,000, 2025-03-31    (2)
    P065 资阳区    计划 9,000 and no status: 未填报, its money not counted (1)
    P031 资阳区    已建成 计划 5,000, 2026-03-31: after the date, not counted (2)
    """
    reg = Register(tmp_path_factory.mktemp("audit") / "register.sqlite", catalog=catalog)
    day = D(2024, 6, 30)
    reg.record_many(
        [
            ("P004", {"status": "building", "invest_planned": 50000, "invest_done": 20000}),
            ("P007", {"status": "completed", "invest_planned": 30000, "invest_done": 30000}),
            ("P099", {"status": "preparing", "invest_planned": 8000}),
            ("P023", {"status": "not_started", "invest_planned": 10000}),
            ("P008", {"status": "building", "invest_planned": 100000, "invest_done": 40000}),
            ("P009", {"status": "operating", "invest_planned": 60000, "invest_done": 60000}),
            ("P017", {"status": "cancelled"}),
            ("P065", {"invest_planned": 9000}),
        ],
        by="审计",
        source="审计调度表",
        as_of=day,
    )
    reg.record("P019", {"status": "suspended", "invest_planned": 12000}, by="审计", as_of=D(2025, 3, 31))
    reg.record("P031", {"status": "completed", "invest_planned": 5000}, by="审计", as_of=D(2026, 3, 31))
    return reg


def test_audit_figures_by_hand(audit, catalog):
    n = len(catalog)
    city = evaluate(catalog, audit.state(as_of=AS_OF), as_of=AS_OF)
    total = city.total
    # reported: P004 P007 P099 P023 P008 P009 P017 P019 = 8; P065 has money but no status: 未填报
    assert total["reported"] == 8 and total["unreported"] == n - 8
    assert [total[s] for s in STATUSES] == [1, 1, 2, 1, 1, 1, 1]  # 未启动 前期 在建 已建成 已运营 暂停 取消
    # started = 在建 2 + 已建成 1 + 已运营 1 = 4; completed = 2; of 8 reported and of all n
    assert (total["started"], total["completed_n"]) == (4, 2)
    assert total["share_started"] == 0.5 and total["share_completed"] == 0.25
    assert total["share_started_all"] == pytest.approx(4 / n)
    # planned 50,000 + 30,000 + 8,000 + 10,000 + 100,000 + 60,000 + 12,000 = 270,000 (7 projects; not P065/P031)
    assert total["invest_planned"] == 270_000 and total["invest_reported"] == 7
    assert total["invest_done"] == 150_000  # 20,000 + 30,000 + 40,000 + 60,000
    # lagging: P023 未启动, P019 暂停; no report since 2024-06-30 (> 6 months) and open: P004 P099 P008
    assert total["lagging"] == 5
    parts = partition_evaluations(catalog, audit.state(as_of=AS_OF), as_of=AS_OF)
    # 资阳区: P023 only (10,000); 安化县: P008 P009 P017 P019 (172,000); 市级: P004 P007 P099 (88,000)
    assert parts["county:资阳区"].total["reported"] == 1 and parts["county:资阳区"].total["invest_planned"] == 10_000
    assert parts["county:安化县"].total["reported"] == 4 and parts["county:安化县"].total["invest_planned"] == 172_000
    assert parts[MUNICIPAL].total["reported"] == 3 and parts[MUNICIPAL].total["invest_planned"] == 88_000


@pytest.fixture(scope="module")
def audit_report(audit, catalog):
    return make_report(audit, catalog, scope="city", as_of=AS_OF)


def test_audit_figures_in_the_xlsx(audit_report, catalog):
    wb = load_workbook(io.BytesIO(report_bytes(audit_report, "xlsx")))
    assert "对账" in wb.sheetnames
    summary = [list(r) for r in wb["概况"].iter_rows(values_only=True)]
    value = {r[0]: r[1] for r in summary if r and r[0]}
    assert value["已填报"] == 8 and value["在建"] == 2 and value["计划投资（万元）"] == 270_000
    assert value["完成投资（万元）"] == 150_000 and value["开工率"] == 0.5
    text = "\n".join(str(c) for r in summary for c in r if c)
    n = len(catalog)
    assert f"占已填报项目 50.0%（4/8）；占规划项目 {4 / n * 100:.1f}%（4/{n}）" in text
    assert "已填报：截至日期台账中有进展状态的项目，8 个" in text
    assert "共 20 条记录" in text  # 3+3+2+2+3+3+1+1 (2024) + 2 (P019) = 20; P031's 2 are after the date
    assert "截至日期：2025-12-31" in text and ".sqlite" not in text
    recon = [list(r) for r in wb["对账"].iter_rows(values_only=True)]
    diff = next(r for r in recon if r[0] == "差额")
    assert all(v in (0, None) for v in diff[1:])
    sums = next(r for r in recon if r[0] == "六县（市、区）+ 市级")
    assert sums[1] == n and sums[2] == 8
    # every group sheet: status columns add up to 项目数 = 已填报 + 未填报, row by row, total row included
    for name in ("按片区", "按县市区", "按行业"):
        rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
        head = next(r for r in rows if r[0] == "名称")
        col = {h: j for j, h in enumerate(head) if h}
        body = [r for r in rows[rows.index(head) + 1 :] if r[col["项目数"]] is not None]
        assert body[-1][0] == "合计" and body[-1][col["项目数"]] == n
        for r in body:
            assert sum(r[col[status_label(s)]] for s in STATUS_ORDER) == r[col["项目数"]]
            assert r[col["已填报"]] + r[col["未填报"]] == r[col["项目数"]]
    zone_rows = [list(r) for r in wb["按片区"].iter_rows(values_only=True)]
    assert any(r[0] == "项目可属多个片区，合计按项目去重。" for r in zone_rows)


def _pdf_tables(report) -> list[list[list[str]]]:
    """The tables of the PDF's pages, as the figures that are saved into it hold them."""
    import matplotlib

    from layout.render.fonts import font_rc

    out = []
    with matplotlib.rc_context(font_rc()):
        for fig in pdf_pages(report):
            for ax in fig.axes:
                for table in ax.tables:
                    cells = table.get_celld()
                    nrows = 1 + max(r for r, _ in cells)
                    ncols = 1 + max(c for _, c in cells)
                    out.append([[cells[r, c].get_text().get_text() for c in range(ncols)] for r in range(nrows)])
    return out


def _adds_up(table: list[list[str]]) -> int:
    """Check every row of a group table: statuses sum to 项目数 = 已填报 + 未填报; return the rows checked."""
    head = [h.replace("\n", "").replace(" ", "") for h in table[0]]
    if "项目数" not in head:
        return 0
    col = {h: j for j, h in enumerate(head)}
    for row in table[1:]:
        n = int(row[col["项目数"]].replace(",", ""))
        assert sum(int(row[col[status_label(s)]]) for s in STATUS_ORDER) == n, row
        assert int(row[col["已填报"]]) + int(row[col["未填报"]]) == n, row
    return len(table) - 1


def test_audit_figures_in_the_pdf(audit_report, catalog):
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report_bytes(audit_report, "pdf"))).pages)
    flat = text.replace("\n", "")
    n = len(catalog)
    assert "50.0%（4/8）" in flat and f"（4/{n}）" in flat
    assert "270,000.0" in text and "150,000.0" in text
    assert "项目可属多个片区，合计按项目去重" in flat and "共 20 条记录" in flat
    checked = sum(_adds_up(t) for t in _pdf_tables(audit_report))
    assert checked >= 3 + 9 + 12  # zone, county and sector rows (with totals)


def test_audit_figures_in_the_pptx(audit_report, catalog):
    prs = Presentation(io.BytesIO(report_bytes(audit_report, "pptx")))
    texts, checked = [], 0
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                table = [[cell.text for cell in row.cells] for row in shape.table.rows]
                texts.extend(c for r in table for c in r)
                checked += _adds_up(table)
    flat = "\n".join(texts)
    n = len(catalog)
    assert "50.0%（4/8）" in flat and f"（4/{n}）" in flat
    assert "270,000.0" in flat and "150,000.0" in flat and "共 20 条记录" in flat
    assert "项目可属多个片区，合计按项目去重" in flat
    assert checked >= 3 + 9 + 12


def test_before_the_first_report_the_report_says_what_the_register_holds(audit, catalog):
    report = make_report(audit, catalog, scope="city", as_of=D(2024, 1, 1))
    wb = load_workbook(io.BytesIO(report_bytes(report, "xlsx")))
    text = "\n".join(str(c) for r in wb["概况"].iter_rows(values_only=True) for c in r if c)
    assert "台账共有 22 条记录，最早的项目报送日期为 2024-06-30" in text
    assert "台账中还没有任何项目进展" not in text


def test_huge_investment_never_overflows_a_report(tmp_path, catalog):
    """Two projects at the largest float: the register refuses them at the door; a register written before
    that bound (the values put into its file directly) still gives reports whose sums leave them out (counted
    as invalid), and no format prints inf."""
    path = tmp_path / "register.sqlite"
    reg = Register(path, catalog=catalog)
    huge = 1.7976931348623157e308
    with pytest.raises(InputError, match="10"):
        reg.record("P008", {"status": "building", "invest_planned": huge}, by="测试", as_of=D(2024, 6, 30))
    reg.record_many(
        [
            ("P008", {"status": "building", "invest_planned": 1}),
            ("P009", {"status": "building", "invest_planned": 2}),
            ("P017", {"status": "building", "invest_planned": 5000}),
        ],
        by="测试",
        as_of=D(2024, 6, 30),
    )
    with sqlite3.connect(path) as conn:  # as an older program, with no bound, would have stored them
        conn.execute(
            "UPDATE events SET value = ? WHERE subject IN ('P008', 'P009') AND field = 'invest_planned'", (repr(huge),)
        )
    conn.close()
    report = make_report(reg, catalog, scope="county:安化县", as_of=AS_OF)
    total = report.evaluation.total
    assert total["invest_planned"] == 5000 and total["invest_invalid"] == 2 and total["invest_reported"] == 1
    wb = load_workbook(io.BytesIO(report_bytes(report, "xlsx")))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert not any(isinstance(c, float) and c != c or c in (float("inf"), float("-inf")) for c in cells)
    assert any("2 个项目的投资额不在 0–10亿万元 之间" in str(c) for c in cells)
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(report_bytes(report, "pdf"))).pages)
    prs = Presentation(io.BytesIO(report_bytes(report, "pptx")))
    deck = "\n".join(s.text_frame.text for slide in prs.slides for s in slide.shapes if s.has_text_frame)
    for text in (pdf, deck):
        assert "inf" not in text.replace("information", "").replace("Infor", "").lower().replace("infra", "")


def test_a_county_report_lists_related_projects_without_counting_them(audit, catalog):
    report = make_report(audit, catalog, scope="county:资阳区", as_of=AS_OF)
    wb = load_workbook(io.BytesIO(report_bytes(report, "xlsx")))
    value = {r[0]: r[1] for r in wb["概况"].iter_rows(values_only=True) if r and r[0]}
    assert value["已填报"] == 1 and value["计划投资（万元）"] == 10_000  # P023 only
    related = [list(r) for r in wb["相关跨区及全市项目"].iter_rows(values_only=True)]
    by_id = {r[1]: r for r in related if r and isinstance(r[1], str) and r[1].startswith("P")}
    assert set(by_id) == filed(catalog, "中心城区") | filed(catalog, "全市")
    assert by_id["P004"][0] == "跨县市区（计入市级）" and by_id["P004"][4] == "在建"
    assert by_id["P099"][0] == "全市（计入市级）"
    assert "P007" not in by_id  # 大通湖区 concerns 南县 and 沅江市, not 资阳区
    text = "\n".join(str(c) for r in related for c in r if c)
    assert "不计入本报告合计，计入市级报告" in text
    deck = Presentation(io.BytesIO(report_bytes(report, "pptx")))
    cells = [
        c.text
        for s in deck.slides
        for sh in s.shapes
        if sh.name == "table_context"
        for row in sh.table.rows
        for c in row.cells
    ]
    assert "P004" in cells and "P099" in cells

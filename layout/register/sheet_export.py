"""The 调度表 exported: one row per catalog project (id, name, county, zone, sector, the register's current
values and the columns to fill), Chinese headers, a drop-down list for 状态 and 坐标系, and a 填表说明 sheet.
"""

from __future__ import annotations

import io
import math

import pandas as pd

from layout.register.events import Register
from layout.register.sheet_columns import (
    COLUMNS,
    CONTEXT,
    CRS_OPTIONS,
    HELP_TITLE,
    SHEET_TITLE,
    column_letter,
    safe_text,
)
from layout.register.values import number_text
from layout.register.vocabulary import STATUSES, status_label

__all__ = ["export_sheet_bytes", "sheet_frame"]

_HELP = (
    (
        "用途",
        "益阳市“十四五”服务业发展规划项目调度表。每行一个规划项目；请填写或修改白色列，"
        "灰色列（编号、名称、县市区、片区、行业）请勿修改。",
    ),
    ("空白单元格", "表示“不变”。清除已登记的数值请联系台账管理员（python -m layout register set）。"),
    ("状态", "下拉选择：" + "、".join(STATUSES.values())),
    ("进度(%)", "0–100 的数字"),
    ("投资", "万元，累计数；完成投资大于计划投资时会提示核对"),
    ("年份", "四位年份，如 2024"),
    (
        "经度/纬度",
        "十进制度，如 112.35028 / 28.5825；坐标系下拉选择 WGS84（GPS、天地图）、GCJ-02（高德、腾讯）、"
        "BD-09（百度）或 CGCS2000；填写坐标时必须填写坐标来源（如 立项批复文号、规划许可、现场核实）。"
        "坐标须在益阳市内；与规划所在县市区不一致时请用命令行确认（register set … --confirm）。",
    ),
    ("信息日期", "信息所指的日期，如 2026-03-31；空白为导入当天"),
    ("填报来源", "本行信息的来源或说明，如 “3月调度会”"),
)


def sheet_frame(register: Register, *, catalog: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 调度表 as a table (keys of :data:`COLUMNS` as columns; text cells, blank where unknown)."""
    from layout.plan.zones import zone_name

    cat = register.catalog if catalog is None else catalog
    state = register.state()
    rows = []
    for _, p in cat.iterrows():
        cur = state.loc[p["id"]].to_dict() if p["id"] in state.index else {}
        row = {
            "id": p["id"],
            "name": p["name"],
            "county": p.get("county", ""),
            "zone": zone_name(p["zone"]) if str(p.get("zone", "") or "") else "",
            "sector": p.get("sector", ""),
        }
        for key in ("progress", "invest_planned", "invest_done", "start_year", "finish_year", "site_lon", "site_lat"):
            value = cur.get(key)
            row[key] = "" if value is None or (isinstance(value, float) and math.isnan(value)) else number_text(value)
        row["status"] = status_label(cur.get("status", "") or "")
        for key in ("lead_unit", "site_source", "note"):
            row[key] = cur.get(key, "") or ""
        row["crs"] = "WGS84" if row["site_lon"] else ""
        row["as_of"] = ""
        row["source"] = ""
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS)).fillna("")


def export_sheet_bytes(register: Register, *, catalog: pd.DataFrame | None = None) -> bytes:
    """The 调度表 as XLSX bytes: Chinese headers, drop-downs for 状态 and 坐标系, a 填表说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    frame = sheet_frame(register, catalog=catalog)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    keys = list(COLUMNS)
    grey = PatternFill("solid", fgColor="E7E6E6")
    ws.append([COLUMNS[k] for k in keys])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    numeric = {"progress", "invest_planned", "invest_done", "start_year", "finish_year", "site_lon", "site_lat"}
    for r, rec in enumerate(frame.itertuples(index=False), start=2):
        for c, key in enumerate(keys, start=1):
            value = getattr(rec, key)
            cell = ws.cell(row=r, column=c)
            if key in numeric and value != "":
                number = float(value)
                cell.value = int(number) if number.is_integer() else number
            else:
                cell.value = safe_text(str(value))
                cell.data_type = "s"
            if key in CONTEXT:
                cell.fill = grey
    last = len(frame) + 1
    status_col = column_letter(keys.index("status"))
    crs_col = column_letter(keys.index("crs"))
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUSES.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="状态",
        error="请从下拉列表选择状态",
    )
    dv.add(f"{status_col}2:{status_col}{max(last, 2)}")
    ws.add_data_validation(dv)
    dv_crs = DataValidation(
        type="list",
        formula1='"' + ",".join(CRS_OPTIONS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="坐标系",
        error="请从下拉列表选择坐标系",
    )
    dv_crs.add(f"{crs_col}2:{crs_col}{max(last, 2)}")
    ws.add_data_validation(dv_crs)
    widths = {
        "id": 9,
        "name": 30,
        "county": 11,
        "zone": 22,
        "sector": 14,
        "lead_unit": 18,
        "note": 30,
        "site_source": 20,
        "source": 18,
        "as_of": 12,
    }
    for c, key in enumerate(keys):
        ws.column_dimensions[column_letter(c)].width = widths.get(key, 12)
    ws.freeze_panes = "C2"
    # Printed for filling in by hand at meetings: A3 landscape, every column across, the header on each page.
    ws.page_setup.paperSize = ws.PAPERSIZE_A3
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
    ws.oddFooter.center.text = "&P / &N"
    help_ws = wb.create_sheet(HELP_TITLE)
    help_ws.append(["项目", "说明"])
    for item, text in _HELP:
        help_ws.append([item, text])
    help_ws.column_dimensions["A"].width = 14
    help_ws.column_dimensions["B"].width = 100
    for (cell,) in help_ws.iter_rows(min_col=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    help_ws.page_setup.paperSize = help_ws.PAPERSIZE_A4
    help_ws.sheet_properties.pageSetUpPr.fitToPage = True
    help_ws.page_setup.fitToWidth, help_ws.page_setup.fitToHeight = 1, 0
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()

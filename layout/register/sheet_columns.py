"""The 调度表's columns and cells, shared by its export (:mod:`layout.register.sheet_export`) and its
import (:mod:`layout.register.sheet_import`): the keys and Chinese headers, which columns are context, free
text or values, the 坐标系 choices, and cell text that no spreadsheet program runs as a formula.
"""

from __future__ import annotations

from layout.register.vocabulary import FIELD_LABELS

__all__ = [
    "COLUMNS",
    "CONTEXT",
    "CRS_OPTIONS",
    "FREE_TEXT",
    "VALUE_FIELDS",
    "column_letter",
    "field_label",
    "safe_text",
    "unsafe_text",
]

SHEET_TITLE = "调度表"
HELP_TITLE = "填表说明"
#: Sheet columns: key -> Chinese header. Context columns come first and are not imported.
COLUMNS: dict[str, str] = {
    "id": "项目编号",
    "name": "项目名称",
    "county": "规划所在县市区",
    "zone": "片区",
    "sector": "行业",
    "status": "状态",
    "progress": "进度(%)",
    "invest_planned": "计划投资(万元)",
    "invest_done": "完成投资(万元)",
    "start_year": "开工年份",
    "finish_year": "完工年份",
    "lead_unit": "责任单位",
    "site_lon": "经度",
    "site_lat": "纬度",
    "crs": "坐标系",
    "site_source": "坐标来源",
    "note": "备注",
    "as_of": "信息日期",
    "source": "填报来源",
}
CONTEXT = ("id", "name", "county", "zone", "sector")
#: Cells kept exactly as typed (no NFKC): a round trip must not turn （重点办） into (重点办).
FREE_TEXT = ("lead_unit", "note", "site_source", "source")
VALUE_FIELDS = ("status", "progress", "invest_planned", "invest_done", "start_year", "finish_year", "lead_unit", "note")
CRS_OPTIONS = {"WGS84": "wgs84", "GCJ-02": "gcj02", "BD-09": "bd09", "CGCS2000": "cgcs2000"}
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text for a spreadsheet cell that no spreadsheet program will run as a formula (a leading ')."""
    return "'" + text if text.startswith(_DANGEROUS) else text


def unsafe_text(text: str) -> str:
    """The inverse of :func:`safe_text` on import."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_DANGEROUS) else text


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def field_label(name: str, lang: str = "zh") -> str:
    """The Chinese name of a register field (the key itself in English)."""
    return FIELD_LABELS.get(name, name) if lang == "zh" else name

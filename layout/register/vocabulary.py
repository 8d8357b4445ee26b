"""The register's vocabulary: statuses, fields and their Chinese labels, where the register lives.

Light on purpose (no pandas, no numpy): the CLI's streaming ``register history`` and anything that only
needs names read it without loading the data stack; import them from here.
"""

from __future__ import annotations

from pathlib import Path

from layout.settings import REGISTER_ENV, data_dir, env_text

__all__ = [
    "COMPLETED",
    "DEMO_BY",
    "DEMO_SOURCE",
    "FIELD_LABELS",
    "INDICATOR_FIELDS",
    "INDICATOR_PREFIX",
    "MAX_TEXT",
    "NUMBER_FIELDS",
    "PROJECT_FIELDS",
    "REGISTER_ENV",
    "SITE_DECIMALS",
    "SITE_FIELDS",
    "STARTED",
    "STATUSES",
    "TEXT_FIELDS",
    "YEAR_FIELDS",
    "YEAR_RANGE",
    "default_register_path",
    "shown_stored_text",
    "status_label",
]

STATUSES: dict[str, str] = {
    "not_started": "未启动",
    "preparing": "前期工作",
    "building": "在建",
    "completed": "已建成",
    "operating": "已运营",
    "suspended": "暂停",
    "cancelled": "取消",
}
STARTED = {"building", "completed", "operating"}
COMPLETED = {"completed", "operating"}
PROJECT_FIELDS = (
    "site_lon",
    "site_lat",
    "site_source",
    "status",
    "progress",
    "invest_planned",
    "invest_done",
    "start_year",
    "finish_year",
    "lead_unit",
    "note",
)
INDICATOR_FIELDS = ("actual_value", "actual_year")
NUMBER_FIELDS = ("site_lon", "site_lat", "progress", "invest_planned", "invest_done", "actual_value")
YEAR_FIELDS = ("start_year", "finish_year", "actual_year")
TEXT_FIELDS = ("site_source", "status", "lead_unit", "note")
SITE_FIELDS = ("site_lon", "site_lat", "site_source")
FIELD_LABELS = {
    "site": "位置",
    "site_lon": "经度",
    "site_lat": "纬度",
    "site_source": "坐标来源",
    "status": "状态",
    "progress": "进度(%)",
    "invest_planned": "计划投资(万元)",
    "invest_done": "完成投资(万元)",
    "start_year": "开工年份",
    "finish_year": "完工年份",
    "lead_unit": "责任单位",
    "note": "备注",
    "actual_value": "实际值",
    "actual_year": "实际值年份",
}
INDICATOR_PREFIX = "indicator:"
YEAR_RANGE = (1990, 2100)
MAX_TEXT = 2000
SITE_DECIMALS = 7
#: Who and what source a demo register's reports carry (stored data, kept as written; shown by
#: :func:`shown_stored_text` in the reader's language).
DEMO_BY = "演示数据 / demo"
DEMO_SOURCE = "演示数据 / demo data（合成，非真实进展）"


def default_register_path() -> Path:
    """``$LAYOUT_REGISTER`` when set, else ``register.sqlite`` in the data folder (:func:`layout.settings.data_dir`;
    ``data/`` in a checkout, git-ignored)."""
    env = env_text(REGISTER_ENV)
    return Path(env) if env else data_dir() / "register.sqlite"


def status_label(status_id: str, lang: str = "zh") -> str:
    """The Chinese name of a status id (the id itself in English, with underscores as spaces)."""
    if not status_id:
        return ""
    return STATUSES.get(status_id, status_id) if lang == "zh" else status_id.replace("_", " ")


def shown_stored_text(text: object, lang: str = "zh") -> str:
    """A stored 记录人 or 来源 as a reader sees it: the demo register's marks in ``lang``, the rest as stored."""
    from layout.i18n import t

    key = {DEMO_BY: "reg.demo_by", DEMO_SOURCE: "reg.demo_source"}.get(str(text))
    return t(key, lang) if key else str(text)

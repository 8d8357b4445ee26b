"""One palette for every output: sector, zone and project-status colours.

The web map (:mod:`layout.render.webmap`), the app's charts, the print maps (:mod:`layout.render.printmap` via
:mod:`layout.render.export`) and the decks (:mod:`layout.render.deck`) all take their colours from here, so 文旅休闲业
is the same orange on a screen, on paper and on a slide. Zone colours live in the planner-editable
``layout/plan/zones.toml``; :func:`zone_colors` reads them from there (one definition, not a copy).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "FALLBACK_COLOR",
    "SECTOR_COLORS",
    "STATUS_COLORS",
    "hex_to_rgb",
    "sector_color",
    "sector_colors",
    "status_color",
    "zone_colors",
]

#: Sector colours by the plan's 3+4+5 groups (in that order): warm for the three leading, earth for the
#: four traditional, cool for the five emerging.
SECTOR_COLORS: dict[str, str] = {
    "电子商务业": "#d62728",
    "文旅休闲业": "#ff7f0e",
    "康养服务业": "#e377c2",
    "住宿餐饮业": "#8c564b",
    "批发零售业": "#9467bd",
    "家政服务业": "#b5a300",
    "节能环保服务业": "#2ca02c",
    "工业软件与信息服务": "#1f77b4",
    "现代物流业": "#17becf",
    "现代金融服务": "#393b79",
    "高端商务服务": "#6b6b6b",
    "检测检验服务": "#005f5f",
}
#: A project's status in the register, from idea to operation, plus stopped states and "not reported".
#: Greys for nothing-yet, blue → orange → greens along the way, dark red for stopped.
STATUS_COLORS: dict[str, str] = {
    "未启动": "#bdbdbd",
    "前期工作": "#6baed6",
    "在建": "#fd8d3c",
    "已建成": "#74c476",
    "已运营": "#238b45",
    "暂停": "#b15928",
    "取消": "#67000d",
    "未填报": "#f0f0f0",
}
FALLBACK_COLOR = "#444444"


def sector_color(sector: str) -> str:
    """The colour of ``sector`` (:data:`FALLBACK_COLOR` for a sector the plan does not name)."""
    return SECTOR_COLORS.get(sector, FALLBACK_COLOR)


def sector_colors(sectors: Iterable[str]) -> list[str]:
    """Colours of ``sectors`` in their order (for a chart's colour list)."""
    return [sector_color(s) for s in sectors]


def status_color(status: str) -> str:
    """The colour of a register status, by its Chinese name or its id (``building`` → 在建's); 未填报's for
    an empty or unknown one."""
    from layout.register.vocabulary import STATUSES

    return STATUS_COLORS.get(STATUSES.get(status, status), STATUS_COLORS["未填报"])


def zone_colors() -> dict[str, str]:
    """Zone and pole colours by zone id, as ``layout/plan/zones.toml`` defines them."""
    from layout.plan.zones import load_zone_model

    return {zone_id: zone.color for zone_id, zone in load_zone_model().zones.items()}


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """``#rrggbb`` as three integers (for python-pptx and matplotlib)."""
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)

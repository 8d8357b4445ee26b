"""Which report counts a project: the six county reports and the 市级 report partition the catalog.

A project filed under one of the six polygon counties is counted in that county's report. Everything
else — the 全市 rows, the cross-county areas the plan names (中心城区 = 资阳区 + 赫山区) and 大通湖区
(a 市直管 district whose towns lie in 南县/沅江市) — is counted once, in the 市级 report. A county
report *lists* the cross-county projects whose footprint covers it and the 全市 rows as context,
never counting them, so six county reports + the 市级 report = the city report, project by project.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layout.catalog.gazetteer import CITYWIDE
from layout.plan.zones import POLYGON_COUNTIES, load_zone_model, polygon_counties
from layout.render.views import effective_county

__all__ = [
    "CONTEXT_CITYWIDE",
    "CONTEXT_SHARED",
    "MUNICIPAL",
    "PARTITION_SCOPES",
    "context_kinds",
    "municipal_mask",
    "partition_scope_names",
    "partition_scopes",
    "report_scope",
]

#: The scope of the 市级 report (全市 and cross-county projects).
MUNICIPAL = "municipal"
#: The reports that partition the catalog, in order: six counties, then 市级.
PARTITION_SCOPES = (*(f"county:{c}" for c in POLYGON_COUNTIES), MUNICIPAL)
CONTEXT_SHARED = "shared"  # filed under an area or district that spans the county (counted in 市级)
CONTEXT_CITYWIDE = "citywide"  # filed under 全市 (counted in 市级)


def partition_scope_names() -> tuple[str, ...]:
    """The reports that partition the active plan's catalog (:data:`PARTITION_SCOPES` for 十四五)."""
    return (*(f"county:{c}" for c in polygon_counties()), MUNICIPAL)


def report_scope(filed_under: str) -> str:
    """The scope of the one report that counts a project filed under ``filed_under``."""
    return f"county:{filed_under}" if filed_under in polygon_counties() else MUNICIPAL


def partition_scopes(catalog: pd.DataFrame) -> pd.Series:
    """Per catalog row, the scope of the report that counts it (:data:`PARTITION_SCOPES`)."""
    return effective_county(catalog).map(report_scope)


def municipal_mask(catalog: pd.DataFrame) -> np.ndarray:
    """Rows counted in the 市级 report: filed under no polygon county."""
    return (~effective_county(catalog).isin(polygon_counties())).to_numpy()


def context_kinds(catalog: pd.DataFrame, county: str) -> pd.Series:
    """Per row, why a county report lists it without counting it: :data:`CONTEXT_SHARED` for a project
    filed under an area or district whose footprint includes ``county`` (中心城区 for 资阳区 and 赫山区,
    大通湖区 for 南县 and 沅江市), :data:`CONTEXT_CITYWIDE` for a 全市 row, "" otherwise."""
    model = load_zone_model()
    filed = effective_county(catalog)
    out = pd.Series("", index=catalog.index, dtype=object)
    own = polygon_counties(model)
    if county not in own:
        return out
    spans = {name for name in (*model.counties, *model.areas) if name not in own and county in model.footprint(name)}
    out[filed.isin(spans)] = CONTEXT_SHARED
    out[filed.eq(CITYWIDE) | filed.eq("")] = CONTEXT_CITYWIDE
    return out

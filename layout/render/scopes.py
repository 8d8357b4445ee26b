"""What a print map covers: the whole city, one zone (``zone:<id>``) or one county (``county:<name>``),
parsed from text, with the counties, projects, label and title of each scope.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from layout.errors import InputError
from layout.geo.boundaries import (
    expand_counties,
    load_counties,
)
from layout.i18n import t
from layout.plan.zones import load_zone_model
from layout.render.views import effective_county, focus_mask, zone_name

# --------------------------------------------------------------------------------------------
# Scopes


@dataclass(frozen=True)
class Scope:
    """What a map or deck covers: the whole city, one zone or pole (``zone:<id>``) or one county."""

    kind: str  # "city", "zone" or "county"
    key: str = ""

    def __str__(self) -> str:
        return self.kind if self.kind == "city" else f"{self.kind}:{self.key}"


def valid_scopes() -> list[str]:
    """Every scope string: ``city``, ``zone:<id>`` for each zone and pole, ``county:<name>``."""
    model = load_zone_model()
    return ["city", *(f"zone:{z}" for z in model.zones), *(f"county:{c}" for c in model.counties)]


def parse_scope(text: str | Scope) -> Scope:
    """Read ``city``, ``zone:<id>`` or ``county:<name>``.

    Raises
    ------
    InputError
        When ``text`` names no scope; the message lists the valid ones.
    """
    if isinstance(text, Scope):
        text = str(text)
    text = (text or "").strip()
    if text in valid_scopes():
        kind, _, key = text.partition(":")
        return Scope(kind, key)
    raise InputError(
        f"scope should be one of {', '.join(valid_scopes())}, got {text!r}",
        code="scope_bad",
        valid=", ".join(valid_scopes()),
        got=text,
    )


def scope_counties(scope: Scope) -> list[str]:
    """The polygon counties making up the scope's area (大通湖区 → 南县, 沅江市)."""
    model = load_zone_model()
    if scope.kind == "county":
        return expand_counties([scope.key], model)
    if scope.kind == "zone":
        zone = model.zones[scope.key]
        return expand_counties(zone.counties, model, primary_only_of=None if zone.kind == "pole" else zone.id)
    return list(load_counties()["name"])


def scope_mask(catalog: pd.DataFrame, scope: Scope) -> np.ndarray:
    """Catalog rows of the scope: all for the city; for a county, the rows filed under it (stated
    ``county``, else the county its point falls in); for a zone or pole, rows whose point is in it."""
    if scope.kind == "county":
        return (effective_county(catalog) == scope.key).to_numpy()
    if scope.kind == "zone":
        return focus_mask(catalog, str(scope))
    return np.ones(len(catalog), dtype=bool)


def scope_label(scope: Scope, lang: str = "zh") -> str:
    """A short name of the scope: 益阳市, a zone's name, or a county's name."""
    if scope.kind == "zone":
        return zone_name(scope.key, lang)
    if scope.kind == "county":
        return load_zone_model().counties[scope.key].name_en if lang == "en" else scope.key
    return "Yiyang" if lang == "en" else "益阳市"


def scope_title(scope: Scope, lang: str = "zh") -> str:
    if scope.kind == "city":
        return t("print.city_title", lang)
    return t("print.county_title", lang, name=scope_label(scope, lang))

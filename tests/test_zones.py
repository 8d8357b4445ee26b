"""The zone model in layout/plan/zones.toml, checked against the plan."""

from __future__ import annotations

import tomllib

import pytest

from layout.errors import LayoutError
from layout.plan.text import quote_in_plan
from layout.plan.zones import ZONES_FILE, load_zone_model, parse_zone_model

EXPECTED = {
    "core": {"资阳区", "赫山区"},
    "lake_wing": {"沅江市", "南县", "大通湖区", "资阳区"},
    "mountain_wing": {"桃江县", "安化县"},
    "pole_northeast": {"南县", "沅江市", "大通湖区"},
    "pole_central": {"资阳区", "赫山区"},
    "pole_southwest": {"安化县"},
}


@pytest.fixture
def raw() -> dict:
    with open(ZONES_FILE, "rb") as f:
        return tomllib.load(f)


def test_memberships_are_those_of_chapter_three():
    model = load_zone_model()
    assert {z: set(zone.counties) for z, zone in model.zones.items()} == EXPECTED
    assert [z.id for z in model.by_kind("pole")] == ["pole_northeast", "pole_central", "pole_southwest"]


def test_each_county_has_one_primary_zone_and_its_poles():
    model = load_zone_model()
    assert model.zones_of("资阳区") == ["core", "lake_wing"]  # 资阳特种养殖: secondary lake-wing affiliation
    assert model.zones_of("赫山区") == ["core"]
    assert model.zones_of("大通湖区") == ["lake_wing"]
    assert model.poles_of("安化县") == ["pole_southwest"]
    assert model.poles_of("桃江县") == []
    assert model.membership("lake_wing", "资阳区").role == "secondary"


def test_every_membership_and_definition_is_verbatim_in_the_plan():
    model = load_zone_model()
    for zone in model.zones.values():
        assert quote_in_plan(zone.definition), zone.id
        assert quote_in_plan(zone.name_zh), zone.id
        for member in zone.members:
            assert quote_in_plan(member.quote), (zone.id, member.county)
            # the quote names the county (or, for the central pole, the central city it is part of)
            short = member.county.rstrip("区县市") if member.county != "南县" else "南县"
            assert short in member.quote or "中心城区" in member.quote, (zone.id, member.county)


def test_every_zone_has_names_and_a_colour():
    for zone in load_zone_model().zones.values():
        assert zone.name_zh and zone.name_en and zone.short_zh in {"一核", "两翼", "三极"}
        assert zone.color.startswith("#") and len(zone.color) == 7


def test_a_second_primary_zone_is_rejected(raw):
    raw["zones"]["mountain_wing"]["members"].append(
        {"county": "南县", "role": "primary", "quote": "x", "plan_section": ""}
    )
    with pytest.raises(LayoutError, match="南县: should have exactly one primary"):
        parse_zone_model(raw)


def test_unknown_county_and_missing_quote_are_reported_together(raw):
    raw["zones"]["core"]["members"].append({"county": "长沙县", "role": "primary", "quote": ""})
    with pytest.raises(LayoutError, match="长沙县.*not in \\[counties\\].*needs the plan's quote"):
        parse_zone_model(raw)


def test_bad_kind_is_rejected(raw):
    raw["zones"]["core"]["kind"] = "hub"
    with pytest.raises(LayoutError, match="kind should be one of"):
        parse_zone_model(raw)

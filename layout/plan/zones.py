"""The 一核两翼三极 zone model, read from the declarative ``zones.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from layout.errors import InputError, many_errors

__all__ = [
    "Area",
    "CENTRAL_CITY",
    "County",
    "DATONGHU",
    "Membership",
    "POLYGON_COUNTIES",
    "ZONES_FILE",
    "ZONE_KINDS",
    "Zone",
    "ZoneModel",
    "load_zone_model",
    "parse_zone_model",
    "polygon_counties",
    "zone_name",
    "zone_names",
]

ZONES_FILE = Path(__file__).with_name("zones.toml")
ZONE_KINDS = ("core", "wing", "pole")
#: The six county-level units that have polygons, in adcode order.
POLYGON_COUNTIES = ("资阳区", "赫山区", "南县", "桃江县", "安化县", "沅江市")
DATONGHU = "大通湖区"
CENTRAL_CITY = "中心城区"


@dataclass(frozen=True)
class Membership:
    county: str
    role: str  # "primary" or "secondary"
    quote: str
    plan_section: str


@dataclass(frozen=True)
class Zone:
    id: str
    kind: str
    short_zh: str
    name_zh: str
    name_en: str
    color: str
    plan_section: str
    definition: str
    members: tuple[Membership, ...]
    places: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    axis_to: str = ""
    target_zh: str = ""
    target_en: str = ""

    @property
    def counties(self) -> tuple[str, ...]:
        return tuple(m.county for m in self.members)

    @property
    def label_zh(self) -> str:
        return f"{self.short_zh} · {self.name_zh}"


@dataclass(frozen=True)
class County:
    name: str
    adcode: str
    name_en: str
    footprint: tuple[str, ...] = ()  # polygon counties making up a county without its own polygon


@dataclass(frozen=True)
class Area:
    """A declared area (中心城区): a group of polygon counties the plan names as one place."""

    name: str
    name_en: str
    footprint: tuple[str, ...]
    zone: str
    quote: str
    plan_section: str


@dataclass(frozen=True)
class ZoneModel:
    zones: dict[str, Zone]
    counties: dict[str, County]
    _primary: dict[str, str] = field(repr=False)
    areas: dict[str, Area] = field(default_factory=dict)

    def primary_zone(self, county: str) -> str:
        """Id of the one primary core/wing zone of ``county`` (or of a declared area)."""
        if county in self.areas:
            return self.areas[county].zone
        return self._primary[county]

    def footprint(self, name: str) -> tuple[str, ...]:
        """The polygon counties making up a county or area (itself for a county with a polygon)."""
        place = self.counties.get(name) or self.areas.get(name)
        return place.footprint if place is not None and place.footprint else (name,)

    def zones_of(self, county: str) -> list[str]:
        """Core/wing zone ids of ``county``: the primary first, then secondary affiliations."""
        if county in self.areas:
            return [self.areas[county].zone]
        secondary = [
            z.id
            for z in self.zones.values()
            if z.kind != "pole"
            for m in z.members
            if m.county == county and m.role == "secondary"
        ]
        return [self._primary[county], *secondary]

    def poles_of(self, county: str) -> list[str]:
        if county in self.areas:  # the poles every county of the area belongs to
            return [
                z.id
                for z in self.zones.values()
                if z.kind == "pole" and all(c in z.counties for c in self.areas[county].footprint)
            ]
        return [z.id for z in self.zones.values() if z.kind == "pole" and county in z.counties]

    def membership(self, zone_id: str, county: str) -> Membership | None:
        return next((m for m in self.zones[zone_id].members if m.county == county), None)

    def by_kind(self, kind: str) -> list[Zone]:
        return [z for z in self.zones.values() if z.kind == kind]


def parse_zone_model(data: dict) -> ZoneModel:
    """Build and check a :class:`ZoneModel` from the parsed TOML; every problem is reported at once.

    Raises
    ------
    LayoutError
        When a zone or membership is malformed, or a county has no or several primary zones.
    """
    problems: list[str | InputError] = []  # errors only (the type many_errors takes)
    counties = {
        name: County(name, str(c.get("adcode", "")), c.get("name_en", ""), tuple(c.get("footprint", ())))
        for name, c in data.get("counties", {}).items()
    }
    zones: dict[str, Zone] = {}
    for zid, z in data.get("zones", {}).items():
        if z.get("kind") not in ZONE_KINDS:
            problems.append(
                InputError(
                    f"zone '{zid}': kind should be one of {ZONE_KINDS}, got {z.get('kind')!r}",
                    code="zones_kind",
                    zone=zid,
                    kinds=", ".join(ZONE_KINDS),
                    got=str(z.get("kind", "")),
                )
            )
            continue
        members = []
        for m in z.get("members", []):
            if m.get("county") not in counties:
                problems.append(
                    InputError(
                        f"zone '{zid}': county {m.get('county')!r} is not in [counties]",
                        code="zones_county",
                        zone=zid,
                        county=str(m.get("county", "")),
                    )
                )
            if m.get("role") not in ("primary", "secondary"):
                problems.append(
                    InputError(
                        f"zone '{zid}', {m.get('county')}: role should be primary or secondary",
                        code="zones_role",
                        zone=zid,
                        county=str(m.get("county", "")),
                    )
                )
            if not m.get("quote"):
                problems.append(
                    InputError(
                        f"zone '{zid}', {m.get('county')}: every membership needs the plan's quote",
                        code="zones_quote",
                        zone=zid,
                        county=str(m.get("county", "")),
                    )
                )
            members.append(
                Membership(m.get("county", ""), m.get("role", ""), m.get("quote", ""), m.get("plan_section", ""))
            )
        zones[zid] = Zone(
            id=zid,
            kind=z["kind"],
            short_zh=z.get("short_zh", ""),
            name_zh=z.get("name_zh", ""),
            name_en=z.get("name_en", ""),
            color=z.get("color", "#888888"),
            plan_section=z.get("plan_section", ""),
            definition=z.get("definition", ""),
            members=tuple(members),
            places=tuple(z.get("places", ())),
            targets=tuple(z.get("targets", ())),
            axis_to=z.get("axis_to", ""),
            target_zh=z.get("target_zh", ""),
            target_en=z.get("target_en", ""),
        )
    primary: dict[str, str] = {}
    for name in counties:
        found = [
            z.id
            for z in zones.values()
            if z.kind != "pole"
            for m in z.members
            if m.county == name and m.role == "primary"
        ]
        if len(found) != 1:
            problems.append(
                InputError(
                    f"county {name}: should have exactly one primary core/wing zone, got {found}",
                    code="zones_primary",
                    county=name,
                    found=", ".join(found) or "—",
                )
            )
        else:
            primary[name] = found[0]
    areas = {}
    for name, a in data.get("areas", {}).items():
        footprint = tuple(a.get("footprint", ()))
        if not footprint or any(c not in counties or counties[c].footprint for c in footprint):
            problems.append(
                InputError(
                    f"area {name}: footprint should list counties with polygons, got {list(footprint)}",
                    code="zones_area_footprint",
                    area=name,
                    got=", ".join(footprint) or "—",
                )
            )
        if a.get("zone") not in zones or zones[a["zone"]].kind == "pole":
            problems.append(
                InputError(
                    f"area {name}: zone should be a core or wing zone id, got {a.get('zone')!r}",
                    code="zones_area_zone",
                    area=name,
                    got=str(a.get("zone", "")),
                )
            )
        if not a.get("quote"):
            problems.append(InputError(f"area {name}: needs the plan's quote", code="zones_area_quote", area=name))
        if name in counties:
            problems.append(InputError(f"area {name}: is also in [counties]", code="zones_area_county", area=name))
        areas[name] = Area(
            name, a.get("name_en", ""), footprint, a.get("zone", ""), a.get("quote", ""), a.get("plan_section", "")
        )
    if problems:
        raise InputError(
            "zones.toml: " + "; ".join(map(str, problems)),
            code="plan_file",
            file="zones.toml",
            problems=many_errors(problems),
        )
    return ZoneModel(zones=zones, counties=counties, _primary=primary, areas=areas)


def polygon_counties(model: ZoneModel | None = None) -> tuple[str, ...]:
    """The counties of the (active) plan that have polygons of their own, in model order; for 十四五 exactly
    :data:`POLYGON_COUNTIES`."""
    model = model or load_zone_model()
    return tuple(name for name, c in model.counties.items() if not c.footprint)


def load_zone_model(path: Path | None = None) -> ZoneModel:
    """Read and check the zone model (cached); default the active plan's ``zones.toml`` (十四五 unless
    :func:`layout.drafting.versions.activate_plan` picked another)."""
    from layout.plan.context import active_plan_files

    path = Path(path) if path is not None else active_plan_files().zones
    stat = path.stat() if path.exists() else None  # a draft's file changes: the cache follows it
    return _load_zone_model(path, stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)


@cache
def _load_zone_model(path: Path, mtime_ns: int = 0, size: int = 0) -> ZoneModel:
    with open(path, "rb") as f:
        return parse_zone_model(tomllib.load(f))


def zone_name(zone_id: str, lang: str = "zh") -> str:
    zone = load_zone_model().zones.get(zone_id)
    if zone is None:
        return zone_id
    return zone.name_en.split(":")[0] if lang == "en" else f"{zone.short_zh}·{zone.name_zh}"


def zone_names(zone_ids, lang: str = "zh") -> str:
    """Zone or pole names joined for one line of text (``；`` in Chinese)."""
    return ("；" if lang == "zh" else "; ").join(zone_name(z, lang) for z in zone_ids or ())

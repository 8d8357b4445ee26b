"""The guided tour's steps: 一核 → 两翼 → 三极 → each county, each with the plan's own words."""

from __future__ import annotations

from dataclasses import dataclass, field

from layout.i18n import t
from layout.plan.text import sentences_naming, squash
from layout.plan.zones import DATONGHU, load_zone_model
from layout.render.deck import short_name
from layout.render.views import zone_name

# --------------------------------------------------------------------------------------------
# The guided tour


@dataclass(frozen=True)
class TourStep:
    key: str  # "city", "zone:<id>" or "county:<name>", also the map focus
    stage: str  # 一核, 两翼, 三极 or 县（市、区）
    title: str
    quotes: list[tuple[str, str]]  # (the plan's words, section)
    more: list[str] = field(default_factory=list)  # further sentences naming the place
    subtitle: str = ""  # a zone's member counties; a county's zones and poles


def tour_steps(lang: str = "zh") -> list[TourStep]:
    """The whole layout first, then 一核 → 两翼 → 三极 → each of the six counties → 大通湖区, with the
    plan's words as captions."""
    from layout.render.views import LAYOUT_OVERVIEW, LAYOUT_SECTION

    model = load_zone_model()
    sep = "、" if lang == "zh" else ", "
    kinds = " · ".join(t(f"explain.{kind}", lang) for kind in ("core", "wing", "pole"))
    steps: list[TourStep] = [
        TourStep(
            "city",
            t("tour.overview_stage", lang),
            t("tour.overview_title", lang),
            [(LAYOUT_OVERVIEW, LAYOUT_SECTION)],
            subtitle=kinds,
        )
    ]
    for kind in ("core", "wing", "pole"):
        for zone in model.by_kind(kind):
            quotes = [(zone.definition, zone.plan_section)]
            members = [c if lang == "zh" else model.counties[c].name_en for c in zone.counties]
            steps.append(
                TourStep(
                    f"zone:{zone.id}",
                    zone.short_zh if lang == "zh" else zone.name_en.split(":")[0],
                    zone_name(zone.id, lang),
                    quotes,
                    subtitle=sep.join(members),
                )
            )
    stage = "县（市、区）" if lang == "zh" else "Counties"
    for county in [*(c for c in model.counties if c != DATONGHU), *([DATONGHU] if DATONGHU in model.counties else [])]:
        brief_quotes: list[tuple[str, str]] = []
        for zone_id in [*model.zones_of(county), *model.poles_of(county)]:
            m = model.membership(zone_id, county)
            if m and all(squash(q) != squash(m.quote) for q, _ in brief_quotes):
                brief_quotes.append((m.quote, m.plan_section))
        names = [zone_name(z, lang) for z in [*model.zones_of(county), *model.poles_of(county)]]
        label = county if lang == "zh" else model.counties[county].name_en
        quoted = {squash(q) for q, _ in brief_quotes}
        more = [s for s in sentences_naming(short_name(county)) if not any(q in s for q in quoted)]
        if county == DATONGHU:  # no polygon of its own: the map shows its footprint, and says so
            names.append(t("tour.datonghu_note", lang))
        steps.append(TourStep(f"county:{county}", stage, label, brief_quotes, more, subtitle=sep.join(names)))
    return steps

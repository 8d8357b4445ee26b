"""A report's changes checked before anything is written: the subject (a catalog project or an indicator),
each field's value (:mod:`layout.register.values`), and a typed site (inside 益阳, with a source; outside the
plan's county only when confirmed with a reason). Every problem is gathered and raised once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from layout.errors import InputError, many_errors
from layout.i18n import Message
from layout.register.sites import check_site
from layout.register.values import check_text, check_value, coded_error, number_text
from layout.register.vocabulary import FIELD_LABELS, INDICATOR_FIELDS, INDICATOR_PREFIX, PROJECT_FIELDS, SITE_FIELDS

__all__ = ["ChangePlan", "check_subject", "plan_changes"]

_INDICATOR_ID = re.compile(r"^[\w\-.]{1,64}$")


@dataclass
class ChangePlan:
    """Validated changes for one subject: stored texts per field, the source per field, warnings."""

    subject: str
    values: dict[str, str | None]
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def check_subject(subject: str, catalog: pd.DataFrame) -> str:
    """``subject`` stripped, when it is a catalog project id or ``indicator:<id>``; else InputError."""
    subject = str(subject).strip()
    if subject.startswith(INDICATOR_PREFIX):
        if not _INDICATOR_ID.match(subject[len(INDICATOR_PREFIX) :]):
            raise coded_error("reg_subject_indicator", subject=subject)
        return subject
    if subject not in catalog.index:
        raise coded_error("reg_subject_unknown", subject=subject or "∅")
    return subject


def plan_changes(
    subject: str,
    changes: Mapping[str, object],
    *,
    catalog: pd.DataFrame,
    source: str = "",
    confirm: bool = False,
    current: Mapping[str, object] | None = None,
) -> ChangePlan:
    """Validate ``changes`` for ``subject``; gather every problem and raise one InputError.

    ``changes`` keys are the fields, plus ``site`` = (lon, lat) with an optional ``crs`` (wgs84,
    gcj02, bd09, cgcs2000); ``site=None`` clears the site. A site needs a source (``site_source`` or
    ``source``); outside the plan's county it needs ``confirm`` and a reason (``source`` or ``note``).
    """
    subject = check_subject(subject, catalog)
    indicator = subject.startswith(INDICATOR_PREFIX)
    allowed = INDICATOR_FIELDS if indicator else PROJECT_FIELDS
    changes = dict(changes)
    crs = str(changes.pop("crs", "wgs84") or "wgs84")
    problems: list[str | InputError] = []
    values: dict[str, str | None] = {}
    sources: dict[str, str] = {}
    warnings: list[str] = []
    for name, value in changes.items():
        if name == "site" or name not in allowed:
            continue
        try:
            values[name] = check_value(name, value)
        except InputError as exc:
            label = FIELD_LABELS.get(name, name)
            problems.append(
                InputError(
                    f"{subject} {name} ({label}): {exc}",
                    code="val_of",
                    subject=subject,
                    field=name,
                    label=label,
                    error=exc,
                )
            )
    unknown = [n for n in changes if n not in allowed and not (n == "site" and not indicator)]
    if unknown:
        problems.append(
            coded_error(
                "reg_unknown_fields",
                subject=subject,
                unknown=", ".join(map(str, unknown)),
                fields=", ".join(allowed),
            )
        )
    if not indicator:
        _plan_site(catalog, subject, changes, crs, source, confirm, values, sources, problems)
    if problems:
        raise many_errors(problems)
    merged = {**(current or {}), **{k: v for k, v in values.items()}}
    try:
        planned = float(str(merged.get("invest_planned") or "nan"))
        done = float(str(merged.get("invest_done") or "nan"))
        if done > planned and {"invest_planned", "invest_done"} & set(values):
            warnings.append(
                Message("note.reg_invest", subject=subject, done=number_text(done), planned=number_text(planned))
            )
        start = float(str(merged.get("start_year") or "nan"))
        finish = float(str(merged.get("finish_year") or "nan"))
        if finish < start and {"start_year", "finish_year"} & set(values):
            warnings.append(Message("note.reg_years", subject=subject, finish=int(finish), start=int(start)))
    except (TypeError, ValueError):
        pass
    return ChangePlan(subject, values, sources, warnings)


def _plan_site(
    catalog: pd.DataFrame,
    subject: str,
    changes: dict,
    crs: str,
    source: str,
    confirm: bool,
    values: dict,
    sources: dict,
    problems: list[str | InputError],
) -> None:
    has_site = "site" in changes
    has_pair = "site_lon" in changes or "site_lat" in changes
    if not has_site and not has_pair:
        if "site_source" in values and values["site_source"] is None:
            problems.append(_site_error(subject, coded_error("site_source_kept")))
        return
    if has_site and has_pair:
        problems.append(_site_error(subject, coded_error("site_both")))
        return
    if has_site:
        point = changes["site"]
    else:
        point = (changes.get("site_lon"), changes.get("site_lat"))
        crs = "wgs84"
    if point is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in point):
        values.update(site_lon=None, site_lat=None, site_source=None)
        return
    try:
        lon, lat = point
    except (TypeError, ValueError):
        problems.append(_site_error(subject, coded_error("site_pair", got=repr(point))))
        return
    plan_county = str(catalog.at[subject, "county"]) if subject in catalog.index else ""
    try:
        site = check_site(lon, lat, crs=crs, plan_county=plan_county)
    except InputError as exc:
        problems.append(_site_error(subject, exc))
        return
    if not site.inside:
        where = {"lon": f"{site.lon:.6f}", "lat": f"{site.lat:.6f}"}
        outside = (
            coded_error("site_outside_near", **where, county=site.nearest_county, km=f"{site.distance_km:.1f}")
            if site.nearest_county
            else coded_error("site_outside", **where)
        )
        problems.append(_site_error(subject, outside))
        return
    try:
        site_source = check_text(changes.get("site_source") or source or "")
    except InputError as exc:
        problems.append(InputError(f"{subject} site_source: {exc}", code="site_source_bad", subject=subject, error=exc))
        return
    if not site_source:
        problems.append(_site_error(subject, coded_error("site_needs_source")))
    event_source = source
    if not site.in_plan_county:
        reason = str(source or changes.get("note") or "").strip()
        if not confirm or not reason:
            problems.append(
                _site_error(subject, coded_error("site_confirm", county=site.county, plan_county=plan_county))
            )
        event_source = f"{reason} [confirmed: site in {site.county}, plan says {plan_county}]"
    values.update(site_lon=number_text(site.lon), site_lat=number_text(site.lat), site_source=site_source)
    sources.update({f: event_source for f in SITE_FIELDS})


# -- writing


def _site_error(subject: str, error: InputError) -> InputError:
    """A problem with ``subject``'s site, naming the project."""
    return InputError(f"{subject} site: {error}", code="site_of", subject=subject, error=error)

"""What the register's commands share (besides :func:`layout.cli.common.speaks`): the
register's location and opening, dates given on the command line, and how a field, a value and an event
print.
"""

from __future__ import annotations

from pathlib import Path

import click

from layout.i18n import message_text, t
from layout.register.vocabulary import FIELD_LABELS, shown_stored_text, status_label


def register_location_of(ctx: click.Context) -> str | Path:
    """The register's location: --register (a file or a postgresql:// URL), else $LAYOUT_REGISTER, else
    data/register.sqlite."""
    from layout.register.location import register_location

    return (ctx.obj or {}).get("register") or register_location()


def open_register(ctx: click.Context, *, create: bool = True):
    """The register; read-only commands pass ``create=False`` (a mistyped path creates nothing)."""
    from layout.register.events import Register
    from layout.register.location import open_store

    if not create:
        open_store(register_location_of(ctx), create=False)
    return Register(register_location_of(ctx))


def parse_option_date(value: str | None, name: str):
    import datetime as dt
    import re

    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*", value)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])) if m else bad_date(value, name)
    except ValueError:
        return bad_date(value, name)


def bad_date(value: str, name: str):
    from layout.register.values import parse_date

    return parse_date(value, name=name)  # other spellings (2026年3月31日), or its error


def json_value(value: object) -> object:
    import datetime as dt
    import math

    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def field_name(name: str, lang: str) -> str:
    """A register field as the reader calls it: 状态 / status."""
    return FIELD_LABELS.get(name, name) if lang == "zh" else name


def shown_value(name: str, value: object, lang: str) -> str:
    """A stored value for reading: ∅ for none, the status in the reader's language."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return "∅"
    if name == "status":
        return status_label(str(value), lang)
    if isinstance(value, float):
        from layout.register.values import number_text

        return number_text(value)
    return str(value)


def event_line(e: dict, lang: str) -> str:
    """One history line: ``#id date subject 字段：old → new  who when  source``, marked 已撤销 when retracted."""
    head = f"#{e['event_id']} {e['as_of']} {e['subject']} "
    if e["kind"] == "retract":
        body = t("cli.reg.retraction", lang, event=e["retracts"], field=field_name(e["field"], lang))
    elif e["kind"] == "confirm":
        body = t(
            "cli.reg.confirmation",
            lang,
            field=field_name(e["field"], lang),
            value=shown_value(e["field"], e["value"], lang),
        )
    else:
        body = t(
            "cli.reg.change",
            lang,
            field=field_name(e["field"], lang),
            old=shown_value(e["field"], e["previous"], lang),
            new=shown_value(e["field"], e["value"], lang),
        )
    tail = t("cli.reg.by_at", lang, by=shown_stored_text(e["by"], lang), at=e["recorded_at"])
    if e["source"]:
        source = shown_stored_text(e["source"], lang)
        tail += t("cli.reg.reason" if e["kind"] == "retract" else "cli.reg.source", lang, source=source)
    mark = t("cli.reg.retracted_mark", lang) if e.get("retracted") else ""
    return head + body + tail + mark


def report_recorded(reg, ids: list[int], lang: str) -> None:
    """Print what a record call appended: each event's change, or 已确认（无变化）."""
    for warning in reg.warnings:
        click.echo(t("cli.reg.warning", lang, warning=message_text(warning, lang)), err=True)
    if not ids:
        click.echo(t("cli.reg.nothing", lang))
        return
    events = [e for e in reg.iter_history(event_from=min(ids)) if e["event_id"] in set(ids)]
    for e in events:
        click.echo(event_line(e, lang))
    changed = len(ids) - reg.confirmed
    if changed == 0:
        click.echo(t("cli.reg.confirmed_only", lang, n=len(ids)))
    else:
        key = "cli.reg.recorded_confirmed" if reg.confirmed else "cli.reg.recorded"
        click.echo(t(key, lang, n=changed, confirmed=reg.confirmed))

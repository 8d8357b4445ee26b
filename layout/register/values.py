"""Register values: parsing and checking what officers type, and the stored text form of each value.

Every check raises :class:`~layout.errors.InputError` with the expected form and what arrived; free
text is kept as typed (never normalised), with control characters and undecodable bytes refused.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import numpy as np

from layout.errors import InputError
from layout.i18n import t
from layout.register.vocabulary import (
    INDICATOR_FIELDS,
    INDICATOR_PREFIX,
    MAX_TEXT,
    NUMBER_FIELDS,
    PROJECT_FIELDS,
    SITE_DECIMALS,
    STATUSES,
    YEAR_FIELDS,
    YEAR_RANGE,
)

__all__ = [
    "MAX_INVEST",
    "check_as_of",
    "check_by",
    "check_event_row",
    "check_source",
    "check_text",
    "check_value",
    "coded_error",
    "number_text",
    "parse_date",
    "parse_status",
]

MAX_INVEST = 1e9  # 万元 (10 trillion yuan): far above any project, and sums of them cannot overflow


def parse_status(value: object) -> str:
    """A status id from an id, a Chinese name or an English word; raises InputError naming the allowed ones."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    key = text.lower().replace(" ", "_").replace("-", "_")
    if key in STATUSES:
        return key
    for sid, zh in STATUSES.items():
        if text == zh:
            return sid
    allowed = "、".join(STATUSES.values())
    raise InputError(
        f"should be one of {allowed} (or {', '.join(STATUSES)}), got {text!r}",
        code="val_status",
        allowed=allowed,
        ids=", ".join(STATUSES),
        got=text,
    )


def _number(value: object) -> float:
    if isinstance(value, bool):
        raise InputError(f"should be a number, got {value!r}", code="val_number", got=str(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").rstrip("%").strip()
        try:
            number = float(text)
        except ValueError:
            raise InputError(
                f"should be a number, got {str(value).strip()!r}", code="val_number", got=str(value).strip()
            ) from None
    if not math.isfinite(number):
        raise InputError(f"should be a finite number, got {value!r}", code="val_finite", got=str(value))
    return number


def number_text(number: float) -> str:
    """The stored text of a number: integers without a decimal point, others in shortest form."""
    return str(int(number)) if float(number).is_integer() and abs(number) < 1e15 else repr(float(number))


def check_value(name: str, value: object) -> str | None:
    """Validate one field's value and return its stored text (None clears the field).

    Raises
    ------
    InputError
        With the expected form and what arrived (the caller adds the subject and field).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if name == "status":
        return parse_status(value)
    if name in YEAR_FIELDS:
        number = _number(value)
        if not number.is_integer() or not YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
            raise InputError(
                f"should be a year between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}, got {value!r}",
                code="val_year",
                low=YEAR_RANGE[0],
                high=YEAR_RANGE[1],
                got=str(value),
            )
        return str(int(number))
    if name in NUMBER_FIELDS:
        number = _number(value)
        if name == "progress" and not 0 <= number <= 100:
            raise InputError(
                f"should be a percentage from 0 to 100, got {number:g}", code="val_percent", got=f"{number:g}"
            )
        if name in ("invest_planned", "invest_done") and not 0 <= number < MAX_INVEST:
            raise InputError(
                f"should be 万元 from 0 to less than {MAX_INVEST:,.0f} (10^9), got {number:g}",
                code="val_invest",
                high=f"{MAX_INVEST:,.0f}",
                got=f"{number:g}",
            )
        if name in ("site_lon", "site_lat"):
            number = round(number, SITE_DECIMALS)
        return number_text(number)
    if name in ("site_source", "lead_unit", "note"):
        return check_text(value, allow_newline=name == "note")
    raise InputError(
        f"is not a register field; fields are {', '.join(PROJECT_FIELDS)}",
        code="val_field",
        fields=", ".join(PROJECT_FIELDS),
    )


def check_text(value: object, *, limit: int = MAX_TEXT, allow_newline: bool = False) -> str:
    """Free text as the officer typed it (stripped, never normalised); control characters (ANSI escapes,
    NUL …) and undecodable bytes are refused, and so is text over ``limit`` characters.

    Raises
    ------
    InputError
        Naming the first bad character's position, or the length.
    """
    text = str(value).strip()
    if len(text) > limit:
        raise InputError(
            f"should be at most {limit} characters, got {len(text)}", code="val_length", limit=limit, got=len(text)
        )
    for i, ch in enumerate(text):
        kind = unicodedata.category(ch)
        if (kind == "Cc" and not (allow_newline and ch in "\n\t")) or kind == "Cs":
            if kind == "Cs":
                raise InputError(
                    f"has an undecodable byte (not UTF-8 text) at position {i + 1}; remove it (type plain text)",
                    code="val_bytes",
                    pos=i + 1,
                )
            raise InputError(
                f"has a control character U+{ord(ch):04X} at position {i + 1}; remove it (type plain text)",
                code="val_control",
                char=f"U+{ord(ch):04X}",
                pos=i + 1,
            )
    return text


def parse_date(value: object, *, name: str = "as_of") -> dt.date:
    """A date from a ``date``/``datetime`` or text ``YYYY-MM-DD`` (also ``YYYY/MM/DD``, ``YYYY年M月D日``)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]00:00:00)?", text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise InputError(f"{name} should be a date like 2026-03-31, got {text!r}", code="val_date", name=name, got=text)


def check_by(by: str) -> str:
    """Who is recording: a name of 1–100 characters of plain text; InputError otherwise."""
    name = str(by or "").strip()
    if not name:
        raise InputError(
            "by: who is recording should be given (--by NAME); it goes into every event", code="val_by_empty"
        )
    if len(name) > 100:
        raise InputError(f"by: a name of at most 100 characters, got {len(name)}", code="val_by_long", got=len(name))
    try:
        return check_text(name, limit=100)
    except InputError as exc:
        raise InputError(f"by: {exc}", code="val_labelled", label="by", error=exc) from None


def check_source(source: object, label: str = "source") -> str:
    """A source or reason: plain text of at most :data:`MAX_TEXT` characters ("" allowed)."""
    try:
        return check_text(source or "")
    except InputError as exc:
        raise InputError(f"{label}: {exc}", code="val_labelled", label=label, error=exc) from None


def check_event_row(e: Mapping[str, object]) -> str | None:
    """What is wrong with one stored value event (a dict of event columns), or None: its field, its value
    (as :func:`check_value` would store it) and its texts. Used to check a backup before restoring it."""
    subject, name = str(e["subject"]), str(e["field"])
    allowed = INDICATOR_FIELDS if subject.startswith(INDICATOR_PREFIX) else PROJECT_FIELDS
    if name not in allowed:
        return f"field {name[:40]!r} is not a register field of {subject[:40]!r}"
    try:
        for key in ("value", "previous"):
            if e.get(key) is not None and check_value(name, e[key]) != e[key]:
                return f"{key} {str(e[key])[:40]!r} is not a valid {name}"
        check_by(str(e["recorded_by"]))
        check_source(e["source"])
    except InputError as exc:
        return f"{name}: {exc}"
    return None


def check_as_of(as_of: object) -> dt.date:
    """The date the information refers to (default today): not in the future, not before 1990."""
    day = dt.date.today() if as_of is None else parse_date(as_of)
    if day > dt.date.today():
        raise InputError(
            f"as_of {day.isoformat()} is in the future; give the date the information refers to",
            code="val_future",
            day=day.isoformat(),
        )
    if day.year < YEAR_RANGE[0]:
        raise InputError(
            f"as_of {day.isoformat()} is before {YEAR_RANGE[0]}; check the date",
            code="val_too_old",
            day=day.isoformat(),
            low=YEAR_RANGE[0],
        )
    return day


def coded_error(code: str, **args: Any) -> InputError:
    """An error with its i18n code (``err.<code>``): the English message, shown in any language."""
    return InputError(t(f"err.{code}", "en", **args), code=code, **args)

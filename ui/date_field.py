"""A date field whose every visible text is in the page's language.

Streamlit's ``st.date_input`` draws its calendar in English whatever the page's language (Streamlit 1.67
has no locale for it; streamlit/streamlit issues #7865, #12699). :func:`date_field` is three select boxes in
one row instead — 2026年 · 12月 · 6日, or 2026 · Dec · 6 — whose options are clipped to ``min_value`` and
``max_value`` and whose days follow the chosen month.

The chosen date lives in ``st.session_state[key]`` (a plain value, not a widget's), so it survives reruns
and page switches, and a page or a test that sets it moves the field there. The three boxes keep their own
state under ``{key}.year``, ``{key}.month`` and ``{key}.day``.
"""

from __future__ import annotations

import calendar
import datetime as dt

import streamlit as st

from layout.i18n import t

__all__ = ["date_field", "part_keys"]

_SPAN = 10  # years either side of ``value`` when no bound is given, as st.date_input does
#: Narrow boxes: less padding, a smaller arrow and a smaller gap, so "2026年 · 12月 · 30日" reads whole in
#: the sidebar at 1366×768 (Streamlit's boxes leave about 15 px of text in a third of the sidebar).
_CSS = """<style>
ROW [data-testid="stHorizontalBlock"] { gap: .4rem; }
ROW [role="group"] { padding-left: .45rem; padding-right: .1rem; }
ROW [role="group"] input { padding-left: 0; padding-right: 0; min-width: 0; }
ROW [role="group"] button { padding: 0; margin: 0; min-width: 0; width: 1rem; }
ROW [role="group"] button svg { width: 1rem; height: 1rem; }
</style>"""


def part_keys(key: str) -> tuple[str, str, str]:
    """The session-state keys of the year, month and day boxes of the field ``key``."""
    return f"{key}.year", f"{key}.month", f"{key}.day"


def _clip(day: dt.date, lo: dt.date, hi: dt.date) -> dt.date:
    return min(max(day, lo), hi)


def _build(year: int, month: int, day: int, lo: dt.date, hi: dt.date) -> dt.date:
    """The date of the three boxes; a day past the month's end becomes its last day, then the bounds apply."""
    last = calendar.monthrange(year, month)[1]
    return _clip(dt.date(year, month, min(day, last)), lo, hi)


def _options(chosen: dt.date, lo: dt.date, hi: dt.date) -> tuple[list[int], list[int], list[int]]:
    years = list(range(lo.year, hi.year + 1))
    first_month = lo.month if chosen.year == lo.year else 1
    last_month = hi.month if chosen.year == hi.year else 12
    months = list(range(first_month, last_month + 1))
    same_month = (chosen.year, chosen.month)
    first_day = lo.day if same_month == (lo.year, lo.month) else 1
    last_day = hi.day if same_month == (hi.year, hi.month) else calendar.monthrange(*same_month)[1]
    return years, months, list(range(first_day, last_day + 1))


def _wanted(key: str, value: dt.date) -> dt.date:
    """The date the field should show this run, before clipping."""
    ss = st.session_state
    y, m, d = part_keys(key)
    shown = ss.get(f"{key}.shown")
    stored = ss.get(key)
    if isinstance(stored, dt.date) and stored != shown:  # set from outside (a page, a test, a reset)
        return stored
    if all(k in ss for k in (y, m, d)):  # the reader's choice in the boxes
        year, month = int(ss[y]), int(ss[m])
        return dt.date(year, month, min(int(ss[d]), calendar.monthrange(year, month)[1]))
    if isinstance(stored, dt.date):  # back from another page: the boxes were forgotten, the date was not
        return stored
    return value


def date_field(
    label: str,
    *,
    value: dt.date,
    min_value: dt.date | None = None,
    max_value: dt.date | None = None,
    key: str,
    lang: str,
    container=st,
) -> dt.date:
    """Year, month and day select boxes in one row; returns the chosen date.

    Parameters
    ----------
    label
        Shown above the year box (the month and day boxes keep the row aligned).
    value
        The date before the reader chooses one.
    min_value, max_value
        The earliest and latest dates offered (default: ten years either side of ``value``).
    key
        Where the date lives in ``st.session_state``; the boxes use :func:`part_keys`.
    lang
        "zh" or "en": 2026年 · 12月 · 6日 or 2026 · Dec · 6.
    container
        ``st``, ``st.sidebar`` or a column, where the row is drawn.

    Returns
    -------
    The chosen date, never outside ``[min_value, max_value]``.
    """
    lo = min_value or dt.date(value.year - _SPAN, 1, 1)
    hi = max_value or dt.date(value.year + _SPAN, 12, 31)
    if lo > hi:
        raise ValueError(f"'min_value' should not be after 'max_value', got {lo} > {hi}")
    wanted = _wanted(key, value)
    chosen = _build(wanted.year, wanted.month, wanted.day, lo, hi)
    ss = st.session_state
    y, m, d = part_keys(key)
    ss[y], ss[m], ss[d] = chosen.year, chosen.month, chosen.day  # before the boxes are drawn
    ss[key] = ss[f"{key}.shown"] = chosen
    years, months, days = _options(chosen, lo, hi)
    row = container.container(key=f"{key}_date")  # the class st-key-{key}_date scopes the CSS below
    st.html(_CSS.replace("ROW", f".st-key-{key}_date"))
    cols = row.columns([1.35, 1, 1], gap="small")
    choose = t("widget.choose", lang)
    cols[0].selectbox(label, years, key=y, format_func=lambda n: t("date.year_option", lang, y=n), placeholder=choose)
    cols[1].selectbox(
        t("date.month", lang),
        months,
        key=m,
        format_func=lambda n: t(f"date.month_option.{n}", lang),
        label_visibility="hidden",
        placeholder=choose,
    )
    cols[2].selectbox(
        t("date.day", lang),
        days,
        key=d,
        format_func=lambda n: t("date.day_option", lang, d=n),
        label_visibility="hidden",
        placeholder=choose,
    )
    return chosen

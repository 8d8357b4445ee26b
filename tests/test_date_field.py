"""ui/date_field.py headless (AppTest): the boxes, their options and the date they return (issue 21)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

D = dt.date


def _script(lang, lo, hi) -> None:
    import datetime as dt  # AppTest runs this function's source as a script

    import streamlit as st

    from ui.date_field import date_field

    lang = st.session_state.get("lang", lang)  # the page's language, as ui.chrome.page_lang reads it
    if st.session_state.get("elsewhere"):  # another page: the field is not drawn
        st.write("另一页")
    else:
        st.session_state["returned"] = date_field(
            "报送日期", value=dt.date(2024, 1, 31), min_value=lo, max_value=hi, key="f", lang=lang
        )


LO, HI = D(2021, 3, 15), D(2026, 12, 6)


def page(lang: str = "zh", lo: dt.date | None = LO, hi: dt.date | None = HI) -> AppTest:
    at = AppTest.from_function(_script, kwargs={"lang": lang, "lo": lo, "hi": hi}, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def boxes(at: AppTest):
    return at.selectbox(key="f.year"), at.selectbox(key="f.month"), at.selectbox(key="f.day")


def test_value_and_chinese_options():
    at = page()
    year, month, day = boxes(at)
    assert at.session_state["returned"] == D(2024, 1, 31) == at.session_state["f"]
    assert (year.value, month.value, day.value) == (2024, 1, 31)
    assert year.options == [f"{y}年" for y in range(2021, 2027)]
    assert month.options == [f"{m}月" for m in range(1, 13)] and day.options[-1] == "31日"
    assert (year.label, month.label, day.label) == ("报送日期", "月", "日")


def test_english_options_have_no_chinese():
    at = page("en")
    year, month, day = boxes(at)
    assert year.options[0] == "2021" and month.options == list(calendar.month_abbr)[1:] and day.options[0] == "1"
    assert (month.label, day.label) == ("Month", "Day")


def test_month_change_clips_the_day():
    at = page()
    at.selectbox(key="f.month").set_value(2).run()  # 2024-01-31 → February of a leap year
    assert at.session_state["returned"] == D(2024, 2, 29)
    assert at.selectbox(key="f.day").options[-1] == "29日" and len(at.selectbox(key="f.day").options) == 29
    at.selectbox(key="f.year").set_value(2023).run()  # not a leap year
    assert at.session_state["returned"] == D(2023, 2, 28) and len(at.selectbox(key="f.day").options) == 28
    at.selectbox(key="f.month").set_value(4).run()  # the day stays 28, April has 30 days again
    assert at.session_state["returned"] == D(2023, 4, 28) and len(at.selectbox(key="f.day").options) == 30


def test_min_and_max_clip_the_options_and_the_date():
    at = page()
    at.selectbox(key="f.year").set_value(2026).run()
    assert at.selectbox(key="f.month").options[-1] == "12月"
    at.selectbox(key="f.month").set_value(12).run()  # 2026-12-31 is after the max 2026-12-06
    assert at.session_state["returned"] == D(2026, 12, 6)
    assert at.selectbox(key="f.day").options == [f"{d}日" for d in range(1, 7)]
    at.selectbox(key="f.year").set_value(2021).run()  # 2021-12-06, inside the bounds
    assert at.session_state["returned"] == D(2021, 12, 6)
    at.selectbox(key="f.month").set_value(3).run()  # 2021-03-06 is before the min 2021-03-15
    assert at.session_state["returned"] == D(2021, 3, 15)
    assert at.selectbox(key="f.month").options[0] == "3月"  # January and February 2021 are not offered
    assert at.selectbox(key="f.day").options[0] == "15日" and at.selectbox(key="f.day").options[-1] == "31日"


def test_value_outside_the_bounds_is_clipped():
    at = page(lo=D(2024, 3, 1), hi=D(2024, 6, 30))
    assert at.session_state["returned"] == D(2024, 3, 1)
    assert at.selectbox(key="f.year").options == ["2024年"]
    assert at.selectbox(key="f.month").options == ["3月", "4月", "5月", "6月"]


def test_no_bounds_offer_ten_years_either_side():
    at = page(lo=None, hi=None)
    assert at.selectbox(key="f.year").options == [f"{y}年" for y in range(2014, 2035)]


def test_state_set_from_outside_moves_the_field_and_survives_reruns():
    at = page()
    at.session_state["f"] = D(2022, 6, 30)
    at.run()
    assert at.session_state["returned"] == D(2022, 6, 30)
    assert [b.value for b in boxes(at)] == [2022, 6, 30]
    at.run()  # a rerun keeps the choice
    assert at.session_state["returned"] == D(2022, 6, 30)


def test_min_after_max_is_refused():
    at = AppTest.from_function(
        _script, kwargs={"lang": "zh", "lo": D(2025, 1, 1), "hi": D(2024, 1, 1)}, default_timeout=60
    )
    at.run()
    assert at.exception and "'min_value' should not be after 'max_value'" in at.exception[0].value


@pytest.mark.parametrize(("lang", "other", "may"), [("zh", "en", "May"), ("en", "zh", "5月")])
def test_language_switch_keeps_the_date(lang, other, may):
    at = page(lang)
    at.selectbox(key="f.month").set_value(5).run()
    assert at.session_state["returned"] == D(2024, 5, 31)
    at.session_state["lang"] = other
    at.run()
    assert at.session_state["returned"] == D(2024, 5, 31)
    assert at.selectbox(key="f.month").options[4] == may and at.selectbox(key="f.month").value == 5


def test_page_switch_keeps_the_date():
    """Streamlit forgets the state of widgets a run did not draw (another page); the date itself stays."""
    at = page()
    at.selectbox(key="f.year").set_value(2022).run()
    at.session_state["elsewhere"] = True
    at.run()
    assert "f.year" not in at.session_state and at.session_state["f"] == D(2022, 1, 31)
    at.session_state["elsewhere"] = False
    at.run()
    assert at.session_state["returned"] == D(2022, 1, 31)
    assert [b.value for b in boxes(at)] == [2022, 1, 31]

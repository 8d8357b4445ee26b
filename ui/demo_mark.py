"""The 演示数据 (Demo data) mark on every page whose statuses come from a demo register (one place)."""

from __future__ import annotations

import streamlit as st

from layout.i18n import t
from layout.register.demo import is_demo_path
from layout.register.location import register_location


def show_demo_mark(lang: str, path=None) -> bool:
    """A warning line "演示数据：…" ("Demo data: …") when the register at ``path`` (default: the app's register)
    is a demo register; returns whether it is."""
    demo = is_demo_path(path or register_location())
    if demo:
        st.warning(t("eval.demo_banner", lang), icon="🧪")
    return demo

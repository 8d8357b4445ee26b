"""Editing rights for the app's pages: the administrator's editor key and the editor's name.

Both the 项目台账 and the 实施评估 page unlock through here, into the same session state, so unlocking on
one unlocks the other. The key comes from ``LAYOUT_EDITOR_KEY`` (environment, then ``.streamlit/
secrets.toml``); it is compared in constant time and never shown or logged.
"""

from __future__ import annotations

import hmac

import streamlit as st

from layout.i18n import t
from layout.settings import EDITOR_KEY_ENV, env_text

KEY_NAME = EDITOR_KEY_ENV
UNLOCKED = "reg_key_ok"  # session key: editing is unlocked
EDITOR = "reg_editor"  # session key: the editor's name, written into every event


def editor_key() -> str:
    """The administrator's editor key, or "" when none is set (the app is then read-only)."""
    key = env_text(KEY_NAME)
    if not key:
        try:
            key = st.secrets.get(KEY_NAME, "")
        except (FileNotFoundError, KeyError, AttributeError, st.errors.StreamlitSecretNotFoundError):
            key = ""
    return str(key or "")


def unlock(entered: str) -> bool:
    """Unlock editing for this session when ``entered`` is the editor key; returns whether it is."""
    key = editor_key()
    ok = bool(key) and hmac.compare_digest(str(entered).encode("utf-8"), key.encode("utf-8"))
    st.session_state[UNLOCKED] = ok
    return ok


def set_editor(name: str) -> None:
    st.session_state[EDITOR] = str(name or "").strip()


def unlock_from(widget: str, failed: str) -> None:
    """``on_change`` of a password box: try its text as the key, note a failure under ``failed``, clear the box."""
    st.session_state[failed] = not unlock(st.session_state.get(widget, ""))
    st.session_state[widget] = ""


def editor_from(widget: str) -> None:
    """``on_change`` of the editor's name box."""
    set_editor(st.session_state.get(widget, ""))


def ask_editor(box, lang: str, prefix: str) -> str | None:
    """The editor's name when editing is unlocked; otherwise shows in ``box`` (``st`` or ``st.sidebar``) how
    to unlock, and returns None. Texts are ``{prefix}.readonly_nokey``, ``.key``, ``.key_wrong``, ``.name``
    and, when the page has them, the captions ``.readonly_key`` and ``.name_help``; widget keys
    ``w_{prefix}_key`` and ``w_{prefix}_name``."""
    ss = st.session_state
    if not editor_key():
        box.info(t(f"{prefix}.readonly_nokey", lang))
        return None
    if not ss.get(UNLOCKED):
        failed = f"{prefix}_key_failed"
        box.text_input(t(f"{prefix}.key", lang), type="password", key=f"w_{prefix}_key", on_change=unlock_from,
                       args=(f"w_{prefix}_key", failed))
        if ss.get(failed):
            box.error(t(f"{prefix}.key_wrong", lang))
        if caption := t(f"{prefix}.readonly_key", lang, default=""):
            box.caption(caption)
        return None
    if not ss.get(EDITOR):
        box.text_input(t(f"{prefix}.name", lang), key=f"w_{prefix}_name", on_change=editor_from,
                       args=(f"w_{prefix}_name",))
        if caption := t(f"{prefix}.name_help", lang, default=""):
            box.caption(caption)
        return None
    return str(ss[EDITOR])

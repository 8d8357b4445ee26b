"""Editing rights for the app's pages: the administrator's editor key and the editor's name.

Both the 项目台账 and the 实施评估 page unlock through here, into the same session state, so unlocking on
one unlocks the other. The key comes from ``LAYOUT_EDITOR_KEY`` (environment, then ``.streamlit/
secrets.toml``); it is compared in constant time and never shown or logged.

Wrong keys slow down, then lock out, per session and per client address (:class:`KeyGuard`): the first
:data:`FREE_TRIES` are free, then each try waits twice as long as the last (at most
:data:`MAX_DELAY_S`), and after :data:`LOCK_AFTER` wrong keys in a row (per session) or
:data:`LOCK_AFTER_ADDRESS` (per address) no key is checked for :data:`LOCK_S` seconds. Each wrong key and
each lockout is logged (``layout.editor``) with the session and address, never the text entered.
"""

from __future__ import annotations

import hmac
import logging
import threading
import time
from dataclasses import dataclass

import streamlit as st

from layout.i18n import t
from layout.settings import EDITOR_KEY_ENV, env_text
from ui import server_guard  # noqa: F401 - a client's clear_cache clears only its own session

FREE_TRIES = 3  # wrong keys without delay
MAX_DELAY_S = 60.0  # the longest wait between two tries before the lockout
LOCK_AFTER = 10  # wrong keys in a row from one session: locked out
LOCK_AFTER_ADDRESS = 30  # wrong keys in a row from one client address (many sessions): locked out
LOCK_S = 15 * 60.0
LOG = logging.getLogger("layout.editor")


@dataclass
class _Tries:
    wrong: int = 0
    not_before: float = 0.0  # monotonic time before which no key is checked
    last: float = 0.0  # the last wrong key's time; quiet for LOCK_S, the count starts again


class KeyGuard:
    """Counts wrong keys per name ("session:…", "address:…") and says how long to wait before the next try.

    Thread-safe; one per server process (:data:`GUARD`). ``clock`` is ``time.monotonic`` unless a test
    passes its own.
    """

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._tries: dict[str, _Tries] = {}

    def wait_s(self, names: list[str]) -> float:
        """Seconds until a key may be tried for all of ``names`` (0: now)."""
        now = self._clock()
        with self._lock:
            return max([0.0, *(self._tries[n].not_before - now for n in names if n in self._tries)])

    def failed(self, names: list[str]) -> tuple[int, bool]:
        """Count a wrong key for each of ``names``; returns the most wrong keys in a row among them and
        whether this one locked one of them out."""
        now = self._clock()
        worst, locked = 0, False
        with self._lock:
            for name in names:
                tries = self._tries.setdefault(name, _Tries())
                if now - tries.last > LOCK_S:
                    tries.wrong = 0
                tries.wrong += 1
                tries.last = now
                limit = LOCK_AFTER_ADDRESS if name.startswith("address:") else LOCK_AFTER
                if tries.wrong >= limit:
                    tries.not_before, locked = now + LOCK_S, locked or tries.wrong == limit
                elif tries.wrong >= FREE_TRIES:
                    tries.not_before = now + min(MAX_DELAY_S, 2.0 ** (tries.wrong - FREE_TRIES))
                worst = max(worst, tries.wrong)
        return worst, locked

    def succeeded(self, names: list[str]) -> None:
        """The right key: forget the wrong ones counted for ``names``."""
        with self._lock:
            for name in names:
                self._tries.pop(name, None)

    def reset(self) -> None:
        with self._lock:
            self._tries.clear()


GUARD = KeyGuard()

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


def _client_names() -> list[str]:
    """The guard's names for this session and its client address ("local" when Streamlit gives none)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    session = ctx.session_id if ctx is not None else "none"
    try:
        address = st.context.ip_address
    except Exception:  # no client context (a test harness)
        address = None
    address = address if isinstance(address, str) and address else "local"  # Streamlit: None for localhost
    return [f"session:{session}", f"address:{address}"]


def unlock(entered: str) -> bool:
    """Unlock editing for this session when ``entered`` is the editor key; returns whether it is.

    While this session or its address must wait (:class:`KeyGuard`), no key is checked and the answer is
    False (:func:`key_wait_s` says how long).
    """
    key = editor_key()
    names = _client_names()
    wait = GUARD.wait_s(names)
    if wait > 0:
        LOG.warning("editor key tried while waiting %.0f s (%s, %s)", wait, *names)
        st.session_state[UNLOCKED] = False
        return False
    ok = bool(key) and hmac.compare_digest(str(entered).encode("utf-8"), key.encode("utf-8"))
    st.session_state[UNLOCKED] = ok
    if ok:
        GUARD.succeeded(names)
        return True
    wrong, locked = GUARD.failed(names)
    LOG.warning(
        "wrong editor key (%s, %s): %d in a row%s",
        *names,
        wrong,
        f"; locked out for {LOCK_S / 60:.0f} min" if locked else "",
    )
    return False


def key_wait_s() -> float:
    """Seconds before this session's next key is checked (0: now)."""
    return GUARD.wait_s(_client_names())


def set_editor(name: str) -> None:
    st.session_state[EDITOR] = str(name or "").strip()


def unlock_from(widget: str, failed: str) -> None:
    """``on_change`` of a password box: try its text as the key, note a failure under ``failed``, clear the box."""
    waiting = key_wait_s() > 0  # then the key is not checked: not "wrong", only "wait"
    st.session_state[failed] = not unlock(st.session_state.get(widget, "")) and not waiting
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
        box.text_input(
            t(f"{prefix}.key", lang),
            type="password",
            key=f"w_{prefix}_key",
            on_change=unlock_from,
            args=(f"w_{prefix}_key", failed),
        )
        if ss.get(failed):
            box.error(t(f"{prefix}.key_wrong", lang))
        wait = key_wait_s()
        if wait > MAX_DELAY_S:  # only a lockout waits longer than the longest delay
            box.warning(t("key.locked", lang, minutes=max(1, round(wait / 60))))
        elif wait > 0:
            box.warning(t("key.wait", lang, seconds=max(1, round(wait))))
        if caption := t(f"{prefix}.readonly_key", lang, default=""):
            box.caption(caption)
        return None
    if not ss.get(EDITOR):
        box.text_input(
            t(f"{prefix}.name", lang), key=f"w_{prefix}_name", on_change=editor_from, args=(f"w_{prefix}_name",)
        )
        if caption := t(f"{prefix}.name_help", lang, default=""):
            box.caption(caption)
        return None
    return str(ss[EDITOR])

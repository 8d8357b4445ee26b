"""Wrong editor keys slow down, then lock out, per session and per client address, logged; a client's
clear_cache no longer clears the server's caches for everyone."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from ui import editor_session
from ui.editor_session import FREE_TRIES, LOCK_AFTER, LOCK_AFTER_ADDRESS, LOCK_S, MAX_DELAY_S, KeyGuard

ROOT = Path(__file__).resolve().parent.parent
KEY = "a-long-editor-key-for-tests"


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_free_tries_then_doubling_waits_then_lockout():
    clock = Clock()
    guard = KeyGuard(clock)
    names = ["session:a", "address:1.2.3.4"]
    waits = []
    for _ in range(LOCK_AFTER):
        assert guard.wait_s(names) == 0
        wrong, locked = guard.failed(names)
        waits.append(guard.wait_s(names))
        clock.now += waits[-1]  # the attacker waits exactly as long as asked
    # hand-computed: 0 for the free tries, then 1, 2, 4 … s (at most MAX_DELAY_S), then the lockout
    expected = [0.0] * (FREE_TRIES - 1) + [min(MAX_DELAY_S, 2.0**k) for k in range(LOCK_AFTER - FREE_TRIES)]
    assert waits[:-1] == expected
    assert waits[-1] == LOCK_S and locked and wrong == LOCK_AFTER
    assert sum(waits[:-1]) == 1 + 2 + 4 + 8 + 16 + 32 + 60  # 123 s for 10 tries, then 15 minutes


def test_the_right_key_resets_and_a_quiet_period_forgets():
    clock = Clock()
    guard = KeyGuard(clock)
    for _ in range(FREE_TRIES + 1):
        guard.failed(["session:a"])
    assert guard.wait_s(["session:a"]) > 0 and guard.wait_s(["session:b"]) == 0  # sessions are apart
    guard.succeeded(["session:a"])
    assert guard.wait_s(["session:a"]) == 0
    for _ in range(FREE_TRIES):
        guard.failed(["session:a"])
    clock.now += LOCK_S + 1
    assert guard.failed(["session:a"]) == (1, False)  # counted afresh


def test_many_sessions_from_one_address_are_locked_out_together():
    clock = Clock()
    guard = KeyGuard(clock)
    for i in range(LOCK_AFTER_ADDRESS):  # a new session for every two tries: never slowed per session
        clock.now += guard.wait_s([f"session:{i // 2}", "address:9.9.9.9"])
        guard.failed([f"session:{i // 2}", "address:9.9.9.9"])
    assert guard.wait_s(["session:new", "address:9.9.9.9"]) == LOCK_S
    assert guard.wait_s(["session:new", "address:8.8.8.8"]) == 0


def open_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/3_项目台账.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The page's guard on a clock that moves only when the test says (AppTest runs take seconds)."""
    c = Clock()
    monkeypatch.setattr(editor_session, "GUARD", KeyGuard(c))
    return c


def test_page_slows_down_then_locks_out_and_logs_without_the_key(monkeypatch, caplog, clock):
    monkeypatch.setenv("LAYOUT_EDITOR_KEY", KEY)
    at = open_page()
    with caplog.at_level(logging.WARNING, logger="layout.editor"):
        for i in range(FREE_TRIES):
            at.text_input(key="w_reg_key").input(f"wrong-{i}").run()
        assert "密钥不正确" in " ".join(e.value for e in at.error)
        assert "1 秒后再试" in " ".join(w.value for w in at.warning)
        at.text_input(key="w_reg_key").input(KEY).run()  # too soon: not even the right key is checked
        assert not at.session_state["reg_key_ok"]
        assert "密钥不正确" not in " ".join(e.value for e in at.error)  # not checked: only "wait"
        assert "1 秒后再试" in " ".join(w.value for w in at.warning)
        for _ in range(LOCK_AFTER - FREE_TRIES):
            clock.now += MAX_DELAY_S
            at.text_input(key="w_reg_key").input("wrong").run()
        assert "编辑已锁定约 15 分钟" in " ".join(w.value for w in at.warning)
        clock.now += LOCK_S / 2
        at.text_input(key="w_reg_key").input(KEY).run()  # still locked out
        assert not at.session_state["reg_key_ok"]
    logged = [r.getMessage() for r in caplog.records if r.name == "layout.editor"]
    assert sum("wrong editor key" in m for m in logged) == LOCK_AFTER
    assert sum("while waiting" in m for m in logged) == 2 and "locked out for 15 min" in logged[-2]
    assert all("address:local" in m for m in logged)
    assert not any(KEY in m or "wrong-" in m for m in logged)  # neither the key nor what was typed
    clock.now += LOCK_S / 2 + 1
    at.text_input(key="w_reg_key").input(KEY).run()  # the lockout is over
    assert at.session_state["reg_key_ok"]


def test_page_says_locked_out_for_an_address(monkeypatch, clock):
    monkeypatch.setenv("LAYOUT_EDITOR_KEY", KEY)
    at = open_page()
    for i in range(LOCK_AFTER_ADDRESS):  # wrong keys from other sessions of the same address
        editor_session.GUARD.failed([f"session:other{i}", "address:local"])
    at.text_input(key="w_reg_key").input(KEY).run()
    assert not at.session_state["reg_key_ok"]
    assert "编辑已锁定" in " ".join(w.value for w in at.warning)


def test_client_clear_cache_clears_only_its_own_session():
    from streamlit.runtime.app_session import AppSession

    from ui import server_guard  # noqa: F401 - installs the guard

    calls = []

    @st.cache_data
    def cached(x: int) -> int:
        calls.append(x)
        return x

    cached(1)

    class Fake:
        id = "s1"

        def __init__(self):
            self._session_state = {"a": 1}

    fake = Fake()
    AppSession._handle_clear_cache_request(fake)
    cached(1)
    assert calls == [1]  # the shared cache kept its entry
    assert fake._session_state == {}


@pytest.mark.parametrize("module", ["app.py", "pages/2_演示模式.py", "pages/3_项目台账.py", "pages/4_实施评估.py"])
def test_every_entry_page_installs_the_guard(module):
    text = (ROOT / module).read_text(encoding="utf-8")
    assert "import server_guard" in text or "from ui.editor_session import" in text


def test_a_running_server_ignores_an_anonymous_clear_cache(tmp_path):
    """Over Streamlit's own websocket, as any browser could: the server keeps its caches and logs it."""
    import asyncio

    import websockets
    from app_server import running_app
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async def client(url: str) -> None:
        async with websockets.connect(
            url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], max_size=None, open_timeout=60
        ) as ws:
            run = BackMsg()
            run.rerun_script.query_string = ""
            await ws.send(run.SerializeToString())
            while True:  # the page's first run, as a browser opens it
                fwd = ForwardMsg()
                fwd.ParseFromString(await asyncio.wait_for(ws.recv(), 120))
                if fwd.WhichOneof("type") == "script_finished":
                    break
            clear = BackMsg()
            clear.clear_cache = True
            await ws.send(clear.SerializeToString())
            await asyncio.sleep(2.0)

    log = tmp_path / "server.log"
    with running_app(log=log) as (url, _):
        asyncio.run(client(url))
        time.sleep(0.5)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "clear_cache from a client" in text and "only that session's state was cleared" in text

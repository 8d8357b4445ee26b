"""A running ``streamlit run app.py`` and the headless Chromium that drives it, for the browser tests and the
browser benchmarks (``bench/``). The server listens on 127.0.0.1 only, on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
#: Chromium as root, headless, on a closed network (background requests would be refused, many at a time).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app(
    env: Mapping[str, str | None] | None = None, *, log: Path | None = None, timeout: float = 90.0
) -> Iterator[tuple[str, int]]:
    """The app served on 127.0.0.1 until the block ends; yields its URL and the server's pid.

    ``env`` adds to (a value of None: removes from) this process's environment. Raises RuntimeError when
    the server does not answer its health check within ``timeout`` seconds (its output is in ``log``).
    """
    environ = dict(os.environ)
    for name, value in (env or {}).items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    port = free_port()
    if log:
        log.parent.mkdir(parents=True, exist_ok=True)
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
        env=environ,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; see {log or 'its output'}")
            time.sleep(0.3)
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()


def watch_page(page, server: str, *, kinds: set[str] | None = None) -> tuple[list[str], list[str]]:
    """Collect a page's JavaScript errors and every request (http, https, ws, wss) to another host than
    ``server`` (the map must draw offline): returns the two lists, filled as the page runs. ``kinds``, when
    given, collects the resource type of every request ("script", "stylesheet" …)."""
    own = urllib.parse.urlparse(server).netloc
    errors: list[str] = []
    foreign: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def request(r) -> None:
        url = urllib.parse.urlparse(r.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != own:
            foreign.append(r.url)
        if kinds is not None:
            kinds.add(r.resource_type)

    page.on("request", request)
    return errors, foreign


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'  # Streamlit's own run state


def wait_idle(page, *, settle: float = 0.4, timeout: float = 60.0) -> None:
    """Wait until the page's script has finished its run and stayed finished for ``settle`` seconds (a rerun
    that a widget or a component asks for right after the first run is waited for too)."""
    deadline = time.monotonic() + timeout
    calm_since = None
    while time.monotonic() < deadline:
        if page.locator(IDLE).count():
            calm_since = calm_since or time.monotonic()
            if time.monotonic() - calm_since >= settle:
                return
        else:
            calm_since = None
        time.sleep(0.1)
    raise TimeoutError(f"the page's script was still running after {timeout:.0f} s")

"""Benchmark: N users at once on one explorer server, through Streamlit's own websocket protocol.

Each simulated user opens a session as a browser does (a ``rerun_script`` BackMsg with a view's query
string), then keeps clicking sector pills in the sidebar (the pill widget's id and options are read
from the page the server sent), each click one rerun, for the given time. Like a browser, a user keeps
the address bar's query string and tells the server which large messages it already holds (Streamlit
then sends a reference instead of the message). A rerun's time is from
sending the click to the server's ``script_finished``. Prints the median and p90 rerun time, the
failures and the server's resident memory (sampled during the run).

Only a server on this machine is driven (127.0.0.1 / localhost), with at most 50 users for at most
10 minutes. Without ``--url`` the benchmark starts its own server for ``app.py`` and stops it after.

    python bench/load.py [--users 20] [--seconds 60] [--url http://127.0.0.1:8501 --pid PID]

Asserts nothing about time. Target (issue 14): 20 users, median ≤ 2 s per rerun.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

MAX_USERS = 50
MAX_SECONDS = 600
VIEWS = [{}, {"county": "安化县"}, {"zone": "core"}, {"focus": "zone:lake_wing"}, {"lang": "en"},
         {"precision": "county"}, {"q": "茶"}]
PILL_GROUPS = ("三大主导服务产业", "Three leading industries")


@dataclass
class Stats:
    first: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    memory_mb: list[float] = field(default_factory=list)


def rss_mb(pid: int) -> float:
    """Resident memory of the (single-process) Streamlit server."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Session:
    """One browser tab's worth of Streamlit session over a websocket."""

    def __init__(self, ws):
        self.ws = ws
        self.pills: tuple[str, list[str]] | None = None  # (widget id, formatted options)
        self.search: str | None = None  # the search box's widget id (a browser sends every widget's state)
        self.chosen: list[str] = []
        self.query = ""  # the page's query string, as the server last set it (a browser's address bar)
        self.cached: set[str] = set()  # hashes of large messages received: the server then sends a reference

    async def run(self, *, query: str | None = None, widgets=None) -> float:
        """Send a rerun and wait for the script to finish; seconds taken."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = self.query if query is None else query
        msg.rerun_script.page_script_hash = ""
        if widgets:
            msg.rerun_script.widget_states.widgets.extend(widgets)
        msg.rerun_script.cached_message_hashes.extend(sorted(self.cached))  # as a browser's message cache does
        t0 = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        while True:
            raw = await self.ws.recv()
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if fwd.metadata.cacheable and fwd.hash:
                self.cached.add(fwd.hash)
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                if element.WhichOneof("type") == "button_group" and element.button_group.label in PILL_GROUPS:
                    self.pills = (element.button_group.id, [o.content for o in element.button_group.options])
                elif element.WhichOneof("type") == "text_input" and not self.search:
                    self.search = element.text_input.id
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "session_event" and fwd.session_event.WhichOneof("type") == "script_compilation_exception":
                raise RuntimeError("the app failed to compile")
            elif kind == "script_finished":
                if fwd.script_finished == 1:  # FINISHED_WITH_COMPILE_ERROR
                    raise RuntimeError(f"script finished with status {fwd.script_finished}")
                return time.perf_counter() - t0

    async def click_pill(self, rng: random.Random) -> float:
        """Toggle one sector pill, as a click in the sidebar does."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        if self.pills is None:
            raise RuntimeError("no sector pills on the page")
        widget_id, options = self.pills
        pick = rng.randrange(len(options))
        base = options[pick].rsplit(" (", 1)[0]  # "文旅休闲业 (77)" → "文旅休闲业": counts change with filters
        chosen = [o for o in self.chosen if o != base] if base in self.chosen else [*self.chosen, base]
        self.chosen = chosen
        state = WidgetState(id=widget_id)
        state.string_array_value.data.extend(o for o in options if o.rsplit(" (", 1)[0] in chosen)
        widgets = [state]
        if self.search:  # without it the server would take the search box for gone, and the app its session
            widgets.append(WidgetState(id=self.search, string_value=""))
        return await self.run(widgets=widgets)


async def user(url: str, deadline: float, stats: Stats, seed: int) -> None:
    import websockets

    rng = random.Random(seed)
    ws_url = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
            session = Session(ws)
            stats.first.append(await session.run(query=urlencode(rng.choice(VIEWS))))
            while time.monotonic() < deadline:
                stats.reruns.append(await session.click_pill(rng))
                await asyncio.sleep(rng.uniform(0.5, 1.5))  # a person reads the map before the next click
    except Exception as exc:  # noqa: BLE001 - every failure is counted and shown, not raised
        stats.failures.append(f"{type(exc).__name__}: {exc}")


async def sample_memory(pid: int | None, deadline: float, stats: Stats) -> None:
    while pid and time.monotonic() < deadline:
        stats.memory_mb.append(rss_mb(pid))
        await asyncio.sleep(1.0)


async def drive(url: str, users: int, seconds: float, pid: int | None) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + seconds
    tasks = [user(url, deadline, stats, seed) for seed in range(users)]
    await asyncio.gather(sample_memory(pid, deadline + 5, stats), *tasks)
    return stats


def report(stats: Stats, users: int, seconds: float) -> None:
    def pct(values: list[float], q: float) -> float:
        return sorted(values)[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    print(f"\n== {users} users for {seconds:.0f} s ==")
    print(f"first run (page open)  median {statistics.median(stats.first or [float('nan')]):6.2f} s   "
          f"p90 {pct(stats.first, 0.9):6.2f} s   ({len(stats.first)} sessions)")
    print(f"rerun (filter click)   median {statistics.median(stats.reruns or [float('nan')]):6.2f} s   "
          f"p90 {pct(stats.reruns, 0.9):6.2f} s   ({len(stats.reruns)} reruns)   target: median ≤ 2 s")
    print(f"failures               {len(stats.failures)}" + (f"  e.g. {stats.failures[0]}" if stats.failures else ""))
    if stats.memory_mb:
        print(f"server memory (RSS)    start {stats.memory_mb[0]:6.0f} MB   max {max(stats.memory_mb):6.0f} MB   "
              f"end {stats.memory_mb[-1]:6.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--url", help="a running app on this machine (default: start one)")
    parser.add_argument("--pid", type=int, help="the running app's process id, for its memory")
    args = parser.parse_args()
    if not 1 <= args.users <= MAX_USERS or not 0 < args.seconds <= MAX_SECONDS:
        parser.error(f"--users should be 1..{MAX_USERS} and --seconds 1..{MAX_SECONDS}")
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost"):
        parser.error(f"--url should be a server on this machine (127.0.0.1 or localhost), got {args.url}")

    if args.url:
        report(asyncio.run(drive(args.url, args.users, args.seconds, args.pid)), args.users, args.seconds)
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from browser import running_app

    with running_app() as (url, pid):
        asyncio.run(drive(url, 1, 5, None))  # warm the server's caches once, as a first visitor does
        report(asyncio.run(drive(url, args.users, args.seconds, pid)), args.users, args.seconds)


if __name__ == "__main__":
    main()

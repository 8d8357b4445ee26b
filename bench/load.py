"""Benchmark: N users at once on one explorer server, through Streamlit's own websocket protocol.

Each simulated user opens a session as a browser does (a ``rerun_script`` BackMsg with a view's query
string), then keeps changing filters, each change one rerun, for the given time. Two clients: ``pills``
clicks sector pills only; ``mixed`` changes any sidebar widget as a person does (片区, 三极, 县市区, the
sector pills, 行动, 位置精度, 状态 multiselects, the search box, the focus box, colour by), sending
every widget's state with each rerun as a browser does (widget ids and options are read from the page
the server sent). By default both run, one after the other, and both medians are printed. Like a browser, a user keeps
the address bar's query string and tells the server which large messages it already holds (Streamlit
then sends a reference instead of the message). A rerun's time is from
sending the click to the server's ``script_finished``. Prints the median and p90 rerun time, the
failures and the server's resident memory (sampled during the run).

Only a server on this machine is driven (127.0.0.1 / localhost), with at most 50 users for at most
10 minutes. Without ``--url`` the benchmark starts its own server for ``app.py`` and stops it after.

    python bench/load.py [--users 20] [--seconds 60] [--client both|pills|mixed]
                         [--url http://127.0.0.1:8501 --pid PID]

``--hostile N`` adds N users who, beside the others, upload hostile workbooks to 批量核查 every few
seconds (one cell at A1048576, one at XFD1048576, a 150 MB zip bomb) through Streamlit's own upload route,
as a browser does; their refusals' times and the server's memory after them are printed.

Asserts nothing about time. Targets: 20 users, median ≤ 2 s per rerun (issue 14); with mixed filters
median ≤ 1 s and p90 ≤ 2 s (issue 19).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlparse

MAX_USERS = 50
MAX_SECONDS = 600
VIEWS = [
    {},
    {"county": "安化县"},
    {"zone": "core"},
    {"focus": "zone:lake_wing"},
    {"lang": "en"},
    {"precision": "county"},
    {"q": "茶"},
]
PILL_GROUPS = ("三大主导服务产业", "Three leading industries")
#: The explorer's sidebar widgets a mixed client changes (session keys without the language suffix).
MIXED_KEYS = (
    "w_zone",
    "w_pole",
    "w_county",
    "w_action",
    "w_precision",
    "w_status",
    "w_q",
    "w_focus",
    "w_color",
    "w_sector_",
)
SEARCH_TERMS = ("", "茶", "物流", "文旅", "医养", "", "益阳")
CLIENTS = ("pills", "mixed")
XSRF_COOKIE = "_streamlit_xsrf"


@dataclass
class Stats:
    first: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    memory_mb: list[float] = field(default_factory=list)
    changed: dict[str, list[float]] = field(default_factory=dict)  # mixed client: widget key -> rerun times
    uploads: list[float] = field(default_factory=list)  # hostile users: upload and refusal, seconds
    upload_errors: list[str] = field(default_factory=list)  # what the page said (first line)


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
        self.widgets: dict[str, tuple[str, str, list[str]]] = {}  # key -> (widget id, kind, formatted options)
        self.values: dict[str, list[str] | str] = {}  # key -> value this user set (option names without counts)
        self.session_id = ""
        self.uploader: str | None = None  # the 批量核查 file uploader's widget id
        self.errors: list[str] = []  # st.error texts of the last run

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
        self.errors = []
        await self.ws.send(msg.SerializeToString())
        while True:
            raw = await self.ws.recv()
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id
            if fwd.metadata.cacheable and fwd.hash:
                self.cached.add(fwd.hash)
            if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                if element.WhichOneof("type") == "button_group" and element.button_group.label in PILL_GROUPS:
                    self.pills = (element.button_group.id, [o.content for o in element.button_group.options])
                elif element.WhichOneof("type") == "text_input" and not self.search:
                    self.search = element.text_input.id
                elif element.WhichOneof("type") == "file_uploader" and element.file_uploader.id.endswith("w_upload"):
                    self.uploader = element.file_uploader.id
                elif element.WhichOneof("type") == "alert" and element.alert.format == 1:  # ERROR
                    self.errors.append(element.alert.body)
                self._note_widget(element)
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "session_event" and fwd.session_event.WhichOneof("type") == "script_compilation_exception":
                raise RuntimeError("the app failed to compile")
            elif kind == "script_finished":
                if fwd.script_finished == 1:  # FINISHED_WITH_COMPILE_ERROR
                    raise RuntimeError(f"script finished with status {fwd.script_finished}")
                return time.perf_counter() - t0

    def _note_widget(self, element) -> None:
        """Remember a sidebar widget's id and options (the id ends with the widget's session key)."""
        kind = element.WhichOneof("type")
        if kind not in ("multiselect", "selectbox", "button_group", "text_input"):
            return
        widget = getattr(element, kind)
        key = widget.id.rsplit("-", 1)[-1].removesuffix("_en")
        if not key.startswith(MIXED_KEYS):
            return
        if kind == "button_group":
            options = [o.content for o in widget.options]
        elif kind == "text_input":
            options = []
        else:
            options = list(widget.options)
        self.widgets[key] = (widget.id, kind, options)

    def _state(self, key: str):
        """The WidgetState a browser would send for ``key``'s current value."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        widget_id, kind, options = self.widgets[key]
        value = self.values[key]
        state = WidgetState(id=widget_id)
        if kind in ("multiselect", "button_group"):
            chosen = value if isinstance(value, list) else [value]
            state.string_array_value.data.extend(o for o in options if o.rsplit(" (", 1)[0] in chosen)
        else:
            state.string_value = str(value)
        return state

    async def change_any(self, rng: random.Random, changed: dict[str, list[float]] | None = None) -> float:
        """Change one sidebar widget, as a person does, and send every widget's state, as a browser does."""
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        keys = sorted(k for k, (_, kind, options) in self.widgets.items() if options or kind == "text_input")
        if not keys:
            raise RuntimeError("no sidebar widgets on the page")
        key = rng.choice(keys)
        _, kind, options = self.widgets[key]
        names = [o.rsplit(" (", 1)[0] for o in options]
        if kind == "text_input":
            self.values[key] = rng.choice(SEARCH_TERMS)
        elif kind == "selectbox":
            self.values[key] = rng.choice(options)
        elif key == "w_color":  # a single-choice segmented control
            self.values[key] = [rng.choice(names)]
        else:
            chosen = list(self.values.get(key, []))
            pick = rng.choice(names)
            self.values[key] = [o for o in chosen if o != pick] if pick in chosen else [*chosen, pick]
            if len(self.values[key]) > 2:  # a person narrows to one or two, not to everything
                self.values[key] = self.values[key][-2:]
        widgets = [self._state(k) for k in sorted(self.values) if k in self.widgets]
        if self.search and "w_q" not in self.values:
            widgets.append(WidgetState(id=self.search, string_value=""))
        seconds = await self.run(widgets=widgets)
        if changed is not None:
            changed.setdefault(key, []).append(seconds)
        return seconds

    async def upload(self, url: str, name: str, data: bytes, xsrf: str) -> float:
        """Upload ``data`` to 批量核查's file uploader as a browser does; seconds until the page has answered."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        if not (self.uploader and self.session_id):
            raise RuntimeError("no file uploader on the page")
        t0 = time.perf_counter()
        msg = BackMsg()
        msg.file_urls_request.request_id = uuid.uuid4().hex
        msg.file_urls_request.session_id = self.session_id
        msg.file_urls_request.file_names.append(name)
        await self.ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self.ws.recv())
            if (
                fwd.WhichOneof("type") == "file_urls_response"
                and fwd.file_urls_response.response_id == msg.file_urls_request.request_id
            ):
                urls = fwd.file_urls_response.file_urls[0]
                break
        target = urls.upload_url if urls.upload_url.startswith("http") else url.rstrip("/") + urls.upload_url
        await asyncio.to_thread(_put_file, target, name, data, xsrf)
        state = WidgetState(id=self.uploader)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.file_id, info.name, info.size = urls.file_id, name, len(data)
        info.file_urls.CopyFrom(urls)
        widgets = [state]
        if self.search:
            widgets.append(WidgetState(id=self.search, string_value=""))
        await self.run(widgets=widgets)
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


async def user(url: str, deadline: float, stats: Stats, seed: int, client: str = "pills") -> None:
    import websockets

    rng = random.Random(seed)
    ws_url = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    try:
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
            session = Session(ws)
            stats.first.append(await session.run(query=urlencode(rng.choice(VIEWS))))
            while time.monotonic() < deadline:
                if client == "mixed":
                    stats.reruns.append(await session.change_any(rng, stats.changed))
                else:
                    stats.reruns.append(await session.click_pill(rng))
                await asyncio.sleep(rng.uniform(0.5, 1.5))  # a person reads the map before the next click
    except Exception as exc:  # noqa: BLE001 - every failure is counted and shown, not raised
        stats.failures.append(f"{type(exc).__name__}: {exc}")


def _xsrf_token(url: str) -> str:
    """The XSRF cookie the server sets on the page (a browser sends it back with every upload)."""
    with urllib.request.urlopen(url.rstrip("/") + "/_stcore/health", timeout=30) as r:  # it sets the cookie
        for header in r.headers.get_all("Set-Cookie") or []:
            if header.startswith(XSRF_COOKIE + "="):
                return header.split(";", 1)[0].split("=", 1)[1]
    return ""


def _put_file(target: str, name: str, data: bytes, xsrf: str) -> None:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    if xsrf:
        headers |= {"X-Xsrftoken": xsrf, "Cookie": f"{XSRF_COOKIE}={xsrf}"}
    with urllib.request.urlopen(urllib.request.Request(target, data=body, method="PUT", headers=headers), timeout=60):
        pass


def hostile_files() -> list[tuple[str, bytes]]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from hostile_files import far_cell_workbook, zip_bomb_workbook

    return [
        ("far_row.xlsx", far_cell_workbook("A1048576")),
        ("far_corner.xlsx", far_cell_workbook("XFD1048576")),
        ("zip_bomb.xlsx", zip_bomb_workbook(150)),
    ]


async def hostile_user(url: str, deadline: float, stats: Stats, seed: int, files: list[tuple[str, bytes]]) -> None:
    """Opens the explorer and uploads hostile workbooks to 批量核查, one every 2–4 s."""
    import websockets

    rng = random.Random(seed)
    ws_url = url.replace("http", "ws", 1).rstrip("/") + "/_stcore/stream"
    try:
        xsrf = await asyncio.to_thread(_xsrf_token, url)
        async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
            session = Session(ws)
            await session.run(query="")
            k = seed
            while time.monotonic() < deadline:
                name, data = files[k % len(files)]
                k += 1
                stats.uploads.append(await session.upload(url, name, data, xsrf))
                stats.upload_errors.append(session.errors[0].splitlines()[0] if session.errors else "(no error shown)")
                await asyncio.sleep(rng.uniform(2.0, 4.0))
    except Exception as exc:  # noqa: BLE001 - counted and shown
        stats.failures.append(f"hostile {type(exc).__name__}: {exc}")


async def sample_memory(pid: int | None, deadline: float, stats: Stats) -> None:
    while pid and time.monotonic() < deadline:
        stats.memory_mb.append(rss_mb(pid))
        await asyncio.sleep(1.0)


async def drive(
    url: str, users: int, seconds: float, pid: int | None, client: str = "pills", hostile: int = 0
) -> Stats:
    stats = Stats()
    deadline = time.monotonic() + seconds
    tasks = [user(url, deadline, stats, seed, client) for seed in range(users)]
    if hostile:
        files = hostile_files()
        tasks += [hostile_user(url, deadline, stats, 1000 + seed, files) for seed in range(hostile)]
    await asyncio.gather(sample_memory(pid, deadline + 5, stats), *tasks)
    return stats


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def report(stats: Stats, users: int, seconds: float, client: str = "pills", hostile: int = 0) -> None:
    extra = f" + {hostile} hostile uploaders" if hostile else ""
    print(f"\n== {users} users for {seconds:.0f} s, {client} client{extra} ==")
    print(
        f"first run (page open)  median {statistics.median(stats.first or [float('nan')]):6.2f} s   "
        f"p90 {pct(stats.first, 0.9):6.2f} s   ({len(stats.first)} sessions)"
    )
    target = "median ≤ 1 s, p90 ≤ 2 s" if client == "mixed" else "median ≤ 2 s"
    print(
        f"rerun (filter change)  median {statistics.median(stats.reruns or [float('nan')]):6.2f} s   "
        f"p90 {pct(stats.reruns, 0.9):6.2f} s   ({len(stats.reruns)} reruns)   target: {target}"
    )
    if stats.uploads:
        said = sorted(set(stats.upload_errors))
        print(
            f"hostile uploads        {len(stats.uploads)}   median {statistics.median(stats.uploads):6.2f} s   "
            f"max {max(stats.uploads):6.2f} s   page said: {' | '.join(s[:70] for s in said)}"
        )
    if stats.changed:  # which widget costs what: median rerun per widget changed (count)
        print(
            "median by widget       "
            + ", ".join(f"{k} {statistics.median(v):.2f} s ({len(v)})" for k, v in sorted(stats.changed.items()))
        )
    print(f"failures               {len(stats.failures)}" + (f"  e.g. {stats.failures[0]}" if stats.failures else ""))
    if stats.memory_mb:
        print(
            f"server memory (RSS)    start {stats.memory_mb[0]:6.0f} MB   max {max(stats.memory_mb):6.0f} MB   "
            f"end {stats.memory_mb[-1]:6.0f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--url", help="a running app on this machine (default: start one)")
    parser.add_argument("--pid", type=int, help="the running app's process id, for its memory")
    parser.add_argument(
        "--client",
        choices=("both", *CLIENTS),
        default="both",
        help="pills: sector pills only; mixed: every sidebar widget; both (default): in turn",
    )
    parser.add_argument(
        "--hostile",
        type=int,
        default=0,
        help="users uploading hostile workbooks to 批量核查 beside the others (default 0)",
    )
    args = parser.parse_args()
    clients = CLIENTS if args.client == "both" else (args.client,)
    if not 1 <= args.users <= MAX_USERS or not 0 < args.seconds <= MAX_SECONDS or not 0 <= args.hostile <= 5:
        parser.error(f"--users should be 1..{MAX_USERS}, --seconds 1..{MAX_SECONDS} and --hostile 0..5")
    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost"):
        parser.error(f"--url should be a server on this machine (127.0.0.1 or localhost), got {args.url}")

    if args.url:
        results = {
            c: asyncio.run(drive(args.url, args.users, args.seconds, args.pid, c, args.hostile)) for c in clients
        }
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from browser import running_app

        with running_app() as (url, pid):
            asyncio.run(drive(url, 1, 5, None))  # warm the server's caches once, as a first visitor does
            results = {c: asyncio.run(drive(url, args.users, args.seconds, pid, c, args.hostile)) for c in clients}
    for client, stats in results.items():
        report(stats, args.users, args.seconds, client, args.hostile)
    if len(results) > 1:
        print(
            "\n"
            + "   ".join(
                f"{c}: median {statistics.median(s.reruns or [float('nan')]):.2f} s, p90 {pct(s.reruns, 0.9):.2f} s"
                for c, s in results.items()
            )
        )


if __name__ == "__main__":
    main()

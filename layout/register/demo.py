"""Demo registers for training and presentations: clearly synthetic progress, visibly marked.

:func:`fill_demo` writes quarterly reports (2021–2025) of made-up statuses, investment and progress
into a SEPARATE register and stores a marker in its ``register_meta`` table; :func:`is_demo_register`
reads the marker, so every page and export made from it can carry 演示数据 (Demo data in English). It refuses
the default register and any register that already holds real reports.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from layout.errors import InputError, LayoutError
from layout.register.demo_guard import DEMO_META_KEY as DEMO_KEY
from layout.register.events import Register
from layout.register.location import register_location
from layout.register.vocabulary import DEMO_BY, DEMO_SOURCE, default_register_path

__all__ = ["DEMO_BY", "DEMO_KEY", "DEMO_SOURCE", "demo_reports", "fill_demo", "is_demo_path", "is_demo_register"]

QUARTERS = tuple(
    pd.Timestamp(f"{y}-{m:02d}-01") + pd.offsets.MonthEnd(0) for y in range(2021, 2026) for m in (3, 6, 9, 12)
)
#: Demo indicator actuals (made up, plausible): id → (value, year).
DEMO_INDICATORS = {
    "services_value_added": (1010.0, 2025),
    "services_gdp_share": (43.2, 2025),
    "services_employment_share": (50.1, 2025),
    "producer_services_share": (29.8, 2025),
    "tourism_revenue": (612.0, 2025),
    "retail_sales": (948.0, 2025),
    "logistics_4a_firms": (5.0, 2025),
    "business_district": (1.0, 2025),
}


def is_demo_register(register: Register) -> bool:
    """True when ``register`` was filled by :func:`fill_demo` (its marker is in ``register_meta``)."""
    return register.store.read_meta(DEMO_KEY) is not None


def is_demo_path(path) -> bool:
    """True when the register file at ``path`` exists and is a demo register (False when it cannot be read)."""
    if not Path(path).is_file():
        return False
    try:
        return is_demo_register(Register(path))
    except (LayoutError, OSError):
        return False


def demo_reports(catalog: pd.DataFrame, *, seed: int = 2021) -> list[tuple[dt.date, list[tuple[str, dict]]]]:
    """Synthetic quarterly reports for every catalog project: ``[(as_of, [(id, changes), …]), …]``.

    About 1 in 8 projects never reports (未填报), 1 in 10 stops reporting in 2024; the rest move
    未启动 → 前期工作 → 在建 → 已建成/已运营 at random paces, a few are suspended or cancelled.
    """
    rng = np.random.default_rng(seed)
    ids = catalog["id"].astype(str).to_list()
    county = catalog["county"].astype(str).to_list()
    n, q = len(ids), len(QUARTERS)
    never = rng.random(n) < 0.125
    stop = np.where(rng.random(n) < 0.10, rng.integers(12, 16, n), q)
    first = rng.integers(0, 8, n)  # quarter of the first report
    prep = first + rng.integers(0, 4, n)
    build = prep + rng.integers(1, 6, n)
    done = build + rng.integers(3, 12, n)
    operate = done + rng.integers(1, 6, n)
    fate = rng.random(n)  # < .06 suspended while building, < .09 cancelled before building
    planned = np.round(rng.lognormal(9.0, 1.0, n), -1)  # 万元
    reports = []
    for k, day in enumerate(QUARTERS):
        rows = []
        for i in range(n):
            if never[i] or k < first[i] or k >= stop[i]:
                continue
            if fate[i] < 0.09 and fate[i] >= 0.06 and k >= prep[i]:
                status, progress = "cancelled", 0.0
            elif k < prep[i]:
                status, progress = "not_started", 0.0
            elif k < build[i]:
                status, progress = "preparing", 5.0
            elif fate[i] < 0.06 and k >= build[i] + 2:
                status, progress = "suspended", 30.0
            elif k < done[i]:
                status, progress = "building", min(95.0, 10.0 + 85.0 * (k - build[i]) / max(done[i] - build[i], 1))
            else:
                status, progress = ("operating" if k >= operate[i] else "completed"), 100.0
            rows.append(
                (
                    ids[i],
                    {
                        "status": status,
                        "progress": round(progress, 1),
                        "invest_planned": planned[i],
                        "invest_done": round(planned[i] * progress / 100, 1),
                        "lead_unit": f"{county[i]}演示责任单位",
                        "note": "演示数据（合成）",
                    },
                )
            )
        reports.append((day.date(), rows))
    return reports


def fill_demo(register: Register, catalog: pd.DataFrame, *, seed: int = 2021) -> int:
    """Mark ``register`` as a demo register and fill it with :func:`demo_reports`; return the event count.

    Raises
    ------
    InputError
        For the default register, or a register that already holds reports and is not a demo register.
    """
    default_server = register.path is None and getattr(register.store, "url", None) == register_location()
    if default_server or (register.path is not None and register.path.resolve() == default_register_path().resolve()):
        raise InputError(
            f"register {register.location} is the default register; demo data goes into a separate "
            "file: give --register PATH (e.g. data/demo.sqlite)",
            code="reg_demo_default",
            name=register.location,
        )
    if not is_demo_register(register) and register.store.count_events():
        raise InputError(
            f"register {register.location} already holds real reports; demo data would mix with them — "
            "give a new file for the demo register",
            code="reg_demo_real",
            name=register.location,
        )
    with register.store.transaction() as conn:
        register.store.write_meta(conn, DEMO_KEY, DEMO_SOURCE)
    count = 0
    for day, rows in demo_reports(catalog, seed=seed):
        if rows:
            count += len(
                register.record_many(rows, by=DEMO_BY, source=DEMO_SOURCE, as_of=day, batch=f"demo-{day.isoformat()}")
            )
    indicators: list[tuple[str, dict[str, object]]] = [
        (f"indicator:{key}", {"actual_value": value, "actual_year": year})
        for key, (value, year) in DEMO_INDICATORS.items()
    ]
    count += len(
        register.record_many(
            indicators, by=DEMO_BY, source=DEMO_SOURCE, as_of=dt.date(2026, 3, 31), batch="demo-indicators"
        )
    )
    return count

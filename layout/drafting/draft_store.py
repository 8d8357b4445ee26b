"""A draft's storage: its folder's files (``zones.toml``, ``catalog.csv``, ``indicators.toml``) and its event
log ``events.jsonl`` (who, when, why, what was replaced), written under the draft's lock so two planners' edits
never interleave. A zone model is written only when it still holds; the edit verbs are
:mod:`layout.drafting.draft_zones` and :mod:`layout.drafting.draft_projects`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from layout.drafting.versions import PlanVersion
from layout.errors import InputError, LayoutError
from layout.plan.toml_io import dumps_zone_toml
from layout.plan.zones import parse_zone_model

__all__ = ["EVENT_KEYS", "NEW_PREFIX", "DraftStore", "exclusive", "required_text"]

#: Ids of projects new in a draft: N001, N002 …
NEW_PREFIX = "N"
EVENT_KEYS = ("event_id", "op", "target", "args", "before", "by", "reason", "recorded_at", "undoes")


def exclusive(method):
    """Run a draft edit under the draft's lock: two planners' edits never interleave their read-modify-write."""

    @functools.wraps(method)
    def wrapper(self: DraftStore, *args, **kwargs):
        from layout.tables.files import locked

        with locked(self.events_path):
            return method(self, *args, **kwargs)

    return wrapper


def required_text(value: object, what: str, *, required: bool = True) -> str:
    """``value`` stripped; when ``required``, an InputError naming the option ``what`` if it is empty."""
    text = str(value or "").strip()
    if required and not text:
        field = what.lstrip("-").lower().replace("-", "_")
        raise InputError(f"{what}: 不能为空 / {what} should be given", code=f"plan_empty_{field}")
    return text


@dataclass
class DraftStore:
    """A draft's files and event log (the edits are :class:`layout.drafting.drafts.Draft`'s)."""

    plan: PlanVersion

    # -- files -------------------------------------------------------------------------------
    @property
    def events_path(self) -> Path:
        if self.plan.folder is None:  # open_draft lets only drafts through
            raise InputError(
                f"PLAN: {self.plan.name} 不是草案，没有草案文件夹 / "
                f"{self.plan.name} is not a draft and has no draft folder"
            )
        return self.plan.folder / "events.jsonl"

    def zone_data(self) -> dict:
        with open(self.plan.zones, "rb") as f:
            return tomllib.load(f)

    def catalog(self) -> pd.DataFrame:
        from layout.catalog.projects import read_catalog_table

        return read_catalog_table(self.plan.catalog)

    def events(self) -> pd.DataFrame:
        """Every event in order, with ``undone_by`` (event id or None)."""
        rows = [json.loads(line) for line in self.events_path.read_text(encoding="utf-8").splitlines() if line]
        df = pd.DataFrame(rows, columns=list(EVENT_KEYS))
        undone = {r["undoes"]: r["event_id"] for r in rows if r.get("undoes") is not None}
        df["undone_by"] = pd.Series([undone.get(i) for i in df["event_id"]], index=df.index, dtype=object)
        return df

    def _live(self) -> list[dict]:
        events = self.events()
        return [r for r in events.to_dict("records") if r["op"] != "undo" and r["undone_by"] is None]

    def _append(
        self, op: str, target: str, args: dict, before: object, *, by: str, reason: str, undoes: int | None = None
    ) -> int:
        events = self.events()
        event_id = int(events["event_id"].max()) + 1 if len(events) else 1
        row = {
            "event_id": event_id,
            "op": op,
            "target": target,
            "args": args,
            "before": before,
            "by": by,
            "reason": reason,
            "recorded_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "undoes": undoes,
        }
        with open(self.events_path, "a", encoding="utf-8") as f:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        return event_id

    def _write_zones(self, data: dict) -> None:
        try:
            parse_zone_model(data)
        except LayoutError as exc:
            raise InputError(
                f"{self.plan.name}: 改动未保存，改后分区不成立 / not saved, the zone model would not "
                f"hold: {str(exc).removeprefix('zones.toml: ')}",
                code="plan_zones_invalid",
                reason=str(exc).removeprefix("zones.toml: "),
            ) from None
        from layout.tables.files import atomic_write

        text = dumps_zone_toml(data)

        def write(tmp: Path) -> None:
            tmp.write_text(text, encoding="utf-8")

        atomic_write(self.plan.zones, write, backup=False)

    def _write_catalog(self, df: pd.DataFrame) -> None:
        from layout.catalog.projects import write_catalog

        write_catalog(df, self.plan.catalog)
        self.plan.catalog.with_name(self.plan.catalog.name + ".bak").unlink(missing_ok=True)

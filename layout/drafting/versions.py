"""Plans as versions: 十四五 (the shipped files) and drafts (十五五草案 …) in the writable data folder.

A version is a folder of files — ``zones.toml``, a catalog CSV, ``indicators.toml``, optionally the plan's
text — and metadata (name, period, status 现行/草案/已结束, the plan it follows). 十四五's metadata is
``plan_versions.toml`` and points at today's files, which stay where they are. A draft lives in
``<data folder>/plans/<NAME>/`` with ``plan.toml`` (metadata), its files and ``events.jsonl`` (its edits,
:mod:`layout.drafting.drafts`). :func:`activate_plan` makes a version the one every loader reads.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from layout.errors import InputError
from layout.plan.context import BASELINE, PlanFiles, reset_active_plan_files, set_active_plan_files
from layout.settings import PACKAGE_DIR, SHIPPED_DIR, data_dir

__all__ = [
    "DEFAULT_PLAN",
    "STATUSES",
    "PlanVersion",
    "activate_plan",
    "get_plan",
    "list_plans",
    "new_plan",
    "plans_dir",
    "use_plan",
]

VERSIONS_FILE = Path(__file__).with_name("plan_versions.toml")
DEFAULT_PLAN = "十四五"
STATUSES = ("现行", "草案", "已结束")
DRAFT = "草案"
META_FILE = "plan.toml"
CATALOG_FILE = "catalog.csv"
_NAME = re.compile(r"^[\w\-\u4e00-\u9fff]{1,40}$")


@dataclass(frozen=True)
class PlanVersion:
    """One plan version: metadata and the paths of its files (``text`` None when a draft has none)."""

    name: str
    title: str
    period: str
    status: str
    follows: str
    zones: Path
    indicators: Path
    catalog: Path
    text: Path | None
    folder: Path | None = None  # a draft's folder (None for a shipped version)
    created_by: str = ""
    created_at: str = ""
    geodata: Path | None = None  # its own boundary folder (None: the shipped geodata/)

    @property
    def is_draft(self) -> bool:
        return self.status == DRAFT

    @property
    def label(self) -> str:
        """The name with its status, 草案 always visible: "十五五草案（草案）"."""
        return f"{self.name}（{self.status}）"

    def files(self) -> PlanFiles:
        extra = {"geodata": self.geodata} if self.geodata is not None else {}
        return PlanFiles(self.name, self.zones, self.indicators, self.catalog, self.text, self.is_draft, **extra)


def plans_dir() -> Path:
    """Where drafts live: ``<data folder>/plans`` (not created here)."""
    return data_dir() / "plans"


def _shipped_versions() -> dict[str, PlanVersion]:
    with open(VERSIONS_FILE, "rb") as f:
        data = tomllib.load(f)

    def where(text: str) -> Path:
        return SHIPPED_DIR / text[len("shipped:") :] if text.startswith("shipped:") else PACKAGE_DIR / text

    return {
        name: PlanVersion(
            name=name,
            title=v["title"],
            period=v["period"],
            status=v["status"],
            follows=v.get("follows", ""),
            zones=where(v["zones"]),
            indicators=where(v["indicators"]),
            catalog=where(v["catalog"]),
            text=where(v["text"]) if v.get("text") else None,
        )
        for name, v in data["versions"].items()
    }


def _read_draft(folder: Path) -> PlanVersion:
    with open(folder / META_FILE, "rb") as f:
        meta = tomllib.load(f)
    text = folder / "plan.txt"
    return PlanVersion(
        name=meta["name"],
        title=meta.get("title", ""),
        period=meta.get("period", ""),
        status=meta.get("status", DRAFT),
        follows=meta.get("follows", ""),
        zones=folder / "zones.toml",
        indicators=folder / "indicators.toml",
        catalog=folder / CATALOG_FILE,
        text=text if text.exists() else None,
        folder=folder,
        created_by=meta.get("created_by", ""),
        created_at=meta.get("created_at", ""),
        geodata=folder / meta["geodata"] if meta.get("geodata") else None,
    )


def list_plans() -> list[PlanVersion]:
    """Every plan version: the shipped ones, then the drafts in the data folder by name."""
    out = list(_shipped_versions().values())
    if plans_dir().is_dir():
        out += [_read_draft(p) for p in sorted(plans_dir().iterdir()) if (p / META_FILE).is_file()]
    return out


def get_plan(name: str | None = None) -> PlanVersion:
    """The version called ``name`` (default 十四五).

    Raises
    ------
    InputError
        When there is no such plan; the message lists the known ones.
    """
    name = (name or DEFAULT_PLAN).strip()
    plans = {p.name: p for p in list_plans()}
    if name not in plans:
        raise InputError(
            f"--plan: 没有名为 {name!r} 的规划版本；现有：{'、'.join(plans)}（新建草案：plan new NAME "
            f"--from {DEFAULT_PLAN}） / no plan {name!r}; known: {', '.join(plans)}",
            code="plan_unknown",
            plan=name,
            known="、".join(plans),
        )
    return plans[name]


def check_plan_name(name: str) -> str:
    """A new plan's name: 1–40 letters, digits, Chinese characters, _ or -; raises InputError otherwise."""
    name = str(name or "").strip()
    if not _NAME.match(name):
        raise InputError(
            f"NAME: 规划名称应为 1–40 个汉字、字母、数字、_ 或 -，收到 {name!r} / a plan name should be "
            f"1–40 letters, digits, Chinese characters, _ or -, got {name!r}",
            code="plan_name_bad",
            name=name,
        )
    return name


def new_plan(name: str, *, from_plan: str = DEFAULT_PLAN, by: str, period: str = "", title: str = "") -> PlanVersion:
    """Make the draft ``name`` in :func:`plans_dir` from ``from_plan``: its zone model and indicators are copied
    (planners edit them from there), its catalog starts empty (projects come by carry-over or are added).

    Raises
    ------
    InputError
        When the name is taken or malformed, ``from_plan`` is unknown, or ``by`` is empty.
    """
    name = check_plan_name(name)
    source = get_plan(from_plan)
    if name in {p.name for p in list_plans()}:
        raise InputError(
            f"NAME: 规划 {name!r} 已存在；换一个名称，或用 plan list 查看 / plan {name!r} already exists",
            code="plan_exists",
            name=name,
        )
    by = str(by or "").strip()
    if not by:
        raise InputError(
            "--by: 请填写编制人姓名（写入每条记录） / who makes the draft should be given (--by NAME)",
            code="plan_empty_by",
        )
    folder = plans_dir() / name
    folder.mkdir(parents=True, exist_ok=False)
    shutil.copyfile(source.zones, folder / "zones.toml")
    shutil.copyfile(source.indicators, folder / "indicators.toml")
    from layout.catalog.projects import read_catalog_table, write_catalog

    write_catalog(read_catalog_table(source.catalog).iloc[0:0], folder / CATALOG_FILE)
    (folder / f"{CATALOG_FILE}.bak").unlink(missing_ok=True)
    meta = {
        "name": name,
        "title": title or f"{name}（草案）",
        "period": period,
        "status": DRAFT,
        "follows": source.name,
        "created_by": by,
        "created_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    (folder / META_FILE).write_text("".join(f"{k} = {_toml_str(v)}\n" for k, v in meta.items()), encoding="utf-8")
    (folder / "events.jsonl").touch()
    return _read_draft(folder)


def _toml_str(value: str) -> str:
    import json

    return json.dumps(str(value), ensure_ascii=False)


def activate_plan(name: str | PlanVersion | None = None) -> PlanVersion:
    """Make ``name`` (default 十四五) the plan every loader reads in this context (the CLI's ``--plan``).
    Caches of derived content are keyed by the plan (:func:`layout.plan.context.plan_key`)."""
    plan = name if isinstance(name, PlanVersion) else get_plan(name)
    set_active_plan_files(BASELINE if plan.name == DEFAULT_PLAN and not plan.is_draft else plan.files())
    return plan


class use_plan:  # noqa: N801 - used as a context manager, like a function
    """``with use_plan("十五五草案"):`` activates a plan in this context and restores the previous one afterwards."""

    def __init__(self, name: str | PlanVersion | None) -> None:
        self.name = name
        self._token = None

    def __enter__(self) -> PlanVersion:
        plan = self.name if isinstance(self.name, PlanVersion) else get_plan(self.name)
        self._token = set_active_plan_files(
            BASELINE if plan.name == DEFAULT_PLAN and not plan.is_draft else plan.files()
        )
        return plan

    def __exit__(self, *exc: object) -> None:
        reset_active_plan_files(self._token)

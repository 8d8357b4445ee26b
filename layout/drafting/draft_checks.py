"""A draft's checks: every problem of the draft as it is on disk (zone model, indicators, then catalog rows,
checked like the catalog's own), files edited by hand included. A new project (N001 …) may lack what only the
plan gives (its sentence, a sector yet): not an error of a draft.
"""

from __future__ import annotations

import tomllib

import pandas as pd

from layout.drafting.draft_store import NEW_PREFIX, DraftStore
from layout.drafting.versions import PlanVersion, use_plan
from layout.errors import InputError, LayoutError
from layout.plan.zones import parse_zone_model

__all__ = ["draft_problems", "row_problems"]

_NOT_YET = ("id", "sector", "plan_quote", "plan_section", "plan_zone")


def row_problems(plan: PlanVersion, df: pd.DataFrame, ids: set[str]) -> list[InputError]:
    """The errors of the catalog rows ``ids`` of ``df``, checked as ``plan``'s catalog."""
    from layout.catalog.projects import catalog_to_text
    from layout.catalog.validate import ERROR, validate_catalog_bytes

    data = catalog_to_text(df).encode("utf-8")
    lines = {str(pid): i + 2 for i, pid in enumerate(df["id"].astype(str))}
    wanted = {lines[i] for i in ids}
    with use_plan(plan):
        found = validate_catalog_bytes(data, name=plan.catalog.name)
    # a new project (N001 …) has no plan sentence, and perhaps no sector yet: not errors of a draft
    return [
        _row_error(str(df.at[p.line - 2, "id"]), p)
        for p in found
        if p.severity == ERROR
        and p.line in wanted
        and not (str(df.at[p.line - 2, "id"]).startswith(NEW_PREFIX) and p.column in _NOT_YET)
    ]


def draft_problems(draft: DraftStore) -> list[LayoutError]:
    """Every problem of the draft as it is on disk (zone model, indicators, then catalog rows), [] when it
    validates; files edited by hand are checked the same way.

    Returns
    -------
    list
        One error per file or catalog row: ``str()`` is the English line (the CLI's ``plan check``),
        ``layout.i18n.error_text`` words it in the reader's language (the 规划编制 page).
    """
    out: list[LayoutError] = []
    try:
        parse_zone_model(draft.zone_data())
    except LayoutError as exc:
        out.append(_file_error("zones.toml", exc))
        return out
    except tomllib.TOMLDecodeError as exc:
        out.append(_toml_error("zones.toml", exc))
        return out
    from layout.plan.indicators import parse_indicators

    try:
        with open(draft.plan.indicators, "rb") as f:
            parse_indicators(tomllib.load(f))
    except LayoutError as exc:
        out.append(_file_error("indicators.toml", exc))
    except (tomllib.TOMLDecodeError, OSError) as exc:
        out.append(_toml_error("indicators.toml", exc))
    df = draft.catalog()
    return out + [
        InputError(f"catalog.csv {e}", code="plan_file", file="catalog.csv", problems=e)
        for e in row_problems(draft.plan, df, set(df["id"].astype(str)))
    ]


def _file_error(name: str, exc: LayoutError) -> LayoutError:
    """A file's validation error, its English line starting with the file's name."""
    text = f"{name}: {str(exc).removeprefix(name + ': ')}"
    if getattr(exc, "code", "") == "plan_file":
        return InputError(text, code=exc.code, **exc.args_)
    return InputError(text, code="plan_file", file=name, problems=exc)


def _toml_error(name: str, exc: Exception) -> LayoutError:
    """A file that is not readable TOML (or not readable at all): the parser's own words, which say where."""
    return InputError(f"{name}: {exc}", code="plan_toml", file=name, error=str(exc))


def _row_error(pid: str, problem) -> InputError:
    """One catalog row's problem (a ``layout.catalog.validate.Problem``, worded in the reader's language by its
    own ``text(lang)``)."""
    text = f"{pid} {problem.column or ''}: {problem.message}（{problem.fix}）"
    return InputError(text, code="plan_row", id=pid, problem=problem)

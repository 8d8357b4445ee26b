"""Writing a zone model back to TOML (the standard library reads TOML but does not write it).

Only the shapes ``zones.toml`` uses: tables of tables whose values are text, lists of text, or lists of
one-level inline tables of text. Comments of the source file are not kept.
"""

from __future__ import annotations

import json
import re

__all__ = ["dumps_zone_toml"]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if _BARE.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list | tuple):
        if any(isinstance(v, dict) for v in value):
            return "[\n" + "".join(f"  {_value(v)},\n" for v in value) + "]"
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def dumps_zone_toml(data: dict) -> str:
    """The TOML text of a parsed ``zones.toml`` (``[zones.<id>]`` tables, ``[counties]``, ``[areas]``)."""
    out: list[str] = []
    for zid, zone in data.get("zones", {}).items():
        out.append(f"[zones.{_key(zid)}]")
        out += [f"{_key(k)} = {_value(v)}" for k, v in zone.items()]
        out.append("")
    for table in ("counties", "areas"):
        if table in data:
            out.append(f"[{table}]")
            out += [f"{_key(k)} = {_value(v)}" for k, v in data[table].items()]
            out.append("")
    return "\n".join(out)

"""One language per output (issue 21): ``stray_english(text)`` finds English words in Chinese output,
``stray_chinese(text)`` Chinese in English output; each returns what it found, so a test asserts ``== []``
and a failure shows the culprits.

Allowed in Chinese output: codes, units, formats and the command line (WGS84, EPSG:4546, KB, XLSX, P002,
``python -m layout register export``, --options, paths, JSON keys). Allowed in English output: proper names
(the catalog's counties, towns and project names, plan names, anything passed in ``allow``), file names.
"""

from __future__ import annotations

import functools
import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3001-\u303f\uff01-\uff5e]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
#: Codes, units, formats and the register's command words (register set, import --apply), allowed in Chinese.
_CODE_WORDS = """
    WGS84 WGS GCJ BD CGCS2000 CGCS EPSG GPS KB MB GB km XLSX xlsx PDF pdf PPTX pptx PNG png HTML html CSV csv
    UTF utf sig GBK BOM SQLite sqlite postgresql PostgreSQL PostGIS LibreOffice Excel WPS JSON json Parquet
    register set show history undo import export backup restore migrate demo LAYOUT_REGISTER GeoNames lon lat
"""
CODES = frozenset(_CODE_WORDS.split())


def _strip_code(text: str) -> str:
    """``text`` without what is code whatever the language: `quoted`, --options, paths, URLs, ids, JSON keys."""
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"python -m layout(?: [a-z][a-z-]*)*", " ", text)  # a command to run
    text = re.sub(r"[a-z]+://\S+", " ", text)
    text = re.sub(r"--[a-z][a-z-]*", " ", text)
    text = re.sub(r"\S*[/\\]\S*", " ", text)  # paths
    text = re.sub(r"\b[\w.-]+\.(?:csv|xlsx|pdf|pptx|png|html|sqlite|md|bak\w*|txt|parquet|geojson|toml)\b", " ", text)
    text = re.sub(r'"[a-z_]+":', " ", text)  # JSON keys
    text = re.sub(r"\b[a-z]+:(?=\S)", " ", text)  # kind prefixes of ids: county:桃江县, zone:core
    text = re.sub(r"\b(?:P|N)\d{3,}\b|\bpole_\w+|\b[a-z]+_[a-z_]+\b", " ", text)  # ids and snake_case codes
    return text


def stray_english(text: str, *, allow: tuple[str, ...] = ()) -> list[str]:
    """English words in Chinese output (codes, units, commands and ``allow`` excepted)."""
    text = _strip_code(text)
    for name in sorted(allow, key=len, reverse=True):
        text = text.replace(name, " ")
    return [w for w in _WORD.findall(text) if w not in CODES and w.lower() not in CODES]


@functools.cache
def proper_names() -> tuple[str, ...]:
    """Names an English text may carry in Chinese: counties, towns, projects of the catalog, 益阳's townships,
    plan names."""
    from layout.catalog.gazetteer import load_townships
    from layout.catalog.projects import load_catalog

    catalog = load_catalog()
    names = {*catalog["county"].dropna(), *catalog["name"].dropna(), *catalog["town"].dropna()}
    names |= set(load_townships()["name"].dropna())
    names |= {"大通湖区", "益阳市", "益阳", "十四五", "十五五草案"}
    return tuple(sorted((str(n) for n in names if str(n).strip()), key=len, reverse=True))


def stray_chinese(text: str, *, allow: tuple[str, ...] = ()) -> list[str]:
    """Chinese in English output, proper names (:func:`proper_names`, ``allow``) and file names excepted."""
    text = re.sub(r"\S+\.(?:csv|xlsx|pdf|pptx|png|html|sqlite)\b", " ", text)
    for name in (*sorted(allow, key=len, reverse=True), *proper_names()):
        text = text.replace(name, " ")
    return _CJK.findall(text)

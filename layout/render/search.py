"""Pinyin search over project names: every reading of a name (polyphonic characters too), full pinyin and
initials, so ``chaxiang`` and ``cxhh`` both find 茶乡花海."""

from __future__ import annotations

import unicodedata
from itertools import islice

import numpy as np
import pandas as pd
from pypinyin import Style, lazy_pinyin, pinyin

__all__ = ["build_search_index", "search_keys", "search_mask"]


def _norm(text: str) -> str:
    """Lower case, full-width folded (NFKC), without spaces, apostrophes or hyphens."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "'’-·")


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _tokens(name: str, limit: int = 6) -> list[list[tuple[str, bool]]]:
    """Readings of ``name`` as ``(token, is_han)`` lists: the phrase-aware pinyin first, then readings
    with one polyphonic character read otherwise (长株潭 → zhang…, chang…), at most ``limit`` in all.
    Runs of other characters (Latin letters, digits) stay one token each."""
    runs: list[tuple[str, bool]] = []
    for ch in name:
        han = _is_han(ch)
        if runs and runs[-1][1] == han:
            runs[-1] = (runs[-1][0] + ch, han)
        else:
            runs.append((ch, han))
    first: list[tuple[str, bool]] = []
    alternatives: list[tuple[int, str]] = []
    for run, han in runs:
        if not han:
            if token := _norm(run):
                first.append((token, False))
            continue
        readings = lazy_pinyin(run)
        for reading, options in zip(readings, pinyin(run, style=Style.NORMAL, heteronym=True), strict=True):
            alternatives += [(len(first), o) for o in islice((o for o in options if o != reading), 2)]
            first.append((reading, True))
    variants = [first]
    for i, alt in alternatives[: limit - 1]:
        variants.append([*first[:i], (alt, True), *first[i + 1 :]])
    return variants


def search_keys(name: str) -> tuple[str, str]:
    """Full pinyin and initials of ``name`` for matching, each variant separated by ``|``.

    ``茶乡花海`` → ``("chaxianghuahai", "cxhh")``; Latin letters and digits are kept whole in both.
    """
    variants = _tokens(name)
    full = ("".join(tok for tok, _ in v) for v in variants)
    initials = ("".join(tok[:1] if han else tok for tok, han in v) for v in variants)
    return "|".join(dict.fromkeys(full)), "|".join(dict.fromkeys(initials))


def build_search_index(catalog: pd.DataFrame) -> pd.DataFrame:
    """Per catalog row: ``text`` (name, English name and id, normalised), ``full`` and ``initials`` pinyin."""
    names = catalog["name"].fillna("").astype(str)
    keys = [search_keys(n) for n in names]
    text = (
        names
        + "|"
        + catalog.get("name_en", pd.Series("", index=catalog.index)).fillna("").astype(str)
        + "|"
        + catalog["id"].fillna("").astype(str)
    ).map(_norm)
    return pd.DataFrame(
        {"text": text.to_numpy(), "full": [k[0] for k in keys], "initials": [k[1] for k in keys]}, index=catalog.index
    )


def search_mask(index: pd.DataFrame, query: str) -> np.ndarray:
    """Rows whose name matches every word of ``query``: as Chinese text, English, id, full pinyin or
    initials (``chaxiang`` and ``cxhh`` both find 茶乡花海). An empty query matches everything."""
    mask = np.ones(len(index), dtype=bool)
    for word in str(query).split():
        w = _norm(word)
        if not w:
            continue
        hit = index["text"].str.contains(w, regex=False).to_numpy(dtype=bool, copy=True)
        if w.isascii():
            hit |= index["full"].str.contains(w, regex=False).to_numpy()
            hit |= index["initials"].str.contains(w, regex=False).to_numpy()
        mask &= hit
    return mask

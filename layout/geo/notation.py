"""Coordinates as officers write them, one cell or one column at a time.

Notations read: decimal degrees (``112.35``, ``112.35°``, ``E112.35``), degrees-minutes-seconds and
degrees-decimal-minutes in Chinese and ASCII (``112°21′18″``, ``112度21分18秒``, ``112°21.3'``,
``东经112°21′18″``), and a pair in one cell (``112.35,28.55``, ``112.35 28.55``, ``(112.35，28.55)``).
Problems are per row, as codes with arguments (``layout.i18n`` words them), never an exception for one
bad cell. A point pasted as one text is split here (:func:`split_point`). Which columns hold coordinates
is :mod:`layout.geo.columns`; which coordinate system a table uses is :mod:`layout.geo.table_crs`.

Compute only: text cells in, arrays out; no files, no printing.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
from numpy.typing import NDArray

Problem = tuple[str, dict]  # (reason code, arguments): layout.i18n "reason.<code>"


# -- one cell --------------------------------------------------------------------------------

_HEMI = {
    "e": 1,
    "w": -1,
    "n": 1,
    "s": -1,
    "东经": 1,
    "西经": -1,
    "北纬": 1,
    "南纬": -1,
    "东": 1,
    "西": -1,
    "北": 1,
    "南": -1,
}
_HEMI_RE = re.compile(r"^(东经|西经|北纬|南纬|[东西南北ewns])|(东经|西经|北纬|南纬|[东西南北ewns])$")
_TOKEN = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*([°'\":]?)")
_UNIT_ORDER = {"°": 0, "'": 1, '"': 2}


class CellError(Exception):
    """One cell that cannot be read: a reason code and its arguments (never reaches a user as is)."""

    def __init__(self, code: str, **args: object) -> None:
        super().__init__(code)
        self.code, self.args_ = code, args


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    for a, b in (
        ("′′", '"'),
        ("''", '"'),
        ("″", '"'),
        ("”", '"'),
        ("“", '"'),
        ("秒", '"'),
        ("′", "'"),
        ("’", "'"),
        ("‘", "'"),
        ("分", "'"),
        ("度", "°"),
        ("º", "°"),
        ("˚", "°"),
    ):
        text = text.replace(a, b)
    return text.strip()


def parse_angle(text: object) -> tuple[float, str]:
    """A coordinate cell as a float and its notation (``decimal``, ``dms``, ``ddm``).

    Accepts decimal degrees or metres, DMS and DDM with ° ′ ″ / 度 分 秒 / ``:``, and a hemisphere
    (E/W/N/S, 东经/西经/北纬/南纬) before or after. Underscores, thousands separators and other text are refused.

    Raises
    ------
    CellError
        ``empty``, ``not_number`` (text), ``minutes_60`` / ``seconds_60`` (a part of 60 or more),
        ``not_finite``.
    """
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        value = float(text)
        if not np.isfinite(value):
            raise CellError("not_finite", text=str(text))
        return value, "decimal"
    raw = str(text).strip()
    if not raw:
        raise CellError("empty")
    s = _clean(raw)
    sign = 1.0
    m = _HEMI_RE.search(s)
    if m:
        sign = _HEMI[m.group(1) or m.group(2)]
        s = (s[: m.start()] + s[m.end() :]).strip()
    if s[:1] and s[:1] in "+-":  # a cell of a lone "N" leaves nothing
        sign = sign * (-1.0 if s[0] == "-" else 1.0)
        s = s[1:].strip()
    tokens = _TOKEN.findall(s)
    if not tokens or _TOKEN.sub("", s).strip() or len(tokens) > 3:
        raise CellError("not_number", text=shorten(raw))
    numbers = [float(n) for n, _ in tokens]
    units = [u for _, u in tokens]
    if len(tokens) == 1:
        if units[0] not in ("", "°"):
            raise CellError("not_number", text=shorten(raw))
        return sign * numbers[0], "decimal"
    named = [u for u in units if u in _UNIT_ORDER]
    if [_UNIT_ORDER[u] for u in named] != sorted(_UNIT_ORDER[u] for u in named) or len(set(named)) < len(named):
        raise CellError("not_number", text=shorten(raw))
    if any("." in n for n, _ in tokens[:-1]) or "." in tokens[0][0]:
        raise CellError("not_number", text=shorten(raw))  # only the last part may have decimals
    if numbers[1] >= 60:
        raise CellError("minutes_60", text=shorten(raw))
    if len(numbers) == 3 and numbers[2] >= 60:
        raise CellError("seconds_60", text=shorten(raw))
    value = numbers[0] + numbers[1] / 60 + (numbers[2] / 3600 if len(numbers) == 3 else 0.0)
    return sign * value, "dms" if len(numbers) == 3 else "ddm"


_PAIR_SPLIT = re.compile(r"\s*[,;/|]\s*")


def parse_pair(text: object) -> tuple[float, float]:
    """One cell holding two coordinates: ``112.35,28.55``, ``112.35 28.55``, ``E112°21′ N28°33′`` …

    Raises
    ------
    CellError
        ``empty``, ``pair_bad`` (not two parts), or the code of the part that fails.
    """
    raw = str(text).strip()
    if not raw:
        raise CellError("empty")
    s = unicodedata.normalize("NFKC", raw).strip().strip("()[]{}<>").strip()
    parts = [p for p in _PAIR_SPLIT.split(s) if p]
    if len(parts) != 2:
        cleaned = _clean(s)
        hemi = re.split(r"(?=东经|西经|北纬|南纬|[nsew](?=\s*\d))", cleaned)
        hemi = [p.strip() for p in hemi if p.strip()]
        parts = hemi if len(hemi) == 2 else cleaned.split()
    if len(parts) != 2:
        raise CellError("pair_bad", text=shorten(raw))
    return parse_angle(parts[0])[0], parse_angle(parts[1])[0]


def shorten(text: str, limit: int = 40) -> str:
    """A user's text echoed in a message, cut short (a 100 KB cell is not repeated back in full)."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit] + "…"


# -- whole columns ---------------------------------------------------------------------------

_PLAIN_NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$")


def parse_column(cells: pd.Series) -> tuple[NDArray[np.float64], dict[int, Problem], dict[str, int]]:
    """Numbers of a column of text cells: vectorised for plain decimals, cell by cell for the rest.

    Returns
    -------
    values
        NaN where a cell cannot be read.
    problems
        Row position → (reason code, arguments).
    notations
        How many cells were read in each notation (``decimal``, ``dms``, ``ddm``).
    """
    values = _fast_numbers(cells)
    plain = np.isfinite(values)
    text = cells if plain.all() else cells.astype(str)
    problems: dict[int, Problem] = {}
    notations = {"decimal": int(plain.sum())}
    for i in np.flatnonzero(~plain):
        try:
            values[i], how = parse_angle(text.iat[i])
            notations[how] = notations.get(how, 0) + 1
        except CellError as exc:
            problems[int(i)] = (exc.code, exc.args_)
    return values, problems, notations


def _fast_numbers(cells: pd.Series) -> NDArray[np.float64]:
    """Plain decimal cells as floats (NaN elsewhere): Arrow's cast when the whole column is clean, else pandas'
    ``to_numeric``; cells it leaves NaN go to :func:`parse_angle` for an exact reading or message."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(cells, type=pa.string(), from_pandas=True)
        values = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        values = pd.to_numeric(cells.astype(object), errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    values = np.array(values, dtype=np.float64)  # a writable copy
    values[~np.isfinite(values)] = np.nan
    return values


def parse_pair_column(cells: pd.Series) -> tuple[NDArray, NDArray, dict[int, Problem], dict[str, int]]:
    """Both coordinates of a column of one-cell pairs (vectorised for ``a,b`` decimals)."""
    text = cells.astype(str)
    split = text.str.split(r"\s*[,，]\s*|\s+", n=1, expand=True, regex=True)
    if split.shape[1] < 2:
        split[1] = None
    a, b = split[0].fillna(""), split[1].fillna("")
    plain = (a.str.match(_PLAIN_NUMBER) & b.str.match(_PLAIN_NUMBER)).to_numpy(dtype=bool)
    first, second = np.full(len(text), np.nan), np.full(len(text), np.nan)
    if plain.any():
        first[plain] = pd.to_numeric(a[plain]).to_numpy(dtype=np.float64)
        second[plain] = pd.to_numeric(b[plain]).to_numpy(dtype=np.float64)
    problems: dict[int, Problem] = {}
    notations = {"pair": int(plain.sum())}
    for i in np.flatnonzero(~plain):
        try:
            first[i], second[i] = parse_pair(text.iat[i])
            notations["pair"] += 1
        except CellError as exc:
            problems[int(i)] = (exc.code, exc.args_)
    return first, second, problems, notations


# -- one point typed or pasted by a person ------------------------------------------------------------

_LAT_HEMI = {"n", "s", "北纬", "南纬", "北", "南"}


def point_axis(text: str) -> str | None:
    """``lat`` or ``lon`` when a hemisphere letter or word says which (N 28°…, 112°…E, 东经…), else None."""
    m = _HEMI_RE.search(_clean(str(text)))
    if not m:
        return None
    return "lat" if (m.group(1) or m.group(2)) in _LAT_HEMI else "lon"


def split_point(text: str) -> tuple[str, str]:
    """The two coordinates of one pasted string (``28°33'14"N 112°21'18"E``, ``112.35,28.55``,
    ``N 28°33′14″ E 112°21′18″``, ``3160591.10 38342067.24``), in the order written.

    Raises
    ------
    CellError
        ``empty``, or ``pair_bad`` when no split gives two readable coordinates.
    """
    raw = unicodedata.normalize("NFKC", str(text)).strip().strip("()[]{}<>").strip()
    if not raw:
        raise CellError("empty")
    parts = [p for p in _PAIR_SPLIT.split(raw) if p]
    candidates = [parts] if len(parts) == 2 else []
    words = raw.split()
    candidates += [[" ".join(words[:i]), " ".join(words[i:])] for i in range(1, len(words))]
    for first, second in candidates:
        try:
            parse_angle(first), parse_angle(second)
        except CellError:
            continue
        return first, second
    raise CellError("pair_bad", text=shorten(raw))

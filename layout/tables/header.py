"""Finding the header under title rows: the header row, a merged header band above it, and the column names."""

from __future__ import annotations

import re

from layout.geo.columns import header_score

HEADER_SCAN_ROWS = 30


# -- header detection ------------------------------------------------------------------------


def detect_header(rows: list[list[str]]) -> int:
    """0-based index of the header among the first rows: the first naming coordinates, else the first row
    with two or more non-empty cells (title rows, merged across the top, have one)."""
    scan = rows[:HEADER_SCAN_ROWS]
    scores = [header_score(r) for r in scan]
    for want in (2, 1):
        if want in scores:
            return scores.index(want)
    for i, r in enumerate(scan):
        if sum(1 for c in r if str(c).strip()) >= 2:
            return i
    for i, r in enumerate(scan):
        if any(str(c).strip() for c in r):
            return i
    return 0


_DATA_CELL = re.compile(r"^\s*[-+]?\d+(\.\d+)?\s*$|\d+\.\d+|\d\s*[°度]")


def _filled(row: list[str]) -> set[int]:
    return {j for j, c in enumerate(row) if str(c).strip()}


def _stacks_on(upper: list[str], lower: list[str]) -> bool:
    """``lower`` continues the header ``upper``: text only (no number, no coordinate), some cell under an
    empty one (a name merged across, 坐标 over 经度/纬度) and some cell empty under a name (merged down, 序号)."""
    up, low = _filled(upper), _filled(lower)
    return (
        len(up) >= 2
        and bool(low)
        and not any(_DATA_CELL.search(str(c)) for c in (*upper, *lower) if c)
        and bool(low - up)
        and bool(up - low)
    )


def header_band(rows: list[list[str]], h: int) -> tuple[int, int]:
    """0-based first and last row of the header that row ``h`` belongs to: a header on several rows (merged
    cells, 坐标 over 经度 and 纬度, 序号 merged down) is the rows above the first data row."""
    top, bottom = h, h
    while top > 0 and _stacks_on(rows[top - 1], rows[top]):
        top -= 1
    while bottom + 1 < len(rows) and _stacks_on(rows[bottom], rows[bottom + 1]):
        bottom += 1
    return top, bottom


def header_names(band: list[list[str]]) -> list[str]:
    """One name per column from a header on several rows: the levels joined with ``·`` (坐标·经度), a name
    merged across carried over the columns under it, a name merged down kept alone (序号)."""
    width = max((len(r) for r in band), default=0)
    grid = [[str(r[j]).strip() if j < len(r) else "" for j in range(width)] for r in band]
    for i in range(len(grid) - 1):  # carry a merged name to the right while the row below has names under it
        for j in range(1, width):
            if not grid[i][j] and grid[i][j - 1] and grid[i + 1][j] and grid[i + 1][j - 1]:
                grid[i][j] = grid[i][j - 1]
    names = []
    for j in range(width):
        parts = [row[j] for row in grid if row[j]]
        names.append("·".join(dict.fromkeys(parts)))
    return names


def name_columns(cells: list[str]) -> list[str]:
    names, seen = [], set()
    for j, c in enumerate(cells):
        name = str(c).strip() or f"列{column_letters(j + 1)}"
        base, k = name, 1
        while name in seen:
            k += 1
            name = f"{base}_{k}"
        seen.add(name)
        names.append(name)
    return names


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def header_notes(top: int, bottom: int) -> list[tuple[str, dict]]:
    """What was decided about the header (1-based rows), for the caller to report."""
    if top != bottom:
        return [("note.header_rows", {"top": top, "bottom": bottom})]
    return [("note.header_row", {"row": top})] if top > 1 else []

"""The batch check of a large CSV into a CSV, a chunk at a time: bounded memory, the same bytes as the whole.

Chunks are read one ahead on a thread and, after the first (which decides what later chunks follow), classified
two at a time on worker threads (numpy, GEOS and Arrow release the GIL); they are written in the file's order,
so the result is byte for byte the one a sequential run writes.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import os
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from layout.errors import InputError
from layout.tables.batch import BatchResult, classify_table
from layout.tables.read import iter_csv_chunks, read_ahead
from layout.tables.table import Table
from layout.tables.write import result_csv_parts

CHUNK_BYTES = 8 << 20  # a chunk: about 200,000 rows of a typical point list


@dataclass
class StreamRun:
    """What a chunked run found: the first chunk's table and result (its ``notations`` summed over every
    chunk), the counts, the data rows and the first problem rows (row number, project name, reason)."""

    table: Table
    result: BatchResult
    counts: dict[str, int]
    rows: int
    problems: list[tuple[int, str, str]] = field(default_factory=list)


def classify_csv_stream(
    src: str | os.PathLike,
    out: BinaryIO,
    *,
    lon: str | None = None,
    lat: str | None = None,
    pair: str | None = None,
    header_row: int | None = None,
    crs: str = "auto",
    lang: str = "zh",
    encoding: str = "utf-8-sig",
    problem_limit: int = 20,
    workers: int = 2,
    chunk_bytes: int = CHUNK_BYTES,
) -> StreamRun:
    """Write ``src`` with the batch check's columns to ``out``, chunk by chunk.

    Parameters
    ----------
    lon, lat, pair, crs, lang
        As :func:`layout.tables.batch.classify_table` takes them.
    encoding
        ``utf-8-sig`` or ``input`` (the file's own encoding).
    workers
        Chunks classified at the same time after the first.
    chunk_bytes
        About how much of the file a chunk holds.

    Raises
    ------
    InputError
        As :func:`layout.tables.read.iter_csv_chunks` and :func:`layout.tables.batch.classify_table`.
    """
    counts = {"inside": 0, "outside": 0, "error": 0}
    notations: dict[str, int] = {}
    problems: list[tuple[int, str, str]] = []
    rows = 0

    def work(table: Table, chunk_crs: str, head: bool) -> tuple[Table, BatchResult, Iterator]:
        result = classify_table(table, lon=lon, lat=lat, pair=pair, crs=chunk_crs, lang=lang)
        out_encoding = table.encoding if encoding == "input" else "utf-8-sig"
        return table, result, result_csv_parts(table, result.added, encoding=out_encoding, head=head)

    def emit(table: Table, result: BatchResult, parts: Iterator) -> None:
        nonlocal rows
        for part in parts:
            out.write(part)
        rows += len(table.frame)
        for key, value in result.counts.items():
            counts[key] += value
        for key, value in result.notations.items():
            notations[key] = notations.get(key, 0) + value
        if len(problems) < problem_limit and result.counts["error"]:
            found = result.problem_rows(table.frame, limit=problem_limit - len(problems))
            names = found.iloc[:, 1].tolist() if result.name_column else [""] * len(found)
            problems.extend(zip(found.iloc[:, 0].tolist(), names, found.iloc[:, -1].astype(str).tolist(), strict=True))

    warm = threading.Thread(target=contextvars.copy_context().run, args=(_warm_classifier,), name="warm-classifier")
    warm.start()  # the classifier's grids load while the first chunk is read; joined before any use
    with contextlib.closing(read_ahead(iter_csv_chunks(src, header_row=header_row, chunk_bytes=chunk_bytes))) as chunks:
        try:
            head = next(chunks, None)
        finally:
            warm.join()
        if head is None:
            raise InputError(
                f"{Path(src).name}: the file is empty; it needs a header row and at least one data row",
                code="empty_file",
                name=Path(src).name,
            )
        table, result, parts = work(head, crs, True)
        emit(table, result, parts)
        d = result.decision
        chunk_crs = d.crs if d.code == "crs.gk_cm" and not d.args.get("degrees") else crs  # the first rows' meridian
        # what the run reports of its first chunk, without the chunk's rows (memory for the later chunks)
        first = (
            dataclasses.replace(
                table,
                frame=table.frame.iloc[:0],
                row_numbers=table.row_numbers[:0],
                source=b"",
                records=None,
                lines=None,
            ),
            dataclasses.replace(
                result, added=result.added.iloc[:0], status=result.status[:0], row_numbers=result.row_numbers[:0]
            ),
        )
        del head, table, result, parts
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="classify") as pool:
            pending: deque = deque()
            for table in chunks:  # each in the caller's context: the active plan is a context variable
                pending.append(pool.submit(contextvars.copy_context().run, work, table, chunk_crs, False))
                while len(pending) >= workers:  # at most ``workers`` chunks in hand besides the one read ahead
                    emit(*pending.popleft().result())
            while pending:
                emit(*pending.popleft().result())
    return StreamRun(
        table=first[0],
        result=dataclasses.replace(first[1], notations=notations),
        counts=counts,
        rows=rows,
        problems=[(int(r), str(n), reason) for r, n, reason in problems],
    )


def _warm_classifier() -> None:
    """Build what every large call of the classifier needs whatever the points: the county grid and the city's
    nearest-county grid (memory-mapped from the cache: ~0.02 s). Errors are left to the real call, which raises them."""
    from layout.geo.classify import get_classifier

    with contextlib.suppress(Exception):
        clf = get_classifier()
        _ = clf.grid, clf.nearest_index

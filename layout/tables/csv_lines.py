"""The fast way through a plain CSV: records found at the line ends with numpy and kept as bytes in Arrow.

A CSV text with no quote, no NUL and one kind of line end (LF throughout, or CRLF throughout) has one
record per line, so its split at the line ends is exactly the careful split of
:func:`layout.tables.read.split_records`. Such a text (UTF-8) is cut here without a Python string per
record, and its records go back into the result as the very same bytes. Anything else gets None, and the
caller takes the careful path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CRLF_SCAN = 100_000  # split_records decides CRLF from the text's first 100,000 characters


@dataclass(frozen=True)
class PlainLines:
    """A plain CSV text cut into records.

    ``data`` holds the text with a line end after the last record (added when the file had none);
    record ``i`` is ``data[bounds[i]:bounds[i + 1]]`` with its line end (``newline``) at the end.
    """

    data: bytes
    bounds: np.ndarray  # int64, len = records + 1
    newline: str

    @property
    def count(self) -> int:
        return len(self.bounds) - 1

    def text_of(self, first: int, stop: int) -> str:
        """Records ``first`` … ``stop - 1`` as text, line ends included (raises UnicodeDecodeError)."""
        return self.data[self.bounds[first] : self.bounds[stop]].decode("utf-8")

    def commas(self, first: int) -> np.ndarray:
        """How many commas each record from ``first`` on holds."""
        buf = np.frombuffer(self.data, dtype=np.uint8)
        at = np.flatnonzero(buf == 44)
        return np.diff(np.searchsorted(at, self.bounds[first:]))

    def lengths(self, first: int) -> np.ndarray:
        """Each record's length from ``first`` on, line end excluded."""
        return np.diff(self.bounds[first:]) - len(self.newline)

    def records(self, first: int):
        """Records ``first`` … as an Arrow binary array without their line ends (UTF-8 checked).

        Raises
        ------
        pyarrow.ArrowInvalid
            When the bytes are not UTF-8.
        """
        import pyarrow as pa
        import pyarrow.compute as pc

        offsets = self.bounds[first:]
        large = self.bounds[-1] >= 2**31 - 1
        kind = pa.large_string() if large else pa.string()
        text = pa.Array.from_buffers(
            kind,
            len(offsets) - 1,
            [None, pa.py_buffer(offsets.astype(np.int64 if large else np.int32)), pa.py_buffer(self.data)],
        )
        text.validate(full=True)  # UTF-8 throughout, or ArrowInvalid
        raw = text.cast(pa.large_binary() if large else pa.binary())
        return pc.binary_slice(raw, 0, -len(self.newline)) if len(raw) else raw


def plain_lines(data: bytes, *, newline: str | None = None) -> PlainLines | None:
    """``data`` (UTF-8, BOM removed) cut at its line ends, or None when that cut might not be the careful one.

    Parameters
    ----------
    newline
        The line end the caller expects (a later chunk of a file keeps the first chunk's); None: either.
    """
    if not data or b'"' in data or b"\x00" in data:
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    ends = np.flatnonzero(buf == 10)
    cr = data.count(b"\r")
    if cr:  # CRLF throughout: every \r is followed by \n and every \n preceded by \r
        if cr != len(ends) or data.count(b"\r\n") != cr or ends[0] >= CRLF_SCAN:
            return None
        found = "\r\n"
    else:
        found = "\n"
    if newline is not None and found != newline:
        return None
    if buf[-1] != 10:  # the last record has no line end: give it one, as every record's output gets
        data = data + found.encode()
        ends = np.append(ends, len(data) - 1)
    bounds = np.empty(len(ends) + 1, dtype=np.int64)
    bounds[0] = 0
    bounds[1:] = ends + 1
    return PlainLines(data=data, bounds=bounds, newline=found)

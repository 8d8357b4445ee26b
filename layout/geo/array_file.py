"""One file of named arrays that loads by memory map: a cache format for the built grids.

Layout: an 8-byte magic, an 8-byte little-endian header length, a JSON header (scalars, and per array its
dtype, shape and byte offset), then each array's bytes, C order, at an offset aligned to 64 bytes. Loading
maps the file read-only, so a run touches (and reads from disk or the page cache) only the pages its
points need, and two processes share them. The same bytes ship to Dask workers as one file.
"""

from __future__ import annotations

import json
import mmap
import os
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

MAGIC = b"LAYGRID1"
_ALIGN = 64


def save_arrays(path: Path, scalars: dict[str, float | int], arrays: dict[str, NDArray]) -> None:
    """Write ``scalars`` and ``arrays`` to ``path`` atomically (a temporary file, then a rename)."""
    specs: dict[str, dict] = {}
    at: dict[str, int] = {}
    offset = 0
    for name, array in arrays.items():
        offset = at[name] = -(-offset // _ALIGN) * _ALIGN
        specs[name] = {"dtype": array.dtype.str, "shape": list(array.shape), "offset": offset}
        offset += array.nbytes
    header = json.dumps({"scalars": scalars, "arrays": specs}).encode()
    start = -(-(16 + len(header)) // _ALIGN) * _ALIGN  # data offsets count from here
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(MAGIC + len(header).to_bytes(8, "little") + header)
            for name, array in arrays.items():
                fh.seek(start + at[name])
                fh.write(np.ascontiguousarray(array).data)
            fh.truncate(start + offset)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def load_arrays(path: Path) -> tuple[dict, dict[str, Any]]:
    """The scalars and arrays (views of a private, copy-on-write memory map) of a file :func:`save_arrays` wrote.

    Raises
    ------
    ValueError
        When the file is not such a file or is shorter than its header says.
    OSError
        When it cannot be read.
    """
    with open(path, "rb") as fh:
        head = fh.read(16)
        if len(head) < 16 or head[:8] != MAGIC:
            raise ValueError(f"{path.name}: not a grid cache file")
        header = json.loads(fh.read(int.from_bytes(head[8:], "little")))
        size = os.fstat(fh.fileno()).st_size
        start = -(-(16 + int.from_bytes(head[8:], "little")) // _ALIGN) * _ALIGN
        buffer = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_COPY) if size else bytearray()
    arrays: dict[str, Any] = {}  # numpy arrays (Any: they fill typed dataclass fields)
    for name, spec in header["arrays"].items():
        dtype, shape = np.dtype(spec["dtype"]), tuple(spec["shape"])
        count = int(np.prod(shape, dtype=np.int64))
        at = start + spec["offset"]
        if at + count * dtype.itemsize > size:
            raise ValueError(f"{path.name}: truncated (array {name!r})")
        arrays[name] = np.frombuffer(buffer, dtype=dtype, count=count, offset=at).reshape(shape)
    return header["scalars"], arrays

"""Writing files safely: atomic replacement with ordinary permissions and a ``.bak`` of the previous
version, advisory locks, writability checks, and one-line errors that say how to fix a failed write.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from layout.errors import OutputError

# --------------------------------------------------------------------------------------------
# Atomic writes


def _umask() -> int:
    """The process umask, read without changing it (os.umask is process-wide and not thread-safe)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


_FIXES = {
    errno.EROFS: (
        "the place is read-only",
        "choose a writable folder (CLI: -o PATH)",
        "该位置只读",
        "请换一个可写的文件夹",
    ),
    errno.EACCES: (
        "no permission to write there",
        "choose a folder you can write to (CLI: -o PATH)",
        "没有写入权限",
        "请换一个有写入权限的文件夹",
    ),
    errno.EPERM: (
        "no permission to write there",
        "choose a folder you can write to (CLI: -o PATH)",
        "没有写入权限",
        "请换一个有写入权限的文件夹",
    ),
    errno.ENOSPC: ("the disk is full", "free some space or write elsewhere", "磁盘已满", "请清理空间或写到别处"),
    errno.EDQUOT: (
        "the disk quota is used up",
        "free some space or write elsewhere",
        "磁盘配额已用完",
        "请清理空间或写到别处",
    ),
    errno.EISDIR: (
        "a directory is in the way",
        "give a file name, not a directory",
        "该路径是一个文件夹",
        "请给出文件名而不是文件夹",
    ),
    errno.ENOTDIR: (
        "a part of the path is a file, not a directory",
        "check the path",
        "路径中有一部分是文件而不是文件夹",
        "请检查路径",
    ),
    errno.ENOENT: (
        "the folder does not exist",
        "create it first or check the path",
        "文件夹不存在",
        "请先创建文件夹或检查路径",
    ),
}


def output_error(path: Path, exc: OSError) -> OutputError:
    """One line naming the path, what went wrong and the fix, for an OS error while writing ``path``."""
    what, fix, what_zh, fix_zh = _FIXES.get(
        exc.errno or 0,
        (exc.strerror or str(exc), "choose another place to write", exc.strerror or str(exc), "请换一个位置写入"),
    )
    return OutputError(
        f"cannot write {path}: {what}; {fix}", code="write_failed", path=str(path), what=what_zh, fix=fix_zh
    )


def check_writable(path: str | os.PathLike) -> None:
    """Fail early (before any work) when ``path`` cannot be written: a directory, a missing or read-only folder.

    Raises
    ------
    OutputError
        Naming the path and the fix.
    """
    path = Path(path)
    if path.is_dir():
        raise output_error(path, OSError(errno.EISDIR, "Is a directory"))
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.exists():
        return  # atomic_write creates it (or fails with the reason)
    if not parent.is_dir():
        raise output_error(path, OSError(errno.ENOTDIR, "Not a directory"))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise output_error(path, OSError(errno.EACCES, "Permission denied"))
    if path.exists() and not os.access(path, os.W_OK):
        raise output_error(path, OSError(errno.EACCES, "Permission denied"))


@contextlib.contextmanager
def locked(path: str | os.PathLike, *, timeout_s: float = 30.0) -> Iterator[None]:
    """An exclusive lock on ``path`` for a read-modify-write (a ``.<name>.lock`` file beside it).

    Raises
    ------
    OutputError
        When another process holds the lock for longer than ``timeout_s``.
    """
    path = Path(path)
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
    except OSError as exc:
        raise output_error(lock_path, exc) from None
    try:
        try:
            import fcntl
        except ImportError:  # Windows: no advisory locks; the atomic rename still protects the file
            yield
            return
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputError(
                        f"{path} is being changed by another process; try again when it has finished",
                        code="locked",
                        path=str(path),
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _keep_as(path: Path, target: str) -> None:
    """``path``'s current version at ``target``: a second name for the same file (the rename that follows
    gives ``path`` a new file, so the old one is left untouched), or a copy where links are not possible."""
    os.unlink(target)
    try:
        os.link(path, target)
    except OSError:  # a file system without hard links (FAT, some network shares), or another device
        shutil.copy2(path, target)


def atomic_write(path: str | os.PathLike, writer: Callable[[Path], object], *, backup: bool = True) -> Path:
    """Write ``path`` through ``writer(temp_path)``, then rename into place.

    The temporary file sits beside the target (``.<name>.<random>.tmp``, git-ignored); the result gets
    the existing file's permissions, else the ones the umask gives a new file (not mkstemp's 0600).
    With ``backup`` the previous version is kept as ``<name>.bak`` (itself replaced atomically).

    Raises
    ------
    OutputError
        For any OS error (read-only place, full disk, a directory in the way), naming the path and the fix.
    """
    path = Path(path)
    if path.is_dir():
        raise output_error(path, OSError(errno.EISDIR, "Is a directory"))
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = (path.stat().st_mode & 0o7777) if path.exists() else (0o666 & ~_umask())
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        writer(Path(tmp))
        os.chmod(tmp, mode)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        if backup and path.exists():
            fd_b, bak_tmp = tempfile.mkstemp(prefix=f".{path.name}.bak.", suffix=".tmp", dir=path.parent)
            os.close(fd_b)
            try:
                _keep_as(path, bak_tmp)
                os.replace(bak_tmp, path.with_name(path.name + ".bak"))
            finally:
                if os.path.exists(bak_tmp):
                    os.unlink(bak_tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise output_error(path, exc) from None
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
    return path

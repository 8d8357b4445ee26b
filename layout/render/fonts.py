"""The CJK font every static output uses: Noto Sans CJK SC from the PyPI package ``mplfonts``, by path
(no system font needed), matplotlib's rcParams for it, and the lock that keeps two sessions' rcParams apart.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

from matplotlib import font_manager

from layout.errors import LayoutError

FONT_FILE = "NotoSansCJKsc-Regular.otf"


RENDER_LOCK = threading.RLock()


# --------------------------------------------------------------------------------------------
# Font


@cache
def cjk_font_path() -> Path:
    """The Noto Sans CJK SC file shipped by the ``mplfonts`` package: every print map and deck image uses it.

    Raises
    ------
    LayoutError
        When ``mplfonts`` (or its font file) is missing.
    """
    try:
        from mplfonts.conf import FONT_DIR
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise LayoutError("static maps need the CJK font of mplfonts: pip install mplfonts") from exc
    path = Path(FONT_DIR) / FONT_FILE
    if not path.exists():  # pragma: no cover - a broken install
        raise LayoutError(f"{path} is missing: reinstall mplfonts (pip install --force-reinstall mplfonts)")
    return path


@cache
def register_cjk_font() -> str:
    """Make the shipped CJK font the only file matplotlib knows under its family name; return that name.

    A family name alone is ambiguous: Debian's ``fonts-noto-cjk`` registers "Noto Sans CJK SC" from its own
    .ttc, and matplotlib picks whichever file its font cache listed first. Dropping the other files of this
    family makes every machine draw (and every PDF embed) the same file, whatever fonts or cache it has.
    """
    path = cjk_font_path()
    manager = font_manager.fontManager
    name = font_manager.FontProperties(fname=str(path)).get_name()
    manager.ttflist = [entry for entry in manager.ttflist if entry.name != name]
    manager.addfont(str(path))  # also clears matplotlib's look-up cache
    return name


def font_rc() -> dict:
    """rcParams for drawing with the CJK font; PDFs embed it as TrueType/CFF (Type 42), text stays text."""
    return {
        "font.family": [register_cjk_font()],
        "axes.unicode_minus": False,
        "pdf.fonttype": 42,
        "svg.fonttype": "none",
        "hatch.linewidth": 0.8,
    }

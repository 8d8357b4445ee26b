"""A print map's furniture: the scale bar and the north arrow, measured after drawing and kept inside
the frame in a corner free of the map's content.
"""

from __future__ import annotations

import math

import shapely
import shapely.affinity
from matplotlib.patches import Polygon, Rectangle

from layout.i18n import t
from layout.render.placement import Box
from layout.render.printmap_plan import FRAME_INSET_PT, INK, grid_north_angle, nice_length
from layout.render.shapes import halo


def _corner_box(extent, corner: str, w: float = 0.24, h: float = 0.16):
    xmin, xmax, ymin, ymax = extent
    dx, dy = (xmax - xmin), (ymax - ymin)
    x0 = xmin if "left" in corner else xmax - w * dx
    y0 = ymin if "lower" in corner else ymax - h * dy
    return shapely.box(x0, y0, x0 + w * dx, y0 + h * dy)


def free_corner(extent, busy, corners: tuple[str, ...]) -> str:
    """The corner among ``corners`` whose box overlaps ``busy`` (the scope and the arrows) least."""
    return min(corners, key=lambda c: _corner_box(extent, c).intersection(busy).area)


def _shift(artists: list, dx: float, dy: float) -> None:
    """Move rectangles, polygons and texts by ``dx, dy`` data units."""
    for a in artists:
        if isinstance(a, Rectangle):
            a.set_xy((a.get_x() + dx, a.get_y() + dy))
        elif isinstance(a, Polygon):
            a.set_xy(a.get_xy() + (dx, dy))
        else:
            x, y = a.get_position()
            a.set_position((x + dx, y + dy))


def _extent(artists: list, renderer) -> Box:
    boxes = [a.get_window_extent(renderer) for a in artists]
    return Box(min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes), max(b.y1 for b in boxes))


def _to_corner(ax, artists: list, renderer, corner: str, *, inset_pt: float, pad_pt: float = 0.0) -> Box:
    """Move a group of artists so its extent (grown by ``pad_pt``) sits ``inset_pt`` inside the frame's
    ``corner``; returns the grown extent in display units."""
    px = ax.figure.dpi / 72
    frame = Box.of(ax.get_window_extent(renderer))
    box = _extent(artists, renderer)
    pad, inset = pad_pt * px, inset_pt * px
    dx = (frame.x0 + inset - (box.x0 - pad)) if "left" in corner else (frame.x1 - inset - (box.x1 + pad))
    dy = (frame.y0 + inset - (box.y0 - pad)) if "lower" in corner else (frame.y1 - inset - (box.y1 + pad))
    (xmin, xmax), (ymin, ymax) = ax.get_xlim(), ax.get_ylim()
    scale_x, scale_y = (xmax - xmin) / frame.width, (ymax - ymin) / frame.height
    _shift(artists, dx * scale_x, dy * scale_y)
    return Box(box.x0 - pad + dx, box.y0 - pad + dy, box.x1 + pad + dx, box.y1 + pad + dy)


def draw_scale_bar(ax, extent, lang: str, renderer, *, corner: str = "lower left") -> Box:
    """A scale bar with its numbers and unit on a white box, the whole group measured and kept inside
    the frame; returns the box (display units)."""
    xmin, xmax, ymin, ymax = extent
    length = nice_length((xmax - xmin) * 0.2)
    x0, y0 = xmin, ymin  # drawn here, then moved into the corner
    h = 0.009 * (ymax - ymin)
    artists: list = []
    for i in range(4):
        artists.append(
            ax.add_patch(
                Rectangle(
                    (x0 + i * length / 4, y0),
                    length / 4,
                    h,
                    edgecolor=INK,
                    facecolor=INK if i % 2 == 0 else "white",
                    linewidth=0.7,
                    zorder=20,
                    gid="scale-bar",
                )
            )
        )
    km = length / 1000
    for frac in (0, 0.5, 1):
        artists.append(
            ax.text(
                x0 + frac * length,
                y0 + 1.8 * h,
                f"{km * frac:g}",
                ha="center",
                va="bottom",
                fontsize=8,
                color=INK,
                zorder=20,
                path_effects=halo(2),
                gid="scale-bar",
            )
        )
    artists.append(
        ax.text(
            x0 + length + 0.012 * (xmax - xmin),
            y0 + h / 2,
            t("print.km", lang),
            ha="left",
            va="center",
            fontsize=8,
            color=INK,
            zorder=20,
            path_effects=halo(2),
            gid="scale-bar",
        )
    )
    box = _to_corner(ax, artists, renderer, corner, inset_pt=FRAME_INSET_PT, pad_pt=5)
    (bx0, by0), (bx1, by1) = ax.transData.inverted().transform([(box.x0, box.y0), (box.x1, box.y1)])
    ax.add_patch(
        Rectangle(
            (bx0, by0), bx1 - bx0, by1 - by0, facecolor=(1, 1, 1, 0.8), edgecolor="none", zorder=19.5, gid="scale-bar"
        )
    )
    return box


def draw_north_arrow(ax, extent, lang: str, renderer, *, corner: str = "upper right") -> Box:
    """A north arrow along true north with its letter, kept inside the frame; returns its extent."""
    xmin, xmax, ymin, ymax = extent
    angle = math.radians(grid_north_angle((xmin + xmax) / 2, (ymin + ymax) / 2))
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2  # drawn here, then moved into the corner
    size = 0.05 * (ymax - ymin)

    def rot(dx: float, dy: float) -> tuple[float, float]:
        return (cx + dx * math.cos(angle) - dy * math.sin(angle), cy + dx * math.sin(angle) + dy * math.cos(angle))

    tip, tail = rot(0, size), rot(0, -0.25 * size)
    left, right = rot(-0.38 * size, -0.55 * size), rot(0.38 * size, -0.55 * size)
    artists = [
        ax.add_patch(
            Polygon(
                [tip, left, tail],
                closed=True,
                facecolor="white",
                edgecolor=INK,
                linewidth=0.9,
                zorder=20,
                gid="north-arrow",
            )
        ),
        ax.add_patch(
            Polygon(
                [tip, tail, right],
                closed=True,
                facecolor=INK,
                edgecolor=INK,
                linewidth=0.9,
                zorder=20,
                gid="north-arrow",
            )
        ),
    ]
    lx, ly = rot(0, size * 1.45)
    artists.append(
        ax.text(
            lx,
            ly,
            t("print.north", lang),
            ha="center",
            va="center",
            fontsize=11,
            color=INK,
            zorder=20,
            path_effects=halo(2),
            gid="north-arrow",
        )
    )
    return _to_corner(ax, artists, renderer, corner, inset_pt=FRAME_INSET_PT + 4, pad_pt=2)

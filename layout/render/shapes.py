"""matplotlib primitives for the static maps: a shapely (multi)polygon as one patch with its holes,
and the white halo behind map text.
"""

from __future__ import annotations

import numpy as np
from matplotlib import patheffects
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath


def halo(width: float = 2.5) -> list:
    return [patheffects.withStroke(linewidth=width, foreground="white")]


def geometry_patch(geom, **kwargs) -> PathPatch | None:
    """One PathPatch for a (multi)polygon, holes included."""
    polys = [g for g in getattr(geom, "geoms", [geom]) if not g.is_empty and g.geom_type == "Polygon"]
    if not polys:
        return None
    verts, codes = [], []
    for poly in polys:
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            verts.append(xy)
            codes.append(np.r_[MplPath.MOVETO, np.full(len(xy) - 2, MplPath.LINETO), MplPath.CLOSEPOLY])
    return PathPatch(MplPath(np.concatenate(verts), np.concatenate(codes)), **kwargs)


def add_geometry(ax, geom, **kwargs) -> None:
    patch = geometry_patch(geom, **kwargs)
    if patch is not None:
        ax.add_patch(patch)

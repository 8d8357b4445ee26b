"""County boundaries as segments in EPSG:4546 (Gauss-Krüger, CM 111°E), point-to-segment distances, and
the correction that turns a planar distance into the geodesic length (the projection's mean scale along
the line). See :mod:`layout.geo.nearest` for how they are used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Geod

from layout.geo.crs import to_metric

FALSE_EASTING = 500_000.0
GEOD = Geod(ellps="WGS84")
_A, _E2 = 6378137.0, 0.00669438002290  # GRS80 (EPSG:4546's ellipsoid)
SAFE_REL = 2e-3  # relative slack for the geodesic-vs-planar difference in the filters (≥ 3× the worst)

# --------------------------------------------------------------------------------------------
# Segments


@dataclass
class Segments:
    """County boundary segments: EPSG:4546 start, vector and wedge at the end vertex; WGS84 ends."""

    ax: NDArray[np.float64]
    ay: NDArray[np.float64]
    dx: NDArray[np.float64]
    dy: NDArray[np.float64]
    inv_len2: NDArray[np.float64]
    owner: NDArray[np.int8]  # county index
    bis_x: NDArray[np.float64]  # unit bisector of the end vertex's normal wedge
    bis_y: NDArray[np.float64]
    half: NDArray[np.float64]  # the wedge's half angle (radians)
    lon_a: NDArray[np.float64]
    lat_a: NDArray[np.float64]
    lon_b: NDArray[np.float64]
    lat_b: NDArray[np.float64]
    length_m: NDArray[np.float64]  # geodesic length
    vert_lon: NDArray[np.float64]  # ring vertices (WGS84) and each segment's two
    vert_lat: NDArray[np.float64]
    va: NDArray[np.intp]
    vb: NDArray[np.intp]

    @property
    def tree(self) -> shapely.STRtree:
        """An STRtree over the segments in the plane, built on first use (the grid queries need none)."""
        tree = self.__dict__.get("_tree")
        if tree is None:
            ends = np.stack([np.c_[self.ax, self.ay], np.c_[self.ax + self.dx, self.ay + self.dy]], axis=1)
            tree = self.__dict__["_tree"] = shapely.STRtree(shapely.linestrings(ends))
        return tree


def build_segments(geoms: NDArray[np.object_], *, project=to_metric) -> Segments:
    """The boundary segments of WGS84 polygons ``geoms`` (repeated vertices dropped), in the plane of
    ``project`` (EPSG:4546 by default; :mod:`layout.geo.nearest_far` passes an azimuthal equidistant one)."""
    rings, owner = shapely.get_parts(shapely.boundary(geoms), return_index=True)
    lonlat, ring = shapely.get_coordinates(rings, return_index=True)
    keep = np.ones(len(ring), dtype=bool)
    keep[1:] = ~((ring[1:] == ring[:-1]) & np.all(lonlat[1:] == lonlat[:-1], axis=1))
    lonlat, ring = lonlat[keep], ring[keep]
    start = np.flatnonzero(ring[:-1] == ring[1:])  # segment k runs from vertex start[k] to start[k] + 1
    seg_ring = ring[start]
    first = np.full(ring.max() + 1, -1)
    first[seg_ring[::-1]] = np.arange(len(start))[::-1]
    nxt = np.arange(1, len(start) + 1)
    last = np.r_[seg_ring[1:] != seg_ring[:-1], True]
    nxt[last] = first[seg_ring[last]]  # rings are closed: the last segment continues with the first
    x, y = project(lonlat[:, 0], lonlat[:, 1])
    if project is to_metric and np.abs(x - FALSE_EASTING).max() > SEG_EASTING:
        raise ValueError("county boundaries reach beyond the eastings the scale bounds assume")
    ax, ay = x[start], y[start]
    dx, dy = x[start + 1] - ax, y[start + 1] - ay
    norm = np.hypot(dx, dy)
    ux, uy = dx / norm, dy / norm
    vx, vy = ux[nxt], uy[nxt]
    turn = np.arctan2(ux * vy - uy * vx, ux * vx + uy * vy)
    # The directions d from the end vertex with d·u >= 0 and d·v <= 0 form a wedge of angle |turn| on
    # the convex side: centred at angle(u) + turn/2 - pi/2 for a left turn, + pi/2 for a right one.
    angle = np.arctan2(uy, ux) + turn / 2 + np.where(turn >= 0, -np.pi / 2, np.pi / 2)
    lon_a, lat_a = lonlat[start, 0], lonlat[start, 1]
    lon_b, lat_b = lonlat[start + 1, 0], lonlat[start + 1, 1]
    return Segments(
        ax=ax,
        ay=ay,
        dx=dx,
        dy=dy,
        inv_len2=1.0 / (norm * norm),
        owner=owner[seg_ring].astype(np.int8),
        bis_x=np.cos(angle),
        bis_y=np.sin(angle),
        half=np.abs(turn) / 2,
        lon_a=lon_a,
        lat_a=lat_a,
        lon_b=lon_b,
        lat_b=lat_b,
        length_m=GEOD.inv(lon_a, lat_a, lon_b, lat_b)[2],
        vert_lon=lonlat[:, 0],
        vert_lat=lonlat[:, 1],
        va=start,
        vb=start + 1,
    )


def planar_nearest(seg: Segments, s: NDArray[np.intp], px: NDArray, py: NDArray) -> tuple[NDArray, NDArray, NDArray]:
    """Planar distance from points to segments ``s`` (pairwise), and the nearest points."""
    ax, ay, dx, dy = seg.ax.take(s), seg.ay.take(s), seg.dx.take(s), seg.dy.take(s)  # take: faster than []
    t = np.clip(((px - ax) * dx + (py - ay) * dy) * seg.inv_len2.take(s), 0.0, 1.0)
    qx, qy = ax + t * dx, ay + t * dy
    return np.hypot(px - qx, py - qy), qx, qy


def _inv_rho_nu(lat_deg: NDArray[np.float64] | float) -> NDArray[np.float64]:
    """1/(ρν), the Gaussian curvature, at geodetic latitude ``lat_deg`` (GRS80)."""
    w = 1.0 - _E2 * np.sin(np.radians(lat_deg)) ** 2
    return w * w / (_A * _A * (1.0 - _E2))


LAT_MID = 28.75  # 益阳's middle latitude
RHO_NU_MID = float(_inv_rho_nu(LAT_MID))
RHO_NU_SLOPE = float(_inv_rho_nu(LAT_MID + 0.5) - _inv_rho_nu(LAT_MID - 0.5))  # per degree
SEG_EASTING = 250_000.0  # every boundary vertex lies within this of the central meridian (checked below)


Y_MID, M_PER_DEG = 3181560.897, 110_832.4  # EPSG:4546 northing of 28.75°N on 111°E, metres per degree


def mid_lat(lat_deg: NDArray, qy: NDArray) -> NDArray:
    """The latitude halfway along a line from a point at ``lat_deg`` to a boundary point at northing
    ``qy`` (to ~0.01°: the boundary lies within 1° of 28.75°N)."""
    return 0.5 * (lat_deg + LAT_MID + (qy - Y_MID) * (1.0 / M_PER_DEG))


def line_scale(x1: NDArray, x2: NDArray, lat_deg: NDArray) -> NDArray[np.float64]:
    """Mean EPSG:4546 scale factor along the straight line between eastings ``x1`` and ``x2`` (metres),
    at latitude ``lat_deg``: the ratio of the planar to the geodesic length."""
    u, v = x1 - FALSE_EASTING, x2 - FALSE_EASTING
    c = RHO_NU_MID + RHO_NU_SLOPE * (lat_deg - LAT_MID)  # linear in latitude: 1e-6 of the term
    u2, v2, uv = u * u, v * v, u * v
    m2 = (u2 + uv + v2) * (1.0 / 3.0)
    m4 = (u2 * (u2 + uv + v2) + v2 * (uv + v2)) * (1.0 / 5.0)
    return 1.0 + c * (0.5 * m2 + (c / 24.0) * m4)

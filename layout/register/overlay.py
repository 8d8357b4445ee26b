"""The catalog as the register knows it: a register site replaces the plan's point (and the county and
zone columns are recomputed); every project gets its status on the date. The catalog file is never changed.
"""

from __future__ import annotations

import pandas as pd

# --------------------------------------------------------------------------------------------
# The catalog as the register knows it


def overlay_register(catalog: pd.DataFrame, state: pd.DataFrame) -> pd.DataFrame:
    """The catalog with the register's knowledge: a register site replaces the plan's point.

    Rows with a register site get its lon/lat, precision ``site``, ``geocode_source`` = the site's source
    and recomputed county/zone columns. Every row gets ``status`` (id or "") and ``status_as_of``.
    The catalog itself (``projects_catalog.csv``) is never changed.
    """
    import geopandas as gpd
    import shapely

    from layout.catalog.projects import attach_zones

    out = catalog.copy()
    ids = out["id"].astype(str)
    status = state["status"].to_dict() if "status" in state else {}
    as_of = state["last_as_of"].to_dict() if "last_as_of" in state else {}
    out["status"] = [str(status.get(i, "") or "") for i in ids]
    out["status_as_of"] = pd.Series([as_of.get(i) for i in ids], index=out.index, dtype=object)
    has_site = state.index[state["site_lon"].notna() & state["site_lat"].notna()] if len(state) else []
    rows = ids.isin(has_site).to_numpy()
    if not rows.any():
        return out
    lon = ids[rows].map(state["site_lon"]).to_numpy(float)
    lat = ids[rows].map(state["site_lat"]).to_numpy(float)
    for col in ("lon", "lat"):
        out[col] = out[col].astype("float64")
    out.loc[rows, "lon"], out.loc[rows, "lat"] = lon, lat
    out["precision"] = out["precision"].astype(object)
    out.loc[rows, "precision"] = "site"
    if "geocode_source" in out:
        out["geocode_source"] = out["geocode_source"].astype(object)
        out.loc[rows, "geocode_source"] = ids[rows].map(state["site_source"]).to_numpy()
    if isinstance(out, gpd.GeoDataFrame):
        geoms = out.geometry.to_numpy().copy()
        geoms[rows] = shapely.points(lon, lat)
        out = out.set_geometry(gpd.GeoSeries(geoms, index=out.index, crs=out.crs))
        return attach_zones(out)
    return out

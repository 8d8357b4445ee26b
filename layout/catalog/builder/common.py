"""What the build steps share: files inside the installed source packages, and geometry rounded and
written as deterministic RFC 7946 GeoJSON."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from layout.errors import LayoutError
from layout.geo.boundaries import DECIMALS


def package_file(package: str, name: str, *, needed_for: str) -> Path:
    """The file ``name`` shipped inside the installed distribution ``package`` (a build-time extra)."""
    try:
        files = importlib.metadata.distribution(package).files or []
    except importlib.metadata.PackageNotFoundError as exc:
        raise LayoutError(f"building {needed_for} needs {package}: pip install -e '.[geodata]'") from exc
    for file in files:
        if file.name == name:
            return Path(file.locate())
    raise LayoutError(f"{package} has no {name}; reinstall it: pip install -e '.[geodata]'")


def round_rfc7946(geoms: np.ndarray) -> np.ndarray:
    """Round to 6 decimals, repair anything rounding broke, orient exterior rings counter-clockwise."""
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, DECIMALS))
    geoms = np.array([g if g.is_valid else shapely.make_valid(g, method="structure") for g in geoms])
    return shapely.orient_polygons(geoms, exterior_cw=False)


def write_geojson(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Deterministic RFC 7946 GeoJSON: one feature per line so diffs stay readable."""
    geoms = gdf.geometry.to_numpy()
    props = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    features = []
    for i, geom in enumerate(geoms):
        record = {k: (v.item() if isinstance(v, np.generic) else v) for k, v in props.iloc[i].items()}
        geometry = json.loads(shapely.to_geojson(geom))
        features.append(
            json.dumps(
                {"type": "Feature", "properties": record, "geometry": geometry},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )
    path.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(features) + "\n]}\n", encoding="utf-8")

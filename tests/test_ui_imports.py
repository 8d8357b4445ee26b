"""The Streamlit scripts are run, never imported: library logic is reached through layout/, not app.py."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = {"app", "pages"}  # app.py and pages/*.py are Streamlit scripts: importing one runs its page


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module ``path`` imports, at any depth (inside functions too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_test_imports_a_streamlit_script():
    offenders = {p.name: sorted(imported_modules(p) & SCRIPTS) for p in sorted((ROOT / "tests").glob("*.py"))}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from app import result_file\n    import pages.x\n", encoding="utf-8")
    assert imported_modules(probe) & SCRIPTS == {"app", "pages"}

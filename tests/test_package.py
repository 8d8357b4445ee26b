"""Package-level rules: the library never imports streamlit; the plan text shipped is the seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from layout.plan.text import PLAN_FILE, quote_in_plan, sentences_naming


def test_import_layout_pulls_in_no_streamlit():
    code = (
        "import sys, pkgutil, importlib, layout\n"
        "for m in pkgutil.iter_modules(layout.__path__):\n"
        "    importlib.import_module('layout.' + m.name)\n"
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


SEED = ROOT.parent / "shared" / "seed" / "000_4d368642f29e8689.txt"


@pytest.mark.skipif(not SEED.exists(), reason="the seed folder ../shared is not beside this clone")
def test_shipped_plan_is_the_seed():
    assert PLAN_FILE.read_bytes() == SEED.read_bytes()


def test_quotes_ignore_page_break_whitespace():
    assert quote_in_plan("打造中国茶旅文康融合绿色发展样板")  # broken by a page break in the source
    assert not quote_in_plan("打造中国茶旅文康融合绿色发展新样板")
    assert not quote_in_plan("   ")


def test_sentences_naming_a_county_are_whole_sentences():
    sentences = sentences_naming("大通湖")
    assert any(s.startswith("集结资阳特种养殖") and s.endswith("。") for s in sentences)
    assert all("大通湖" in s for s in sentences)


@pytest.mark.slow
def test_wheel_works_from_any_folder(tmp_path):
    """A built wheel carries the boundaries, the catalog and the plan: `where`, `classify` and `evaluate` run
    from a folder far from the checkout, and writable data goes to the data folder, not into the package."""
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("LAYOUT_REGISTER", "PYTHONPATH")}
    env |= {"PYTHONPATH": str(target), "LAYOUT_DATA_DIR": str(tmp_path / "data")}

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "layout", *args], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run(
        [sys.executable, "-c", "import layout; print(layout.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(target)  # the installed copy, not this checkout
    assert json.loads(run("where", "112.35", "28.58"))["county"] == "赫山区"
    (elsewhere / "p.csv").write_text("name,lon,lat\nA,112.35,28.58\nB,111.2,28.4\n", encoding="utf-8")
    run("classify", "p.csv", "-o", "out.csv")
    rows = (elsewhere / "out.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [r.split(",")[3] for r in rows[1:]] == ["赫山区", "安化县"]
    run("evaluate", "--format", "xlsx", "-o", "e.xlsx")
    assert (elsewhere / "e.xlsx").stat().st_size > 10_000
    assert not any(target.glob("data")) and not (target / "layout" / "_data" / "register.sqlite").exists()

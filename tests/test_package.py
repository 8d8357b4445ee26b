"""Package-level rules: the library never imports streamlit; the plan text shipped is the seed."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from layout.plan import PLAN_FILE, quote_in_plan, sentences_naming


def test_import_layout_pulls_in_no_streamlit():
    code = ("import sys, pkgutil, importlib, layout\n"
            "for m in pkgutil.iter_modules(layout.__path__):\n"
            "    importlib.import_module('layout.' + m.name)\n"
            "print('streamlit' in sys.modules)")
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

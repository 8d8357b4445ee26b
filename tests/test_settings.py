"""Every environment setting is defined and documented once, in layout.settings."""

from __future__ import annotations

import re

from conftest import ROOT

from layout import settings

ENV_NAMES = [getattr(settings, name) for name in dir(settings) if name.endswith("_ENV")]


def test_every_setting_is_documented_in_the_settings_module():
    assert len(ENV_NAMES) >= 7
    for name in ENV_NAMES:
        assert f"``{name}``" in settings.__doc__, f"{name} is not documented in layout/settings.py"


def test_only_the_settings_module_reads_the_environment():
    readers = []
    for path in [*ROOT.glob("layout/**/*.py"), ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]:
        if path.name == "settings.py":
            continue
        text = path.read_text(encoding="utf-8")
        readers += [f"{path.relative_to(ROOT)}:{m.group(0)}" for m in re.finditer(r"os\.environ\.get|os\.getenv", text)]
    assert readers == []


def test_a_checkout_keeps_writable_data_in_its_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(settings.DATA_ENV, raising=False)
    assert settings.is_checkout() and settings.data_dir() == ROOT / "data"
    monkeypatch.setenv(settings.DATA_ENV, str(tmp_path))
    assert settings.data_dir() == tmp_path
    assert settings.GEODATA_DIR == ROOT / "geodata" and settings.CATALOG_PATH == ROOT / "projects_catalog.csv"

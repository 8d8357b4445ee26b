"""Demo data never mixes with real data: a demo register refuses real reports and a real one refuses demo
reports; every page showing a demo register's statuses says 演示数据."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from layout.errors import InputError
from layout.i18n import error_text
from layout.register.demo import DEMO_BY, DEMO_KEY, DEMO_SOURCE, is_demo_path
from layout.register.events import Register

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


def demo_register(path: Path, catalog) -> Register:
    """A register marked as a demo register (as layout.register.demo.fill_demo marks it) with one demo report."""
    reg = Register(path, catalog=catalog)
    with reg.store.transaction() as conn:
        reg.store.write_meta(conn, DEMO_KEY, DEMO_SOURCE)
    reg.record("P008", {"status": "building"}, by=DEMO_BY, source=DEMO_SOURCE, as_of=D(2024, 6, 30))
    return reg


def test_a_demo_register_refuses_real_reports(tmp_path, catalog):
    reg = demo_register(tmp_path / "demo.sqlite", catalog)
    with pytest.raises(InputError, match="demo.sqlite is a demo register") as refused:
        reg.record("P009", {"status": "building"}, by="张三", as_of=D(2024, 6, 30))
    assert error_text(refused.value, "zh").startswith("台账 demo.sqlite 是演示台账（演示数据），不能写入真实报送")
    with pytest.raises(InputError, match="real reports go into the real register"):
        reg.record("indicator:tourism_revenue", {"actual_value": 600.0}, by="统计员", as_of=D(2025, 3, 31))
    assert len(reg.events()) == 1  # nothing written


def test_a_real_register_refuses_demo_reports(tmp_path, catalog):
    reg = Register(tmp_path / "real.sqlite", catalog=catalog)
    reg.record("P009", {"status": "building"}, by="张三", as_of=D(2024, 6, 30))
    with pytest.raises(InputError, match="real.sqlite is not a demo register") as refused:
        reg.record("P008", {"status": "building"}, by=DEMO_BY, as_of=D(2024, 6, 30))
    assert "不是演示台账，不能写入演示数据" in error_text(refused.value, "zh")
    assert not is_demo_path(reg.path) and not is_demo_path(tmp_path / "missing.sqlite")


@pytest.mark.parametrize("page", ["app.py", "pages/3_项目台账.py"])
def test_pages_on_a_demo_register_say_demo_data(tmp_path, catalog, monkeypatch, page):
    path = tmp_path / "demo.sqlite"
    demo_register(path, catalog)
    monkeypatch.setenv("LAYOUT_REGISTER", str(path))
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("演示数据" in w.value for w in at.warning)


def test_pages_on_a_real_register_carry_no_demo_mark(tmp_path, catalog, monkeypatch):
    path = tmp_path / "real.sqlite"
    Register(path, catalog=catalog).record("P009", {"status": "building"}, by="张三", as_of=D(2024, 6, 30))
    monkeypatch.setenv("LAYOUT_REGISTER", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception and not any("演示数据" in w.value for w in at.warning)


def test_the_stored_demo_source_is_shown_in_the_readers_language(tmp_path, catalog, cli):
    """DEMO_SOURCE and DEMO_BY stay stored as written; history shows them in the reader's language (issue 21)."""
    from lang_check import stray_chinese, stray_english

    reg = demo_register(tmp_path / "demo.sqlite", catalog)
    assert reg.events()["source"].tolist() == [DEMO_SOURCE] and reg.events()["by"].tolist() == [DEMO_BY]
    zh = cli("register", "--register", reg.path, "history").output
    assert "  演示数据 记录于 " in zh and "来源：演示数据（合成，非真实进展）" in zh and "demo" not in zh.lower()
    assert stray_english(zh) == []
    en = cli("register", "--register", reg.path, "history", "--lang", "en").output
    assert "  by Demo data at " in en and "source: Demo data (synthetic, not real progress)" in en
    assert stray_chinese(en) == [], en

"""The evaluation reports printed as a county office prints them: XLSX and PPTX through LibreOffice, the
PDF as written. A4 landscape, type ≥ 8 pt on paper, headers whole, English words never broken, English
footers in English, the status map filling its slide."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from office_reader import as_pdf, needs_libreoffice
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader

from layout.catalog.projects import load_catalog
from layout.evaluation.figures import STATUS_ORDER, status_label
from layout.evaluation.files import report_bytes
from layout.evaluation.report import GROUP_FIGURES, header, make_report
from layout.register.events import Register

D = dt.date
A4_LANDSCAPE = (842, 595)  # points
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    catalog = load_catalog()
    reg = Register(tmp_path_factory.mktemp("print") / "register.sqlite", catalog=catalog)
    ids = catalog["id"].astype(str).to_list()
    statuses = ["not_started", "preparing", "building", "completed", "operating", "suspended", "cancelled"]
    reg.record_many(
        [
            (pid, {"status": s, "invest_planned": 1_442_400.0 / 7})
            for pid, s in zip(ids[::9], statuses * 3, strict=False)
        ],
        by="测试",
        as_of=D(2024, 6, 30),
    )
    return reg, catalog


def city_report(register, lang: str):
    reg, catalog = register
    return make_report(reg, catalog, scope="city", as_of=D(2025, 6, 30), compare_to=D(2023, 12, 31), lang=lang)


@pytest.fixture(scope="module")
def report_en(register):
    return city_report(register, "en")


def sizes_and_text(pdf: PdfReader) -> tuple[list[float], str]:
    """Every piece of text's size on paper (pt) and the whole text."""
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.append(size * abs(tm[3]) * abs(cm[3]))

    text = "\n".join(page.extract_text(visitor_text=visit) for page in pdf.pages)
    return sizes, text


def assert_a4_landscape(pdf: PdfReader) -> None:
    for page in pdf.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - A4_LANDSCAPE[0]) < 3 and abs(h - A4_LANDSCAPE[1]) < 3, (w, h)


def header_words() -> set[str]:
    """The English words of the group tables' headers."""
    return {w for c in GROUP_FIGURES for w in header(c, "en").split() if w.isalpha() and len(w) > 3}


def assert_words_whole(text: str, words: set[str]) -> None:
    tokens = set(re.findall(r"[A-Za-z]+", text))
    missing = {w for w in words if w not in tokens}
    assert not missing, f"header words broken or missing: {missing}"


@needs_libreoffice
def test_workbook_prints_legibly_with_whole_headers(tmp_path, report_en):
    pdf = as_pdf(report_bytes(report_en, "xlsx", lang="en"), "report.xlsx", tmp_path)
    assert_a4_landscape(pdf)
    sizes, text = sizes_and_text(pdf)
    assert min(sizes) >= 7.95, min(sizes)  # 11 pt at the 75 % floor is 8.25 pt
    flat = " ".join(text.split())
    for label in (
        "Started (under construction or later)",
        "Completed (incl. in operation)",
        "Projects with investment figures",
        "Share completed of all",
    ):
        assert label in flat, label  # summary labels are not clipped
    assert_words_whole(text, header_words() | {status_label(s, "en").split()[-1] for s in STATUS_ORDER})


@needs_libreoffice
def test_deck_prints_legibly_in_english(tmp_path, report_en):
    data = report_bytes(report_en, "pptx", lang="en")
    pdf = as_pdf(data, "deck.pptx", tmp_path)
    sizes, text = sizes_and_text(pdf)
    assert min(sizes) >= 7.95, min(sizes)
    assert_words_whole(text, header_words() | {"construction", "Suspended", "Cancelled", "Preparing"})
    assert not re.search(r"\d{4}-\s*\n\s*\d{2}-\d{2}", text)  # a date is never cut at its hyphen
    prs = Presentation(io.BytesIO(data))
    footers = [s.text_frame.text for slide in prs.slides for s in slide.shapes if s.name == "footer"]
    assert footers and not any(CJK.search(f) for f in footers), footers[0]
    pic = next(s for slide in prs.slides for s in slide.shapes if s.name == "status_map")
    assert pic.width >= Inches(12) and pic.top + pic.height <= Inches(7.0)


def test_pdf_is_a4_landscape_with_type_of_8_pt_or_more(report_en):
    pdf = PdfReader(io.BytesIO(report_bytes(report_en, "pdf", lang="en")))
    assert_a4_landscape(pdf)
    sizes, text = sizes_and_text(pdf)
    assert min(sizes) >= 7.95, min(sizes)
    assert_words_whole(text, header_words())
    assert "Under construction" in " ".join(text.split()) or "construction" in text
    assert "服务业发展规划" not in text  # English footers name the plan in English


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_table_text_fits_its_cells_inside_the_margins(register, lang):
    """Drawn as saved: every cell's text lies inside its cell, every table inside the page's margins."""
    import matplotlib

    from layout.evaluation.pdf import pdf_pages
    from layout.render.fonts import font_rc

    report = city_report(register, lang)
    checked = 0
    with matplotlib.rc_context(font_rc()):
        for fig in pdf_pages(report, lang=lang)[1:]:  # after the status map (the print map's own layout)
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            page = fig.bbox
            for ax in fig.axes:
                for table in ax.tables:
                    for cell in table.get_celld().values():
                        box, text = cell.get_window_extent(renderer), cell.get_text().get_window_extent(renderer)
                        assert text.x0 >= box.x0 - 0.5 and text.x1 <= box.x1 + 0.5, cell.get_text().get_text()
                        assert box.x0 >= page.x0 + 0.03 * page.width and box.x1 <= page.x1 - 0.03 * page.width
                        checked += 1
    assert checked > 500

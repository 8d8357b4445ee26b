"""The evaluation report as a file: one entry point for the three formats (XLSX workbook, PDF report, PPTX deck)."""

from __future__ import annotations

from layout.errors import InputError
from layout.evaluation.deck import deck_bytes
from layout.evaluation.pdf import pdf_bytes
from layout.evaluation.report import REPORT_FORMATS, Report
from layout.evaluation.xlsx import xlsx_bytes

__all__ = ["report_bytes"]


def report_bytes(report: Report, fmt: str, *, lang: str = "zh") -> bytes:
    """The report as ``xlsx``, ``pdf`` or ``pptx`` bytes.

    Raises
    ------
    InputError
        For another format.
    """
    fmt = (fmt or "").lower().lstrip(".")
    if fmt == "xlsx":
        return xlsx_bytes(report, lang=lang)
    if fmt == "pdf":
        return pdf_bytes(report, lang=lang)
    if fmt == "pptx":
        return deck_bytes(report, lang=lang)
    raise InputError(f"format should be one of {', '.join(REPORT_FORMATS)}, got {fmt!r}")

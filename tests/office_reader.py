"""Office files opened by a real reader: LibreOffice, headless, converting to PDF (as a county office's
machine would open them), the PDF then read back with pypdf."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="needs LibreOffice (apt-get install libreoffice-impress; .ci/run installs it)"
)


def as_pdf(data: bytes, name: str, workdir: Path) -> PdfReader:
    """``data`` (a .pptx or .xlsx called ``name``) opened and printed to PDF by LibreOffice."""
    source = workdir / name
    source.write_bytes(data)
    done = subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(workdir / 'lo').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = source.with_suffix(".pdf")
    assert done.returncode == 0 and pdf.exists(), f"LibreOffice could not open {name}: {done.stderr[-500:]}"
    return PdfReader(io.BytesIO(pdf.read_bytes()))

"""Text of a rendered PDF, as the document tests read it."""

from __future__ import annotations

import io
import shutil
import subprocess

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """The PDF's text by pdftotext (poppler), or by pypdf where poppler is not installed."""
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
        return done.stdout.decode("utf-8")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)

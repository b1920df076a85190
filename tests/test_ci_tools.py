"""In CI, the external tools behind the slow tests must be installed.

Those tests skip on a developer machine without LibreOffice, poppler, qpdf
or Chromium; in CI a skip would hide a missing install step, so this fails.
"""

from __future__ import annotations

import os
import shutil

import pytest


@pytest.mark.parametrize("tool", ["soffice", "pdftotext", "pdftoppm", "qpdf", "chromium"])
def test_tool_is_installed_in_ci(tool):
    if not os.environ.get("CI"):
        pytest.skip("only enforced in CI")
    assert shutil.which(tool), f"{tool} is not installed: .ci/run must install it"

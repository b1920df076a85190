"""Text for hand-written OOXML: cleaned of XML-illegal characters, then escaped.

Every string from data (account names, comments, series names) reaches a
part through :func:`text` or :func:`attr`, never by plain formatting.
"""

from __future__ import annotations

from reports.render.formatting import clean_text

NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\t": "&#9;", "\r": "&#13;"}
)


def text(value: object) -> str:
    """``value`` as element content: XML-illegal characters dropped, ``& < >`` escaped."""
    return clean_text(value).translate(_TEXT)


def attr(value: object) -> str:
    """``value`` as a double-quoted attribute value (quotes and whitespace escaped too)."""
    return clean_text(value).translate(_ATTR)

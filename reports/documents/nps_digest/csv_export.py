"""``--format csv``: the quarter's tagged comments, one row per response with a comment.

Columns: :data:`CSV_COLUMNS`. People are never named: no contact id, name or
email; email addresses typed into a comment are replaced by ``[email]``;
the contact is described by role only. Cells that a spreadsheet would run
as a formula (= + - @) are escaped by :func:`reports.output.files.spreadsheet_safe`.
Rows are sorted by ``responded_at`` then ``response_id``, so equal inputs
give equal bytes.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import pandas as pd

from reports.documents.nps_digest.context import digest_of
from reports.output.files import spreadsheet_safe

if TYPE_CHECKING:
    from reports.pipeline import RunContext

CSV_COLUMNS = (
    "response_id",
    "responded_at",
    "quarter",
    "account_id",
    "segment",
    "region",
    "role",
    "score",
    "category",
    "language",
    "themes",
    "product_area",
    "is_feature_request",
    "sentiment",
    "sentiment_label",
    "score_sentiment_mismatch",
    "overridden",
    "comment",
)
"""Columns of the tagged-comments CSV; ``themes`` is theme ids joined with ';'."""


def tagged_comments_frame(
    run: RunContext, *, quarter_window: Any, segment: str | None = None
) -> pd.DataFrame:
    """The tagged comments of ``quarter_window`` as a :data:`CSV_COLUMNS` frame (raw values).

    Rows are :attr:`cs_calc.nps_digest_metrics.NpsDigestMetrics.comments` of the run's digest
    figures (tags computed once per run); here they are only put into the CSV's shape.
    """
    comments = digest_of(run, quarter_window=quarter_window, segment=segment).comments
    frame = comments.assign(
        responded_at=comments["responded_at"].dt.strftime("%Y-%m-%d"),
        quarter=quarter_window.label,
        themes=comments["themes"].map(";".join),
        sentiment=comments["sentiment"].round(4),
    )
    return frame[list(CSV_COLUMNS)]


def render_tagged_csv(run: RunContext, *, quarter_window: Any, segment: str | None = None) -> bytes:
    """UTF-8 CSV bytes of :func:`tagged_comments_frame`, formula cells escaped."""
    buffer = io.StringIO()
    frame = tagged_comments_frame(run, quarter_window=quarter_window, segment=segment)
    spreadsheet_safe(frame).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")

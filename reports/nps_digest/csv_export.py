"""``--format csv``: the quarter's tagged comments, one row per response with a comment.

Columns: :data:`CSV_COLUMNS`. People are never named: no contact id, name or
email; email addresses typed into a comment are replaced by ``[email]``;
the contact is described by role only. Cells that a spreadsheet would run
as a formula (= + - @) are escaped by :func:`reports.output.spreadsheet_safe`.
Rows are sorted by ``responded_at`` then ``response_id``, so equal inputs
give equal bytes.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from cs_calc.nps import nps_category
from cs_calc.nps_digest import redact_emails
from cs_calc.nps_themes import flag_score_sentiment_mismatch
from reports.leadership.common import text
from reports.nps_digest.context import tag_quarter
from reports.output import spreadsheet_safe

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


def tagged_comments_frame(run: Any, *, quarter_window: Any, segment: str | None = None) -> pd.DataFrame:
    """The tagged comments of ``quarter_window`` as a :data:`CSV_COLUMNS` frame (raw values)."""
    current = tag_quarter(run, quarter_window=quarter_window, segment=segment)
    current = current[current["comment"].map(lambda v: isinstance(v, str) and bool(v.strip())).astype(bool)]
    accounts = run.dataset.tables["accounts"].set_index("account_id")
    roles = run.dataset.tables["contacts"].set_index("contact_id")["role"]
    frame = pd.DataFrame(
        {
            "response_id": current["response_id"].astype(str),
            "responded_at": current["responded_at"].dt.strftime("%Y-%m-%d"),
            "quarter": quarter_window.label,
            "account_id": current["account_id"].astype(str),
            "segment": current["account_id"].map(accounts["segment"]),
            "region": current["account_id"].map(accounts["region"]),
            "role": current["contact_id"].map(roles).map(lambda v: redact_emails(text(v))),
            "score": current["score"].astype(int),
            "category": nps_category(current["score"]),
            "language": current["language_found"].astype(object).fillna(""),
            "themes": current["themes"].map(lambda t: ";".join(t)),
            "product_area": current["product_area"].astype(object).fillna(""),
            "is_feature_request": current["is_feature_request"].astype(bool),
            "sentiment": current["sentiment"].round(4),
            "sentiment_label": current["sentiment_label"],
            "score_sentiment_mismatch": flag_score_sentiment_mismatch(
                current["score"], current["sentiment"]
            ).to_numpy(),
            "overridden": current["overridden"].astype(bool),
            "comment": current["comment"].map(lambda v: redact_emails(text(v))),
        }
    )
    return frame.sort_values(["responded_at", "response_id"], kind="stable").reset_index(drop=True)[
        list(CSV_COLUMNS)
    ]


def render_tagged_csv(run: Any, *, quarter_window: Any, segment: str | None = None) -> bytes:
    """UTF-8 CSV bytes of :func:`tagged_comments_frame`, formula cells escaped."""
    buffer = io.StringIO()
    frame = tagged_comments_frame(run, quarter_window=quarter_window, segment=segment)
    spreadsheet_safe(frame).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")

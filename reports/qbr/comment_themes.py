"""NPS comment themes for the voice-of-the-customer slide, tagged once per run.

:func:`tag_run_comments` runs the theme engine (:func:`cs_calc.nps_themes.tag_comments`,
taxonomy ``nps_themes.yaml``, hand corrections ``nps_overrides.yaml``) over
every NPS comment of the run written before ``as_of``, all accounts in one
vectorised call, in the parent process. :meth:`RunCommentTags.for_account`
then gives one account only its own comments' tags and the labels of the
themes they name, which is all a worker receives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from cs_calc.account_activity import comment_tone
from reports.errors import ConfigError
from reports.formatting import clean_text
from reports.nps_config import load_overrides, load_taxonomy

if TYPE_CHECKING:
    from cs_calc.nps_themes import ThemeTaxonomy


class CommentTags(NamedTuple):
    """What the theme engine found in one NPS comment."""

    themes: tuple[str, ...]
    """Theme ids, sorted (never empty: comments naming no theme are not kept)."""
    tone: str
    """positive, neutral or negative (:func:`cs_calc.account_activity.comment_tone` of the
    response's score and the comment's sentiment)."""


@dataclass(frozen=True)
class RunCommentTags:
    """Every account's tagged comments, and each theme's display labels."""

    by_account: Mapping[str, Mapping[str, CommentTags]]
    """Account id -> response id -> tags."""
    labels: Mapping[str, Mapping[str, str]]
    """Theme id -> language -> display label (``nps_themes.yaml``)."""

    def for_account(self, account_id: str) -> tuple[dict[str, CommentTags], dict[str, dict[str, str]]]:
        """The account's tags by response id, and the labels of the themes they name (copies)."""
        tags = dict(self.by_account.get(account_id, {}))
        named = sorted({theme for tag in tags.values() for theme in tag.themes})
        return tags, {theme: dict(self.labels.get(theme, {})) for theme in named}


def theme_label(labels: Mapping[str, str], theme: str, language: str) -> str:
    """A theme's label in ``language``, else in English, else its id."""
    return labels.get(language) or labels.get("en") or theme


def tag_comments_by_account(
    nps: pd.DataFrame,
    as_of: pd.Timestamp,
    taxonomy: ThemeTaxonomy,
    overrides: Mapping[str, list[str]] | None = None,
) -> dict[str, dict[str, CommentTags]]:
    """Account id -> response id -> :class:`CommentTags` for comments responded before ``as_of``.

    Responses without comment text and comments that name no theme are left
    out; ``overrides`` (response id -> theme ids) replace the engine's themes.
    The tone combines the response's score and the comment's sentiment.
    Raises ValueError for an override naming a theme not in ``taxonomy``.
    """
    # Imported here: the theme engine runs in the parent; workers only unpickle CommentTags.
    from cs_calc.nps_themes import tag_comments

    if nps.empty or "comment" not in nps.columns:
        return {}
    comments = nps["comment"].map(lambda c: clean_text(c).strip() if isinstance(c, str) else "")
    keep = (comments != "").to_numpy() & (nps["responded_at"] < as_of).to_numpy()
    if not keep.any():
        return {}
    columns = [c for c in ("response_id", "comment", "language") if c in nps.columns]
    tagged = tag_comments(nps.loc[keep, columns], taxonomy, overrides)
    by_account: dict[str, dict[str, CommentTags]] = {}
    for account_id, response_id, score, themes, sentiment in zip(
        nps.loc[keep, "account_id"].tolist(),
        tagged["response_id"].tolist(),
        nps.loc[keep, "score"].to_numpy(dtype="float64", na_value=np.nan).tolist(),
        tagged["themes"].tolist(),
        tagged["sentiment_label"].tolist(),
        strict=True,
    ):
        if themes:
            by_account.setdefault(str(account_id), {})[str(response_id)] = CommentTags(
                tuple(themes), comment_tone(score, str(sentiment))
            )
    return by_account


def tag_run_comments(run: Any) -> RunCommentTags:
    """Tag the run's NPS comments once (see :func:`tag_comments_by_account`).

    Raises :class:`~reports.errors.ConfigError` for a bad taxonomy or override file.
    """
    config_dirs = run.settings.config_dirs
    taxonomy = load_taxonomy(config_dirs)
    try:
        by_account = tag_comments_by_account(
            run.dataset.tables["nps"], run.metrics.as_of, taxonomy, load_overrides(config_dirs)
        )
    except ValueError as exc:
        raise ConfigError(f"{config_dirs.find('nps_overrides.yaml')}: {exc}") from exc
    labels = {theme.group_id: dict(theme.labels) for theme in taxonomy.themes}
    return RunCommentTags(by_account, labels)

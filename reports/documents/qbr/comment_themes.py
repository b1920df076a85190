"""NPS comment themes for the voice-of-the-customer slide: each account's share of the run's tags.

The run tags every NPS comment once, in the parent process
(:attr:`reports.pipeline.RunContext.account_comment_tags`, computed by
:func:`cs_calc.account_facts.tag_comments_by_account`). :func:`tag_run_comments`
pairs those tags with the themes' display labels (``nps_themes.yaml``), and
:meth:`RunCommentTags.for_account` gives one account only its own comments'
tags and the labels of the themes they name, which is all a worker receives.
No QBR module tags a comment or judges its tone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cs_calc.account_facts import CommentTags
from reports.data.nps_config import load_taxonomy

if TYPE_CHECKING:
    from reports.pipeline import RunContext

__all__ = ["CommentTags", "RunCommentTags", "tag_run_comments", "theme_label"]


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


def tag_run_comments(run: RunContext) -> RunCommentTags:
    """The run's comment tags (computed once per run) with the taxonomy's theme labels.

    Raises :class:`~reports.errors.ConfigError` for a bad taxonomy or override file.
    """
    by_account = run.account_comment_tags
    taxonomy = load_taxonomy(run.settings.config_dirs)
    labels = {theme.group_id: dict(theme.labels) for theme in taxonomy.themes}
    return RunCommentTags(by_account, labels)

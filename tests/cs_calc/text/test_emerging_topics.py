"""Emerging topics on planted comment sets whose shares can be worked out by hand.

Every period's comments are the same background (identical texts, so
identical topic assignments) plus topic comments in chosen numbers:

=========  ========  ========  ==================  =====================
topic      current   previous  baseline (4 qtrs)   expected
=========  ========  ========  ==================  =====================
calendar   12 / 100  0 / 100   0 / 200             NEW (absent before)
barcode    16 / 100  8 / 100   16 / 200            GROWING (2× ≥ 1.5×)
mileage     8 / 100  16 / 100  8 / 200             not emerging (fell; 2× the baseline)
kiosk       0 / 100  12 / 100  20 / 200            not emerging (gone)
=========  ========  ========  ==================  =====================

The mileage topic is the digest's old bug: its share fell against the
previous quarter but grew against the year before, and it was badged NEW.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cs_calc.nps_digest import find_emerging_topics
from cs_calc.text.themes import taxonomy_from_mapping
from cs_calc.text.topics import NEW_TOPIC_MAX_SHARE, candidate_phrases, discover_emerging_themes, phrase_key
from reports.data.config_files import load_yaml_file

ROOT = Path(__file__).resolve().parents[3]

CALENDAR = (  # new: every comment says "shared calendar sync doubles"
    "The shared calendar sync doubles every meeting",
    "Shared calendar sync doubles our recurring events",
    "Since June, shared calendar sync doubles all invites",
    "Shared  calendar sync doubles meetings for the whole department",
)
BARCODE = (  # growing
    "The barcode scanner stops beeping in the warehouse",
    "Barcode scanner stops beeping after a few scans",
    "Our barcode scanner stops beeping on older handsets",
    "Barcode scanner stops beeping when the shift starts",
)
MILEAGE = (  # shrinking
    "The mileage log rounds every trip down",
    "Mileage log rounds distances to whole miles",
    "Our mileage log rounds kilometres oddly",
    "Mileage log rounds short trips twice",
)
KIOSK = (  # gone this quarter
    "The kiosk badge printer jams daily",
    "Kiosk badge printer jams at reception",
    "Our kiosk badge printer jams on glossy cards",
    "Kiosk badge printer jams every morning",
)
_SUBJECTS = ("The Gantt chart", "Time tracking", "Guest access", "The whiteboard")
_OPINIONS = ("is great", "could be better", "saves hours every week", "feels a bit dated")
BACKGROUND = tuple(f"{s} {o}" for s in _SUBJECTS for o in _OPINIONS) * 4  # 16 distinct comments, 64 in all
FILLER = "It is what it is"  # only stopwords: on no topic, but counted among the comments


def _period(*parts: tuple[tuple[str, ...], int], filler: int = 0) -> pd.Series:
    comments = list(BACKGROUND)
    for texts, count in parts:
        assert count % len(texts) == 0
        comments += list(texts) * (count // len(texts))
    return pd.Series(comments + [FILLER] * filler)


@pytest.fixture(scope="module")
def taxonomy():
    return taxonomy_from_mapping(load_yaml_file(ROOT / "configs" / "nps_themes.yaml"))


@pytest.fixture(scope="module")
def periods() -> tuple[pd.Series, pd.Series, pd.Series]:
    current = _period((CALENDAR, 12), (BARCODE, 16), (MILEAGE, 8), filler=0)
    previous = _period((BARCODE, 8), (MILEAGE, 16), (KIOSK, 12), filler=0)
    baseline = _period((BARCODE, 16), (MILEAGE, 8), (KIOSK, 20), filler=28 + 64)  # 64 more: 200 in all
    assert (len(current), len(previous), len(baseline)) == (100, 100, 200)
    return current, previous, baseline


def _topic_of(topics, texts):
    found = [t for t in topics if t.examples and all(e in texts for e in t.examples)]
    return found[0] if len(found) == 1 else None


def test_exactly_the_new_and_the_growing_topic_are_emerging(taxonomy, periods):
    current, previous, baseline = periods
    topics = find_emerging_topics(current, previous, baseline, taxonomy=taxonomy)
    assert [(phrase_key(t.label), t.new, t.growing) for t in topics] == [
        ("shared calendar sync doubles", True, False),
        ("barcode scanner stops beeping", False, True),
    ]
    calendar, barcode = topics
    assert (calendar.comments, calendar.share_current, calendar.share_previous, calendar.share_baseline) == (
        12,
        pytest.approx(0.12),
        0.0,
        0.0,
    )
    assert (barcode.comments, barcode.share_current, barcode.share_previous, barcode.share_baseline) == (
        16,
        pytest.approx(0.16),
        pytest.approx(0.08),
        pytest.approx(0.08),
    )
    assert all(e in CALENDAR for e in calendar.examples)
    assert all(e in BARCODE for e in barcode.examples)


def test_a_shrinking_or_vanished_topic_is_not_emerging(taxonomy, periods):
    current, previous, baseline = periods
    themes = discover_emerging_themes(current, previous, baseline=baseline, taxonomy=taxonomy, n_topics=8)
    mileage = _topic_of(themes, MILEAGE)
    assert mileage is not None, [t.label for t in themes]
    # 16 % → 8 %: fell against the previous quarter, though twice its 4 % of the year before
    assert (mileage.share_current, mileage.share_previous, mileage.share_baseline) == (
        pytest.approx(0.08),
        pytest.approx(0.16),
        pytest.approx(0.04),
    )
    assert not mileage.new and not mileage.growing and not mileage.emerging
    # the kiosk topic has no comment this quarter, so no topic at all
    assert not any("kiosk" in phrase_key(t.label) or "printer" in phrase_key(t.label) for t in themes)
    # the background is as common as before: never emerging
    assert [phrase_key(t.label) for t in themes if t.emerging] == [
        "shared calendar sync doubles",
        "barcode scanner stops beeping",
    ]


def test_labels_are_phrases_quoted_in_the_examples(taxonomy, periods):
    current, previous, baseline = periods
    for theme in discover_emerging_themes(
        current, previous, baseline=baseline, taxonomy=taxonomy, n_topics=8
    ):
        assert 2 <= len(theme.label.split()) <= 6, theme.label
        assert theme.label == " ".join(theme.label.split())
        # as written in the first quoted example, whitespace aside ("Shared  calendar" has two spaces)
        assert theme.label in " ".join(theme.examples[0].split()), theme
        assert phrase_key(theme.label) in candidate_phrases(theme.examples[0])


def test_negligible_share_before_is_still_new(taxonomy, periods):
    current, _, baseline = periods
    # one calendar comment of 100 last quarter: 1 % is at most NEW_TOPIC_MAX_SHARE
    assert NEW_TOPIC_MAX_SHARE == 0.01
    previous = _period((BARCODE, 8), (MILEAGE, 16), (KIOSK, 12))[:-1]
    previous = pd.concat([previous, pd.Series([CALENDAR[0]])], ignore_index=True)
    assert len(previous) == 100
    topics = find_emerging_topics(current, previous, baseline, taxonomy=taxonomy)
    calendar = topics[0]
    assert phrase_key(calendar.label) == "shared calendar sync doubles"
    assert calendar.share_previous == pytest.approx(0.01)
    assert calendar.new and not calendar.growing


def test_a_topic_seen_before_that_grew_is_growing_not_new(taxonomy, periods):
    current, _, baseline = periods
    # four calendar comments of 100 last quarter (4 % → 12 %, 3×): growing, not new
    previous = _period((BARCODE, 8), (MILEAGE, 16), (KIOSK, 12))[:-4]
    previous = pd.concat([previous, pd.Series(list(CALENDAR))], ignore_index=True)
    topics = find_emerging_topics(current, previous, baseline, taxonomy=taxonomy)
    calendar = [t for t in topics if phrase_key(t.label) == "shared calendar sync doubles"]
    assert calendar and calendar[0].growing and not calendar[0].new
    assert calendar[0].share_previous == pytest.approx(0.04)


def test_growth_just_short_of_the_ratio_is_not_growing(taxonomy, periods):
    current, _, baseline = periods
    # barcode 12 % → 16 % is 1.33×, under min_growth_ratio 1.5
    previous = _period((BARCODE, 12), (MILEAGE, 16), (KIOSK, 8))
    topics = find_emerging_topics(current, previous, baseline, taxonomy=taxonomy)
    assert [phrase_key(t.label) for t in topics] == ["shared calendar sync doubles"]


def test_no_previous_comments_means_nothing_is_new(taxonomy, periods):
    current, _, baseline = periods
    assert find_emerging_topics(current, pd.Series([], dtype=object), baseline, taxonomy=taxonomy) == []

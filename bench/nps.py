"""Time the NPS theme engine on synthetic comments.

Usage: python bench/nps.py [--comments 500000] [--seed 7]

Generates seeded English/Swedish comments (about 60/40) from fragments,
with random names, numbers and typos so that most comments are distinct,
then times :func:`cs_calc.text.themes.tag_comments` (themes, product area,
feature requests and sentiment) against a floor that only lower-cases and
tokenises the same comments. Target: 500k comments in 60 s or less on a
2-core machine. Wall and CPU time are both printed: on a shared machine the
CPU time of this process is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cs_calc.text.themes import tag_comments, taxonomy_from_mapping  # noqa: E402

EN_SUBJECTS = [
    "the onboarding",
    "support",
    "the pricing",
    "the weekly reports",
    "the mobile app",
    "our account manager",
    "the salesforce integration",
    "the documentation",
    "the dashboard",
    "the new calendar view",
    "bulk editing",
    "the api",
    "search",
    "the admin permissions",
    "billing",
    "time tracking",
    "the export",
    "our csm",
    "the ui",
    "uptime",
]
EN_OPINIONS = [
    "is great",
    "could be better",
    "saves {name} {n} hours a week",
    "is confusing",
    "is so slow lately",
    "keeps crashing",
    "works well",
    "is too expensive",
    "has improved a lot since {month}",
    "feels clunky",
    "is rock solid",
    "never answers",
    "was set up in {n} days",
    "is missing custom fields",
    "is a bit outdated",
]
EN_EXTRAS = [
    "",
    "",
    "",
    " Would be great if {name} could export it.",
    " Please add SSO.",
    " Thanks {name}!",
    " {n} of our users agree.",
    " Not happy.",
    " Love it.",
    " We renew in {month}.",
    " I wish it synced with Teams.",
]
SV_SUBJECTS = [
    "introduktionen",
    "supporten",
    "priset",
    "rapporterna",
    "mobilappen",
    "vår kundansvarige",
    "integrationen mot fortnox",
    "dokumentationen",
    "dashboarden",
    "kalendervyn",
    "api:et",
    "sökfunktionen",
    "behörigheterna",
    "faktureringen",
    "gränssnittet",
]
SV_OPINIONS = [
    "är jättebra",
    "kunde vara bättre",
    "sparar {name} {n} timmar i veckan",
    "är krångligt",
    "är väldigt långsam",
    "kraschar ofta",
    "fungerar bra",
    "är för dyrt",
    "är stabilt",
    "har blivit bättre sedan {month}",
    "känns rörigt",
    "svarar aldrig",
    "var igång på {n} dagar",
]
SV_EXTRAS = [
    "",
    "",
    "",
    " Önskar en export till Excel.",
    " Tack {name}!",
    " Saknar SSO.",
    " Skulle vara bra om {name} fick en utbildning.",
    " Inte nöjd.",
    " Toppen!",
]
NAMES = ["Anna", "Erik", "Sara", "Tom", "Maja", "Lars", "Priya", "John", "Elin", "Omar"]
MONTHS = ["January", "March", "May", "June", "August", "October", "december", "april"]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def synthetic_comments(count: int, seed: int) -> pd.DataFrame:
    """``count`` seeded comments with columns response_id, comment, language."""
    rng = random.Random(seed)
    comments: list[str] = []
    languages: list[str | None] = []
    for _ in range(count):
        swedish = rng.random() < 0.4
        subjects, opinions, extras = (
            (SV_SUBJECTS, SV_OPINIONS, SV_EXTRAS) if swedish else (EN_SUBJECTS, EN_OPINIONS, EN_EXTRAS)
        )
        parts = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            parts.append(f"{rng.choice(subjects)} {rng.choice(opinions)}")
        text = (" och " if swedish else " and ").join(parts).capitalize() + rng.choice(extras)
        text = text.format(name=rng.choice(NAMES), n=rng.randint(2, 400), month=rng.choice(MONTHS))
        if rng.random() < 0.05:
            words = text.split()
            j = rng.randrange(len(words))
            words[j] = _typo(words[j], rng)
            text = " ".join(words)
        comments.append(text)
        languages.append(None if rng.random() < 0.1 else ("sv" if swedish else "en"))
    return pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(count)],
            "comment": comments,
            "language": languages,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    taxonomy = taxonomy_from_mapping(
        yaml.safe_load((ROOT / "configs" / "nps_themes.yaml").read_text(encoding="utf-8"))
    )
    responses = synthetic_comments(args.comments, args.seed)
    distinct = responses["comment"].nunique()
    print(f"comments: {len(responses):,} ({distinct:,} distinct)")

    word_re = re.compile(r"\w+")
    start, start_cpu = time.perf_counter(), time.process_time()
    tokens = sum(len(word_re.findall(text.lower())) for text in responses["comment"].tolist())
    floor, floor_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    print(f"floor (lower-case + tokenise, {tokens:,} tokens): {floor:.2f} s wall, {floor_cpu:.2f} s CPU")

    start, start_cpu = time.perf_counter(), time.process_time()
    tagged = tag_comments(responses, taxonomy)
    engine, engine_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    rate = len(responses) / engine
    print(
        f"tag_comments (themes + area + requests + sentiment): {engine:.2f} s wall, "
        f"{engine_cpu:.2f} s CPU, {rate:,.0f} comments/s"
    )
    print(f"ratio engine / floor: {engine / floor:.1f}x wall, {engine_cpu / floor_cpu:.1f}x CPU")
    print(f"load average (1 min) after the run: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(
        f"with a theme: {(tagged['themes'].map(len) > 0).mean():.1%}, "
        f"feature requests: {tagged['is_feature_request'].mean():.1%}"
    )
    scale = 500_000 / len(responses)
    for name, seconds in (("wall", engine), ("CPU", engine_cpu)):
        verdict = "met" if seconds * scale <= 60 else "missed"
        print(f"target <= 60 s per 500k comments, {name} time: {verdict} ({seconds * scale:.1f} s)")


if __name__ == "__main__":
    main()

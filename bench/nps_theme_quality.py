"""Precision, recall and F1 of the NPS theme engine on the hand-labelled comments.

Usage: python bench/nps_theme_quality.py [--labelled tests/data/nps_labelled.csv]
                                         [--taxonomy configs/nps_themes.yaml]

Tags the labelled comments with the shipped taxonomy and prints, per theme, the
number of labelled comments, precision, recall and F1 on all of them and on the
held-out ones (ids starting with ``H``: written after the keywords were frozen),
then the macro F1 of each: the table of the NPS theme digest's documentation page.
``tests/cs_calc/text/test_nps_themes.py`` checks the same scores against their targets.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from cs_calc.text.themes import tag_comments, taxonomy_from_mapping

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ThemeScore:
    theme: str
    labelled: int
    precision: float
    recall: float
    f1: float


def score_theme(gold: list[set[str]], found: list[set[str]], theme: str) -> ThemeScore:
    """One theme's scores; precision or recall is 0 when nothing was found or labelled.

    >>> score_theme([{"a"}, {"a"}, set()], [{"a"}, set(), {"a"}], "a")
    ThemeScore(theme='a', labelled=2, precision=0.5, recall=0.5, f1=0.5)
    """
    pairs = list(zip(gold, found, strict=True))
    tp = sum(theme in g and theme in p for g, p in pairs)
    fp = sum(theme not in g and theme in p for g, p in pairs)
    fn = sum(theme in g and theme not in p for g, p in pairs)
    precision, recall = tp / ((tp + fp) or 1), tp / ((tp + fn) or 1)
    f1 = 2 * precision * recall / ((precision + recall) or 1)
    return ThemeScore(theme, tp + fn, precision, recall, f1)


def theme_quality(
    labelled_csv: Path = ROOT / "tests" / "data" / "nps_labelled.csv",
    taxonomy_yaml: Path = ROOT / "configs" / "nps_themes.yaml",
) -> dict[str, list[ThemeScore]]:
    """Scores per theme on ``all`` labelled comments and on the ``held out`` ones, in taxonomy order."""
    taxonomy = taxonomy_from_mapping(yaml.safe_load(taxonomy_yaml.read_text(encoding="utf-8")))
    labelled = pd.read_csv(labelled_csv, dtype=str, keep_default_na=False)
    tagged = tag_comments(labelled[["response_id", "language", "comment"]], taxonomy)
    subsets = {
        "all": labelled.index,
        "held out": labelled.index[labelled["response_id"].str.startswith("H")],
    }
    scores = {}
    for name, rows in subsets.items():
        gold = [set(filter(None, s.split(";"))) for s in labelled.loc[rows, "themes"]]
        found = [set(t) for t in tagged.loc[rows, "themes"]]
        scores[name] = [score_theme(gold, found, theme) for theme in taxonomy.theme_ids]
    return scores


def macro_f1(scores: list[ThemeScore]) -> float:
    return sum(s.f1 for s in scores) / len(scores)


def markdown_table(scores: dict[str, list[ThemeScore]]) -> str:
    """The documentation's table: one row per theme, all comments then the held-out ones."""
    lines = [
        "| Theme | Labelled (all) | Precision | Recall | F1 | Labelled (held out) | Precision | Recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for every, held in zip(scores["all"], scores["held out"], strict=True):
        cells = [every.theme]
        for s in (every, held):
            cells += [str(s.labelled), f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append(
        f"| **macro** | | | | **{macro_f1(scores['all']):.3f}** | | | | **{macro_f1(scores['held out']):.2f}** |"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", type=Path, default=ROOT / "tests" / "data" / "nps_labelled.csv")
    parser.add_argument("--taxonomy", type=Path, default=ROOT / "configs" / "nps_themes.yaml")
    args = parser.parse_args()
    scores = theme_quality(args.labelled, args.taxonomy)
    print(markdown_table(scores))
    for name, theme_scores in scores.items():
        print(f"{name}: {len(theme_scores)} themes, macro F1 {macro_f1(theme_scores):.3f}")


if __name__ == "__main__":
    main()

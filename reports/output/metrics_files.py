"""``csreports metrics``: the computed numbers as CSV or Parquet files."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from reports.output.files import spreadsheet_safe, write_bytes_atomic
from reports.output.manifest import Manifest
from reports.pipeline import RunContext
from reports.render.health_words import driver_sentences


def metrics_tables(run: RunContext) -> dict[str, pd.DataFrame]:
    """``portfolio``, ``accounts`` and ``movements`` tables, as written to disk.

    Every table carries ``definitions_version`` so a file read on its own
    still says which definitions produced it.
    """
    metrics = run.metrics
    version = metrics.definitions_version
    portfolio = metrics.portfolio.assign(definitions_version=version)
    accounts = metrics.accounts.assign(
        health_driver_text=_driver_text(metrics.health, metrics.accounts["account_id"]),
        definitions_version=version,
    )
    movements = metrics.movements[
        (metrics.movements["month"] >= metrics.window.start)
        & (metrics.movements["month"] <= metrics.window.end)
    ].assign(definitions_version=version)
    return {"portfolio": portfolio, "accounts": accounts, "movements": movements}


def _driver_text(health: pd.DataFrame, account_ids: pd.Series) -> list[str]:
    """Each account's top health drivers as English sentences joined with '; '."""
    columns = ["drivers", *[c for c in health.columns if c.startswith("input_")]]
    rows = health[columns].reindex(account_ids.to_numpy()).to_dict("records")
    return ["; ".join(driver_sentences(row)) if isinstance(row["drivers"], tuple) else "" for row in rows]


def write_metrics(run: RunContext, out_dir: Path, file_format: str = "csv") -> Manifest:
    """Write the metrics tables into ``out_dir`` atomically, plus ``manifest.json``."""
    manifest = Manifest(out_dir, run=run.provenance | {"command": "metrics"})
    for name, frame in metrics_tables(run).items():
        path = out_dir / f"{name}.{file_format}"
        write_bytes_atomic(path, _encode(frame, file_format))
        manifest.add_file(f"metrics:{name}", path, inputs_hash=run.dataset.input_hash)
    manifest.write()
    return manifest


def _encode(frame: pd.DataFrame, file_format: str) -> bytes:
    if file_format == "parquet":
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()
    out = spreadsheet_safe(frame)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    return out.to_csv(index=False, lineterminator="\n", float_format="%.10g").encode("utf-8")

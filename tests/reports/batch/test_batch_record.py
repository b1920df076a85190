"""The run's books: manifest text identical to Manifest.write, carried entries, flushing."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from reports.batch.record import Recorder, RunSummary
from reports.output.manifest import Manifest, ManifestEntry, manifest_text

ENTRIES = [
    ManifestEntry("qbr-pptx", "ok", "qbr/a-1-åkesson.pptx", "A-1", "ab" * 32, 0.125, inputs_hash="h1"),
    ManifestEntry("qbr", "failed", account_id="A-2", error="ValueError: x", traceback="Tb\n  line\n"),
    ManifestEntry("churn-report", "skipped", "leadership/c.pdf", sha256="cd" * 32, inputs_hash="h3"),
]
FIGURES = [
    {
        "id": "arr_end",
        "period": "2026-Q3",
        "dimension": "account",
        "group": "A-1",
        "account_id": "A-1",
        "value": 744480,
        "shown": "744\xa0480\xa0kr",
    },
    {
        "id": "nps_12m",
        "period": "2025-10..2026-09",
        "dimension": "account",
        "group": "A-1",
        "account_id": "A-1",
        "value": None,
        "shown": "–",
    },
]
ENTRIES_WITH_FIGURES = [
    ManifestEntry("qbr-pptx", "ok", "qbr/a-1.pptx", "A-1", "ab" * 32, 0.5, inputs_hash="h1", figures=FIGURES),
    ManifestEntry("qbr-pdf", "ok", "qbr/a-1.pdf", "A-1", "cd" * 32, 0.5, inputs_hash="h1", figures=[]),
]
RUN = {"command": "run", "period": "2026-Q3", "batch": {"status": "complete", "planned": 3}}


def test_manifest_text_is_indented_sorted_json(tmp_path: Path) -> None:
    """The one serialiser (used by Manifest.write and batch runs) prints what json.dumps would."""
    from reports.output.manifest import entry_json

    for entries in (ENTRIES, [], ENTRIES_WITH_FIGURES, ENTRIES + ENTRIES_WITH_FIGURES):
        manifest = Manifest(tmp_path, run=dict(RUN), entries=list(entries))
        written = manifest.write().read_text(encoding="utf-8")
        counts = {s: sum(e.status == s for e in entries) for s in ("ok", "failed", "skipped")}
        documents = [{k: v for k, v in vars(e).items() if v is not None} for e in entries]
        canonical = json.dumps(
            {"run": RUN, "counts": counts, "documents": documents},
            indent=2,
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )
        assert written == canonical + "\n"
        assert manifest_text(dict(RUN), counts, [entry_json(e) for e in entries]) == written


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(max_size=30),
    duration=st.one_of(st.none(), st.floats(min_value=0, max_value=1e6, allow_nan=False)),
    error=st.one_of(st.none(), st.text(max_size=30)),
)
def test_entry_text_equals_indented_json_for_any_text(
    text: str, duration: float | None, error: str | None
) -> None:
    from reports.output.manifest import entry_json

    entry = ManifestEntry("qbr-pptx", "failed", path=text, account_id=text, duration_s=duration, error=error)
    fields = {k: v for k, v in vars(entry).items() if v is not None}
    indented = json.dumps(fields, indent=2, sort_keys=True, ensure_ascii=False)
    assert entry_json(entry) == "    " + indented.replace("\n", "\n    ")


def previous_entry(path: str, inputs_hash: str) -> dict:
    return {
        "document": "qbr-pptx",
        "status": "ok",
        "path": path,
        "sha256": "0" * 64,
        "inputs_hash": inputs_hash,
    }


def test_interim_manifests_keep_earlier_entries_until_rechecked(tmp_path: Path) -> None:
    summary = RunSummary(total=3)
    earlier = [previous_entry("a.pptx", "ha"), previous_entry("b.pptx", "hb"), previous_entry("c.pptx", "hc")]
    recorder = Recorder(tmp_path, {}, summary, previous=earlier)
    assert recorder.flush_every == 1  # 5 % of a 3-document run

    redone = ManifestEntry("qbr-pptx", "ok", "a.pptx", "A-1", "1" * 64, 0.1, inputs_hash="new")
    recorder.add(1, [redone], reused=False, paths=["a.pptx"])
    failed = ManifestEntry("qbr", "failed", account_id="A-2", error="E", inputs_hash="hb2")
    recorder.add(2, [failed], reused=False, paths=["b.pptx"])
    interim = json.loads(recorder.path.read_text())
    assert [(d.get("path"), d["status"]) for d in interim["documents"]] == [
        ("a.pptx", "ok"),
        (None, "failed"),
        ("c.pptx", "ok"),  # not re-checked yet: kept, so a second kill loses nothing
    ]
    assert interim["counts"] == {"ok": 2, "failed": 1, "skipped": 0}
    assert interim["run"]["batch"]["status"] == "running"

    recorder.write("complete")
    final = json.loads(recorder.path.read_text())
    assert [d.get("path") for d in final["documents"]] == ["a.pptx", None]
    assert (summary.rendered, summary.failed, summary.reused) == (1, 1, 0)


def test_single_documents_drop_earlier_entries_by_inputs_hash(tmp_path: Path) -> None:
    earlier = [previous_entry("l/r.pdf", "single"), previous_entry("l/r.pptx", "single")]
    recorder = Recorder(tmp_path, {}, RunSummary(total=1), previous=earlier)
    failed = ManifestEntry("board-report", "failed", error="E", inputs_hash="single")
    recorder.add(0, [failed], reused=False, inputs_hash="single")
    recorder.write("running")
    assert [d["document"] for d in json.loads(recorder.path.read_text())["documents"]] == ["board-report"]


def test_flush_every_50_documents_in_big_runs(tmp_path: Path) -> None:
    recorder = Recorder(tmp_path, {}, RunSummary(total=10_000), flush_seconds=3600)
    recorder.write("running")
    for seq in range(49):
        recorder.add(seq, [ManifestEntry("qbr-pptx", "ok", f"{seq}.pptx")], reused=False)
    assert json.loads(recorder.path.read_text())["run"]["batch"]["rendered"] == 0
    recorder.add(49, [ManifestEntry("qbr-pptx", "ok", "49.pptx")], reused=False)
    assert json.loads(recorder.path.read_text())["run"]["batch"]["rendered"] == 50


def test_a_slow_rewrite_spaces_the_next_ones_out(tmp_path: Path, monkeypatch) -> None:
    import reports.batch.record as record

    clock = [0.0]
    monkeypatch.setattr(record.time, "monotonic", lambda: clock[0])
    real_write = record.write_bytes_atomic
    writes: list[float] = []

    def slow_write(path: Path, data: bytes) -> None:  # a rewrite that takes 20 ms of the clock
        real_write(path, data)
        clock[0] += 0.020
        writes.append(clock[0])

    monkeypatch.setattr(record, "write_bytes_atomic", slow_write)
    recorder = Recorder(tmp_path, {}, RunSummary(total=10_000), flush_seconds=3600)
    for seq in range(2_000):  # 50 results every 0.5 s: due by count every 0.5 s
        clock[0] += 0.01
        recorder.add(seq, [ManifestEntry("qbr-pptx", "ok", f"{seq}.pptx")], reused=False)
    gaps = [later - earlier for earlier, later in itertools.pairwise(writes)]
    assert len(writes) >= 8 and min(gaps) >= record.REWRITE_SPACING * 0.020
    assert json.loads(recorder.path.read_text())["run"]["batch"]["rendered"] > 1_500

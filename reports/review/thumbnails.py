"""Thumbnails for the review page: the first slide or page of each deck and PDF, as a small PNG.

A PDF goes straight to ``pdftoppm`` (poppler); decks are converted to PDF by
LibreOffice (``soffice --headless --convert-to pdf``) in batches first, since
starting LibreOffice costs more than converting a deck. ``jobs`` batches or
PDFs are rendered at once, each concurrent LibreOffice with its own profile
folder (two instances cannot share one). A thumbnail is stored as
``OUT/.thumbnails/<sha256>.png`` of the file's content, so a second run, or a
run that re-rendered only some files, makes only the missing ones. Emails
and CSV files get none. A missing tool is one line, and the page is written
without those thumbnails.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from queue import Queue

from reports.output.files import sha256_file
from reports.output.manifest import ManifestEntry
from reports.review.page import THUMBNAILS_DIR, cached_thumbnails, file_href

RESOLUTION_DPI = 24
"""A 13.33-inch slide becomes 320 pixels wide, an A4 page 198."""
BATCH_SIZE = 20
"""Decks per LibreOffice call."""
PDFTOPPM_TIMEOUT_S = 60
SOFFICE_TIMEOUT_S = 120
"""Per LibreOffice call, plus :data:`SOFFICE_TIMEOUT_PER_DECK_S` per deck in it."""
SOFFICE_TIMEOUT_PER_DECK_S = 20


@dataclass
class ThumbnailReport:
    """What :func:`make_thumbnails` did."""

    available: set[str] = field(default_factory=set)
    """``<sha256>.png`` names in the cache after the run, for :func:`reports.review.page.write_review_page`."""
    made: int = 0
    reused: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    """``(path, why)`` of files that got no thumbnail."""
    missing_tools: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.failed or self.missing_tools)

    def lines(self) -> list[str]:
        """One line for the counts, one per missing tool, and the first few failures."""
        lines = [f"Thumbnails: {self.made:,} made, {self.reused:,} reused from {THUMBNAILS_DIR}/."]
        lines += self.missing_tools
        for path, why in self.failed[:5]:
            lines.append(f"  no thumbnail: {path}: {why}")
        if len(self.failed) > 5:
            lines.append(f"  ... and {len(self.failed) - 5} more without a thumbnail")
        return lines


def _tool(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


_RUNNING: set[subprocess.Popen[bytes]] = set()
"""Tools running now, so an interrupted run stops them (each runs in its own process group)."""
_RUNNING_LOCK = threading.Lock()


def _kill(process: subprocess.Popen[bytes]) -> None:
    with suppress(ProcessLookupError):  # already gone
        os.killpg(process.pid, signal.SIGKILL)


def _run(command: list[str], timeout: float) -> subprocess.CompletedProcess[bytes]:
    """Run ``command`` in its own process group, killing the whole group on timeout."""
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    with _RUNNING_LOCK:
        _RUNNING.add(process)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        raise
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(process)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _stop_running() -> None:
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for process in running:
        _kill(process)


def _first_page_png(pdftoppm: str, pdf: Path, cache: Path, sha256: str) -> None:
    """``cache/<sha256>.png`` from the first page of ``pdf``, written under a temporary name first."""
    prefix = cache / f".part-{sha256}"
    result = _run(
        [
            pdftoppm,
            "-png",
            "-r",
            str(RESOLUTION_DPI),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        PDFTOPPM_TIMEOUT_S,
    )
    made = prefix.with_name(prefix.name + ".png")
    if result.returncode != 0 or not made.is_file():
        made.unlink(missing_ok=True)
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"pdftoppm: {message[-1] if message else f'exit {result.returncode}'}")
    os.replace(made, cache / f"{sha256}.png")


@dataclass(frozen=True)
class _Job:
    sha256: str
    path: str
    source: Path


class _Profiles:
    """One LibreOffice profile folder per concurrent ``soffice``, handed out and given back."""

    def __init__(self, root: Path, count: int):
        self._free: Queue[Path] = Queue()
        for number in range(count):
            folder = root / f"profile-{number}"
            folder.mkdir()
            self._free.put(folder)

    @contextmanager
    def one(self) -> Iterator[Path]:
        folder = self._free.get()
        try:
            yield folder
        finally:
            self._free.put(folder)


def _deck_batch(
    soffice: str, pdftoppm: str, batch: Sequence[_Job], cache: Path, scratch: Path, profiles: _Profiles
) -> list[tuple[_Job, str | None]]:
    """Convert ``batch`` to PDF with one LibreOffice call, then each first page to a thumbnail."""
    work = Path(tempfile.mkdtemp(prefix="batch-", dir=scratch))
    inputs, outputs = work / "in", work / "out"
    inputs.mkdir()
    outputs.mkdir()
    for job in batch:  # named by content: two decks of one name in different folders cannot collide
        os.symlink(job.source.resolve(), inputs / f"{job.sha256}.pptx")
    results: list[tuple[_Job, str | None]] = []
    with profiles.one() as profile:
        try:
            run = _run(
                [
                    soffice,
                    f"-env:UserInstallation={profile.resolve().as_uri()}",
                    "--headless",
                    "--norestore",
                    "--nologo",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(outputs),
                    *(str(inputs / f"{job.sha256}.pptx") for job in batch),
                ],
                SOFFICE_TIMEOUT_S + SOFFICE_TIMEOUT_PER_DECK_S * len(batch),
            )
            trouble = None if run.returncode == 0 else f"soffice exit {run.returncode}"
        except subprocess.TimeoutExpired:
            trouble = "soffice took too long"
    for job in batch:
        pdf = outputs / f"{job.sha256}.pdf"
        if not pdf.is_file():
            results.append((job, trouble or "soffice wrote no PDF"))
            continue
        try:
            _first_page_png(pdftoppm, pdf, cache, job.sha256)
            results.append((job, None))
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
            results.append((job, str(exc) or type(exc).__name__))
    shutil.rmtree(work, ignore_errors=True)
    return results


def _pdf(pdftoppm: str, job: _Job, cache: Path) -> list[tuple[_Job, str | None]]:
    try:
        _first_page_png(pdftoppm, job.source, cache, job.sha256)
    except subprocess.TimeoutExpired:
        return [(job, "pdftoppm took too long")]
    except (RuntimeError, OSError) as exc:
        return [(job, str(exc))]
    return [(job, None)]


def _batches(jobs: Sequence[_Job], workers: int, size: int) -> list[list[_Job]]:
    """``jobs`` in batches of at most ``size``, at least one per worker when there are enough."""
    if not jobs:
        return []
    per = max(1, min(size, -(-len(jobs) // workers)))
    return [list(jobs[i : i + per]) for i in range(0, len(jobs), per)]


def make_thumbnails(
    out_dir: Path, files: Sequence[ManifestEntry], *, jobs: int = 2, batch_size: int = BATCH_SIZE
) -> ThumbnailReport:
    """Make the missing thumbnails of ``files`` (entries of the run in ``out_dir``).

    A file whose content is no longer the one the manifest records (edited
    after the run) gets none: its thumbnail would be filed under the wrong content.
    """
    out_dir = Path(out_dir)
    cache = out_dir / THUMBNAILS_DIR
    report = ThumbnailReport()
    have = cached_thumbnails(out_dir)
    wanted: dict[str, tuple[str, str]] = {}  # sha256 -> (path, suffix)
    for entry in files:
        if not (entry.path and entry.sha256) or file_href(entry.path) is None:
            continue
        suffix = PurePosixPath(entry.path).suffix.lower()
        if suffix in (".pptx", ".pdf"):
            wanted.setdefault(entry.sha256, (entry.path, suffix))
    report.reused = sum(f"{sha}.png" in have for sha in wanted)
    todo = {sha: found for sha, found in wanted.items() if f"{sha}.png" not in have}
    pdftoppm = _tool("pdftoppm")
    soffice = _tool("soffice", "libreoffice")
    if todo and pdftoppm is None:
        report.missing_tools.append(
            "Thumbnails: pdftoppm (poppler) not found; the page has no new thumbnails."
        )
        todo = {}
    decks_todo = [sha for sha, (_p, suffix) in todo.items() if suffix == ".pptx"]
    if decks_todo and soffice is None:
        report.missing_tools.append(
            f"Thumbnails: soffice (LibreOffice) not found; {len(decks_todo):,} deck(s) have no thumbnail."
        )
        todo = {sha: found for sha, found in todo.items() if found[1] != ".pptx"}
    pdf_jobs: list[_Job] = []
    deck_jobs: list[_Job] = []
    for sha, (path, suffix) in todo.items():
        source = out_dir / path
        try:
            same = sha256_file(source) == sha
        except OSError:
            report.failed.append((path, "the file is missing"))
            continue
        if not same:
            report.failed.append((path, "changed since the run wrote it"))
            continue
        (deck_jobs if suffix == ".pptx" else pdf_jobs).append(_Job(sha, path, source))
    if pdf_jobs or deck_jobs:
        assert pdftoppm is not None
        cache.mkdir(exist_ok=True)
        for part in cache.glob(".part-*"):  # left by an interrupted run
            part.unlink(missing_ok=True)
        with tempfile.TemporaryDirectory(prefix="csreports-thumbnails-") as scratch:
            profiles = _Profiles(Path(scratch), jobs)
            pool = ThreadPoolExecutor(max_workers=jobs)
            try:
                futures = [
                    pool.submit(_deck_batch, soffice or "", pdftoppm, batch, cache, Path(scratch), profiles)
                    for batch in _batches(deck_jobs, jobs, batch_size)
                ]
                futures += [pool.submit(_pdf, pdftoppm, job, cache) for job in pdf_jobs]
                for future in futures:
                    for job, why in future.result():
                        if why is None:
                            report.made += 1
                        else:
                            report.failed.append((job.path, why))
            except BaseException:  # Ctrl-C: no new conversions, and stop the running ones
                pool.shutdown(wait=False, cancel_futures=True)
                _stop_running()
                raise
            finally:
                pool.shutdown(wait=True)
    report.available = cached_thumbnails(out_dir)
    return report

"""Writing outputs safely: slugs inside the output folder, atomic writes, manifests."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from reports.errors import CsReportsError, OutputError


def safe_slug(*parts: object, max_length: int = 80) -> str:
    """A file-name-safe slug: ASCII letters, digits and dashes only.

    >>> safe_slug("A-17", "Åkesson & Co / ../../etc")
    'a-17-akesson-co-etc'
    >>> safe_slug("..")
    'untitled'
    """
    text = " ".join(str(p) for p in parts if p is not None)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    slug = slug[:max_length].rstrip("-")
    return slug or "untitled"


def unique_slugs(
    keys: Sequence[str], parts: Sequence[Sequence[object]], *, max_length: int = 80
) -> list[str]:
    """One file-name slug per key, never the same for two keys.

    Each slug is ``safe_slug(*parts[i])``; every key whose slug another key
    shares gets ``-`` and the first 8 hex digits of the SHA-256 of the key
    appended, so ``A/1`` and ``A-1`` never write to one file. Keys are
    expected to be unique (account ids); the result depends only on the
    whole set passed, so pass every key of a dataset, not a selection, to
    keep one key's file name the same in every run.

    >>> unique_slugs(["A/1", "A-1", "B"], [["A/1", "Acme"], ["A-1", "Acme"], ["B", "Beta"]])
    ['a-1-acme-a5b3d27a', 'a-1-acme-bc4e7be9', 'b-beta']
    """
    slugs = [safe_slug(*p, max_length=max_length) for p in parts]
    counts = Counter(slugs)
    out = []
    for key, slug in zip(keys, slugs, strict=True):
        if counts[slug] > 1:
            slug = f"{slug}-{hashlib.sha256(str(key).encode('utf-8')).hexdigest()[:8]}"
        out.append(slug)
    if len(set(out)) != len(out):  # only when keys repeat, or a hash prefix collides
        raise CsReportsError("two keys give one file name even with their hash suffix: are the keys unique?")
    return out


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    Text beginning with ``= + - @`` (or a tab/carriage return) gets a leading
    apostrophe, which spreadsheets show as text. Numbers are left alone.

    >>> spreadsheet_safe(pd.DataFrame({"a": ["=1+1", "ok"], "b": [-1, 2]})).to_dict("list")
    {'a': ["'=1+1", 'ok'], 'b': [-1, 2]}
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return out


def path_inside(out_dir: Path, name: str) -> Path:
    """``out_dir / name``, refusing any name that would leave ``out_dir``."""
    base = Path(out_dir).resolve()
    target = (base / name).resolve()
    if base != target and base not in target.parents:
        raise CsReportsError(f"refusing to write {name!r} outside the output folder {base}")
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()


def ensure_out_dir(out_dir: Path) -> Path:
    """Prove that files can be written into ``out_dir`` before any work starts; returns it.

    The folder itself is not created (a command that then stops on bad input
    leaves nothing behind): its nearest existing ancestor must be a folder that
    takes a file. Raises :class:`~reports.errors.OutputError` (one line: the
    folder and the cause) for a read-only or full file system, a path below a
    file, or a folder without permission.
    """
    folder = Path(out_dir)
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise OutputError(folder, OSError(errno.ENOTDIR, "Not a directory"))
    try:
        with tempfile.TemporaryFile(dir=existing, prefix=".csreports-probe.") as probe:
            probe.write(b"csreports")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        raise OutputError(folder, exc) from None
    return folder


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder.

    Readers never see a half-written file: the temporary file is renamed
    over ``path`` only once complete; on any error it is removed. A file system
    error (full, read-only, a folder that is a file) is an
    :class:`~reports.errors.OutputError` naming ``path``.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise OutputError(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_json_atomic(path: Path, payload: Any) -> None:
    """Write ``payload`` as indented, key-sorted JSON, atomically."""
    text = json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    write_bytes_atomic(path, (text + "\n").encode("utf-8"))

"""A throwaway PostgreSQL server for the loading tests.

``CSREPORTS_TEST_POSTGRES_URL`` names a server to use (``.ci/run`` sets it).
Otherwise a temporary cluster is started with the Debian package's
``initdb``/``pg_ctl`` as the ``postgres`` user. Outside CI a machine with
neither skips the tests; in CI (``CI`` set) it fails them.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from tests.reports.local_servers import free_port


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@contextmanager
def postgres_url() -> Iterator[str | None]:
    """Yield a SQLAlchemy URL of an empty database, or None when none can be had."""
    given = os.environ.get("CSREPORTS_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        yield None
        return
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = tempfile.mkdtemp(prefix="csreports-pg-")
    shutil.chown(folder, "postgres") if as_postgres else None
    data = os.path.join(folder, "data")
    port = free_port()
    try:
        subprocess.run(
            [*as_postgres, initdb, "-D", data, "-U", "postgres", "--auth=trust"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *as_postgres,
                pg_ctl,
                "-D",
                data,
                "-w",
                "-l",
                os.path.join(folder, "log"),
                "-o",
                f"-p {port} -k {folder} -c listen_addresses=127.0.0.1",
                "start",
            ],
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError):
        shutil.rmtree(folder, ignore_errors=True)
        yield None
        return
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)

"""Worker processes end with the run that started them, however the run ends.

A ``kill -9`` of ``csreports run`` gives its worker processes no chance to
be told. Left alone they keep the forkserver and the resource tracker alive
and may go on writing files nobody records. :func:`exit_with` starts a
daemon thread in a worker that waits on the run's process (a Linux pidfd,
else a poll once a second) and ends the worker the moment the run is gone;
the forkserver and the resource tracker then see their pipes close and exit
on their own. A task writing its files and their record holds :data:`committing`,
and the watcher takes it before ending the process, so every finished file on
disk is on record; a file being written outside it stays a ``.part`` file,
which the next run removes.
"""

from __future__ import annotations

import os
import select
import threading
import time

_WATCHED: set[int] = set()

committing = threading.Lock()
"""Held while a task writes its files and records them; a killed run's worker ends only between tasks."""


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return True


def _wait_for_exit(pid: int, poll_seconds: float) -> None:
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is not None:
        try:
            fd = pidfd_open(pid)
        except ProcessLookupError:
            return
        except OSError:
            pass
        else:
            select.select([fd], [], [])  # readable once the process has ended
            return
    while process_alive(pid):
        time.sleep(poll_seconds)


def exit_with(pid: int | None, *, poll_seconds: float = 1.0) -> None:
    """End this process (exit code 1, no clean-up) as soon as process ``pid`` ends; None: do nothing.

    Safe to call more than once per process: one watcher per ``pid``.
    """
    if pid is None or pid == os.getpid() or pid in _WATCHED:
        return
    _WATCHED.add(pid)

    def watch() -> None:
        _wait_for_exit(pid, poll_seconds)
        with committing:  # let a task finish writing and recording its files
            os._exit(1)

    threading.Thread(target=watch, name=f"csreports-lifeline-{pid}", daemon=True).start()

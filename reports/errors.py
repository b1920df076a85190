"""Errors that the command line turns into one-line messages and exit codes."""

from __future__ import annotations

import errno
from collections.abc import Iterable


class CsReportsError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class ConfigError(CsReportsError, ValueError):
    """A config or job file is missing, unreadable or breaks its schema.

    ``problems`` holds one line per problem, each naming the file and the key
    path; the message is that line, or a count and every line.
    """

    def __init__(self, message: str, problems: Iterable[str] = ()):
        super().__init__(message)
        self.problems: tuple[str, ...] = tuple(problems) or (message,)

    @classmethod
    def listing(cls, problems: Iterable[str]) -> ConfigError:
        """One error for every problem found: the line itself, or a count and a line each."""
        lines = list(problems)
        if len(lines) == 1:
            return cls(lines[0], lines)
        return cls(f"{len(lines)} problems in the config files; nothing was run:\n" + "\n".join(lines), lines)


class DataProblem:
    """One problem in the input data: where it is and what is wrong.

    ``row`` is the 1-based data row (the header is not counted), or None
    when the problem concerns the whole table or a column.
    """

    __slots__ = ("column", "message", "row", "table")

    def __init__(self, table: str, row: int | None, column: str | None, message: str):
        self.table = table
        self.row = row
        self.column = column
        self.message = message

    def __str__(self) -> str:
        where = [self.table]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"

    def __repr__(self) -> str:
        return f"DataProblem({self!s})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DataProblem) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class DataError(CsReportsError, ValueError):
    """The input data breaks the contract; carries every problem found."""

    def __init__(self, problems: Iterable[DataProblem]):
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the input data"
        super().__init__("\n".join([head, *map(str, self.problems)]))


class DataSourceError(CsReportsError, ValueError):
    """``--data`` names no readable source: a malformed database URL or a missing SQLite file.

    The message shows the value with any password masked.
    """


class JobError(ConfigError):
    """A job file has problems; the message lists every one, a line each."""


class PeriodError(CsReportsError, ValueError):
    """A requested period is malformed or outside the data."""


class RenderError(CsReportsError):
    """A document could not be rendered."""

    exit_code = 3


class TemplateOutsideFolder(RenderError):
    """A template name resolves (through a symlink) to a file outside its template folder."""

    exit_code = 1


class OutputError(CsReportsError):
    """A file could not be written: the disk is full or read-only, a folder is a file, no permission.

    ``stops_run`` is True when the cause is the output location rather than one
    document (every cause but a name too long), so a batch stops instead of
    failing each remaining document the same way.
    """

    def __init__(self, path: object, exc: OSError):
        self.path = path
        self.errno = exc.errno
        self.stops_run = exc.errno != errno.ENAMETOOLONG
        super().__init__(f"cannot write {path}: {exc.strerror or exc}")


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: the run stops as on Ctrl-C, recording what finished."""


class FetchRefused(ValueError):
    """A URL a template asked for is outside what rendering may read (WeasyPrint wraps it)."""


class UnknownSegmentError(CsReportsError, ValueError):
    """``--segment`` names no segment of ``configs/segments.yaml``."""


class SendError(CsReportsError):
    """Sending an email failed for good (permanent SMTP error, or retries used up).

    ``transient`` says the server was unreachable or answered "try later" (4xx) on every
    attempt: the message itself may be fine, and a later run can send it.
    """

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.transient = transient


class ExecutorError(CsReportsError):
    """The executor cannot start or lost its workers."""

    exit_code = 3


def failure_line(exc: BaseException) -> str:
    """One line for a document that failed with ``exc``, for the manifest and the console.

    csreports' own errors already say what is wrong (their lines joined with "; ");
    anything else is an unexpected fault and keeps its class name.

    >>> failure_line(DataError([DataProblem("csms", 3, "email", "'x' is not an e-mail address")]))
    "csms, row 3, column 'email': 'x' is not an e-mail address"
    >>> failure_line(KeyError("segment"))
    "KeyError: 'segment'"
    """
    if isinstance(exc, DataError):
        lines = [str(problem) for problem in exc.problems]
    elif isinstance(exc, CsReportsError):
        lines = str(exc).splitlines()
    else:
        lines = [f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__]
    return "; ".join(line.strip() for line in lines if line.strip())

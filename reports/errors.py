"""Errors that the command line turns into one-line messages and exit codes."""

from __future__ import annotations

from collections.abc import Iterable


class CsReportsError(Exception):
    """Base class; ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class ConfigError(CsReportsError, ValueError):
    """A config or job file is missing, unreadable or holds an unknown key."""


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


class FetchRefused(ValueError):
    """A URL a template asked for is outside what rendering may read (WeasyPrint wraps it)."""


class UnknownSegmentError(CsReportsError, ValueError):
    """``--segment`` names no segment of ``configs/segments.yaml``."""


class SendError(CsReportsError):
    """Sending an email failed for good (permanent SMTP error, or retries used up)."""


class ExecutorError(CsReportsError):
    """The executor cannot start or lost its workers."""

    exit_code = 3

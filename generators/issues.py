"""The one problem type of the pipeline.

Every stage reports problems as :class:`Issue` records instead of raising on the
first one (Doorstop's way), and every issue carries the file, line and column it
is about (StrictDoc's way), printed as::

    content/rutiner/x.yml:12:5: error[unknown-key]: Okänd nyckel "stepz".
      tips: Menade du "steps"?
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, order=True)
class Position:
    """A place in a file. Line and column count from 1, as editors show them."""

    line: int = 1
    col: int = 1


@dataclass(frozen=True)
class Issue:
    severity: Severity
    code: str
    message: str
    path: str
    line: int = 1
    col: int = 1
    hint: str = ""
    related: tuple[str, ...] = field(default=())

    def format(self) -> str:
        head = f"{self.path}:{self.line}:{self.col}: {self.severity.label}[{self.code}]: {self.message}"
        lines = [head]
        if self.hint:
            lines.append(f"  tips: {self.hint}")
        lines.extend(f"  se även: {r}" for r in self.related)
        return "\n".join(lines)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.col, -int(self.severity), self.code, self.message)


def error(code: str, message: str, path: str | Path, pos: Position | None = None, hint: str = "", related: Iterable[str] = ()) -> Issue:
    pos = pos or Position()
    return Issue(Severity.ERROR, code, message, str(path), pos.line, pos.col, hint, tuple(related))


def warning(code: str, message: str, path: str | Path, pos: Position | None = None, hint: str = "", related: Iterable[str] = ()) -> Issue:
    pos = pos or Position()
    return Issue(Severity.WARNING, code, message, str(path), pos.line, pos.col, hint, tuple(related))


def info(code: str, message: str, path: str | Path, pos: Position | None = None, hint: str = "", related: Iterable[str] = ()) -> Issue:
    pos = pos or Position()
    return Issue(Severity.INFO, code, message, str(path), pos.line, pos.col, hint, tuple(related))


def failing(issues: Iterable[Issue], strict: bool = False) -> list[Issue]:
    """The issues that fail a check or build: errors, and warnings too when strict."""
    floor = Severity.WARNING if strict else Severity.ERROR
    return [i for i in issues if i.severity >= floor]


def print_issues(issues: Iterable[Issue], stream=None) -> None:
    """Every issue to stderr: errors, warnings and notes (such as a local record replacing one of the base)."""
    import sys

    for issue in issues:
        print(issue.format(), file=stream or sys.stderr)


def count(issues: Iterable[Issue]) -> dict[Severity, int]:
    result = {s: 0 for s in Severity}
    for i in issues:
        result[i.severity] += 1
    return result


def summary(issues: Iterable[Issue]) -> str:
    c = count(issues)
    return f"{c[Severity.ERROR]} fel, {c[Severity.WARNING]} varningar, {c[Severity.INFO]} upplysningar"

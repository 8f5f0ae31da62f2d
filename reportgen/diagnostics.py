"""Diagnostics: every problem reportgen finds, as data.

A stage never prints. It returns or raises `Diagnostic` objects; the CLI decides
how to show them (compiler-style text, JSON) and which exit code they mean.

Each code is declared once, as a module-level `Code` beside the check that emits it,
and every diagnostic is made through its declaration (`CODE.diagnostic(...)`,
`diags.emit(CODE, ...)`), so a call site cannot name an undeclared code or give a
code another severity. `reportgen.catalogue` collects the declarations.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file and, when known, line/column or CSV row/field."""

    path: str
    line: int | None = None
    column: int | None = None
    row: int | None = None  # CSV: 1-based row number, header is row 1
    field: str | None = None  # CSV column name or dotted data path
    cell: str | None = None  # a workbook's sheet and cell, e.g. Income!B7

    def __str__(self) -> str:
        text = self.path
        if self.cell is not None:
            return f"{text}:{self.cell}"  # data/budget.xlsx:Income!B7, as Excel names it
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Code:
    """A diagnostic code: its default severity, title and explanation (for the docs)."""

    code: str
    severity: Severity  # the default; report.yaml can raise it (and lower warnings)
    title: str
    explanation: str

    def __post_init__(self) -> None:
        # Explanations are written as indented triple-quoted text; keep them tidy.
        object.__setattr__(self, "explanation", textwrap.dedent(self.explanation).strip())

    @property
    def family(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def lowerable(self) -> bool:
        """Only warnings and infos may be lowered: errors stop a broken or unsafe build."""
        return self.severity is not Severity.ERROR

    def diagnostic(
        self, message: str, location: Location | None = None, hint: str | None = None
    ) -> Diagnostic:
        """One finding of this code, at its default severity."""
        return Diagnostic(self.code, message, self.severity, location, hint)


@dataclass(frozen=True)
class Diagnostic:
    """One finding: a stable dotted code, a plain-English message and a hint."""

    code: str
    message: str
    severity: Severity = Severity.ERROR
    location: Location | None = None
    hint: str | None = None

    def format_text(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity.value}[{self.code}]: {self.message}"
        if self.location and self.location.row is not None:
            text += f" (row {self.location.row}"
            text += f", column '{self.location.field}')" if self.location.field else ")"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Diagnostic:
        """The inverse of `to_json`: a recorded diagnostic, for an up-to-date build's
        warnings and a replayed validate."""
        loc = data.get("location")
        return cls(
            code=str(data["code"]),
            message=str(data["message"]),
            severity=Severity(data["severity"]),
            location=Location(**loc) if isinstance(loc, dict) else None,
            hint=data.get("hint"),
        )

    def format_github(self, path_prefix: str = "") -> str:
        """A GitHub Actions workflow command: `::error file=...,line=...::message`."""
        command = {"error": "error", "warning": "warning", "info": "notice"}[self.severity.value]
        props = [f"title={_gh_property(self.code)}"]
        if self.location is not None:
            props.insert(0, f"file={_gh_property(path_prefix + self.location.path)}")
            line = self.location.line or self.location.row
            if line is not None:
                props.insert(1, f"line={line}")
                if self.location.column is not None:
                    props.insert(2, f"col={self.location.column}")
        text = f"{self.message} [{self.code}]"
        if self.hint:
            text += f"\nhint: {self.hint}"
        return f"::{command} {','.join(props)}::{_gh_message(text)}"


def _gh_message(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_message(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class DiagnosticList:
    """Collects diagnostics from every stage so one run reports every problem."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    def emit(
        self, code: Code, message: str, location: Location | None = None, hint: str | None = None
    ) -> None:
        self.add(code.diagnostic(message, location, hint))

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    @property
    def infos(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.INFO]

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def sorted(self) -> list[Diagnostic]:
        """Order by file, then line, so output reads like a compiler's."""

        def key(d: Diagnostic) -> tuple[str, int, int, str]:
            loc = d.location
            if loc is None:
                return ("", 0, 0, d.code)
            return (loc.path, loc.line or loc.row or 0, loc.column or 0, d.code)

        return sorted(self.items, key=key)


class ReportgenError(Exception):
    """A user error: the project cannot be processed. Carries its diagnostics."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("; ".join(d.message for d in self.diagnostics))


def _counts(items: list[Diagnostic]) -> dict[str, int]:
    return {
        "errors": sum(d.severity is Severity.ERROR for d in items),
        "warnings": sum(d.severity is Severity.WARNING for d in items),
        "infos": sum(d.severity is Severity.INFO for d in items),
    }


def summarise(diagnostics: Iterable[Diagnostic]) -> dict[str, Any]:
    """Counts by severity, then by file and by code (each by severity)."""
    items = list(diagnostics)
    by_file: dict[str, list[Diagnostic]] = {}
    by_code: dict[str, list[Diagnostic]] = {}
    for d in items:
        by_file.setdefault(d.location.path if d.location else "(project)", []).append(d)
        by_code.setdefault(d.code, []).append(d)
    return {
        **_counts(items),
        "by_file": {k: _counts(v) for k, v in sorted(by_file.items())},
        "by_code": {k: _counts(v) for k, v in sorted(by_code.items())},
    }


def to_json_document(
    diagnostics: Iterable[Diagnostic], extra: Mapping[str, object] | None = None
) -> str:
    """The documented JSON shape: {"diagnostics": [...], "summary": {...}, ...extra}."""
    items = list(diagnostics)
    document: dict[str, object] = {
        "diagnostics": [d.to_json() for d in items],
        "summary": summarise(items),
    }
    document.update(extra or {})
    return json.dumps(document, indent=2)


def promote_warnings(diags: DiagnosticList) -> DiagnosticList:
    """`--strict`: every warning becomes an error (here, not beside the severity checks:
    a replayed validate prints without loading them)."""
    return DiagnosticList(
        [
            replace(d, severity=Severity.ERROR) if d.severity is Severity.WARNING else d
            for d in diags.items
        ]
    )

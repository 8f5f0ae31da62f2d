"""What `reportgen validate` prints, as text: for the CLI (the only module that prints).

Text output is the diagnostics in compiler form, then the completeness checklist, then
what the disclosure policy withholds, then a summary by file and by code. JSON output
is one document with the same parts; GitHub output is one workflow command per
diagnostic.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.diagnostics import Diagnostic, summarise, to_json_document

if TYPE_CHECKING:  # an up-to-date build prints its warnings without loading the checks
    from reportgen.checks.completeness import Checklist
    from reportgen.disclosure import DisclosureControl


def disclosure_lines(control: DisclosureControl) -> list[str]:
    """What will be suppressed and why (never the values)."""
    lines = [
        f"Disclosure control: counts of children from 1 to {control.threshold} are shown as "
        f"'{control.symbol}'; {len(control.withheld)} figure(s) withheld"
    ]
    for entry in control.withheld:
        loc = entry.location
        where = f"{loc.path}:{loc.line}" if loc.line else loc.path
        lines.append(f"  {where}: {entry.describe(control.threshold)}")
    return lines


def summary_lines(diagnostics: Iterable[Diagnostic]) -> list[str]:
    """Problems by file and by code, after the details."""
    summary = summarise(diagnostics)
    if not summary["by_code"]:
        return []

    def counts(c: dict[str, int]) -> str:
        parts = [f"{c['errors']} error(s)" if c["errors"] else ""]
        parts.append(f"{c['warnings']} warning(s)" if c["warnings"] else "")
        parts.append(f"{c['infos']} info(s)" if c["infos"] else "")
        return ", ".join(p for p in parts if p)

    lines = ["Summary by file:"]
    lines += [f"  {path}: {counts(c)}" for path, c in summary["by_file"].items()]
    lines.append("Summary by code:")
    lines += [f"  {code}: {counts(c)}" for code, c in summary["by_code"].items()]
    return lines


@dataclass(frozen=True)
class ReportParts:
    """The checklist and the disclosure summary of validate's output, as JSON and as
    printed lines: what a replayed validate (reportgen.replay) shows again, without the
    checks that made them."""

    checklist: dict[str, object] | None = None
    checklist_lines: tuple[str, ...] = ()
    disclosure: dict[str, object] | None = None
    disclosure_lines: tuple[str, ...] = ()

    @classmethod
    def of(cls, checklist: Checklist | None, disclosure: DisclosureControl | None) -> ReportParts:
        return cls(
            checklist.to_json() if checklist is not None else None,
            tuple(checklist.format_text()) if checklist is not None else (),
            disclosure.to_json() if disclosure is not None else None,
            tuple(disclosure_lines(disclosure)) if disclosure and disclosure.withheld else (),
        )

    def to_json(self) -> dict[str, object]:
        return {
            "checklist": self.checklist,
            "checklist_lines": list(self.checklist_lines),
            "disclosure": self.disclosure,
            "disclosure_lines": list(self.disclosure_lines),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> ReportParts:
        """The inverse of `to_json`; ValueError for anything else."""
        checklist, disclosure = data["checklist"], data["disclosure"]
        lines = (data["checklist_lines"], data["disclosure_lines"])
        if not all(isinstance(x, dict) or x is None for x in (checklist, disclosure)) or not all(
            isinstance(x, list) and all(isinstance(line, str) for line in x) for x in lines
        ):
            raise ValueError("not the parts of a validate's output")
        return cls(checklist, tuple(lines[0]), disclosure, tuple(lines[1]))  # type: ignore[arg-type]


def json_document(
    diagnostics: list[Diagnostic],
    checklist: Checklist | None = None,
    disclosure: DisclosureControl | None = None,
    *,
    command: str = "validate",
    valid: bool,
    outputs: Sequence[Path] | None = None,
    up_to_date: bool | None = None,
    parts: ReportParts | None = None,
) -> str:
    """The documented JSON shape (reportgen/schemas/output.schema.json): the envelope,
    diagnostics, summary, and the checklist, disclosure and outputs when there are any
    (`parts` in place of the checklist and disclosure: a replayed validate's)."""
    parts = parts or ReportParts.of(checklist, disclosure)
    extra: dict[str, object] = {}
    if parts.checklist is not None:
        extra["checklist"] = parts.checklist
    if parts.disclosure is not None:
        extra["disclosure"] = parts.disclosure
    if outputs is not None:
        extra["outputs"] = output_records(outputs)
    if up_to_date is not None:
        extra["up_to_date"] = up_to_date
    return envelope(command, valid, json.loads(to_json_document(diagnostics, extra)))


# --- the JSON output's envelope (documented in reportgen/docs/json-output.md) -------------------

# The version of the JSON output's shape: the major number changes when a field is
# removed or changes meaning, the minor when one is added. CI scripts can check it.
SCHEMA_VERSION = "1.0"
_OUTPUT_KINDS = {".html": "html", ".pdf": "pdf"}


def envelope(command: str, valid: bool, body: dict[str, object]) -> str:
    """`body` with the fields every JSON document starts with."""
    head: dict[str, object] = {"schema_version": SCHEMA_VERSION, "command": command}
    return json.dumps({**head, "valid": valid, **body}, indent=2)


def output_records(outputs: Sequence[Path]) -> list[dict[str, object]]:
    """Every written file: a folder of outputs (the data export) by each file in it."""
    files: list[Path] = []
    for path in outputs:
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return [output_record(path) for path in files]


def output_record(path: Path) -> dict[str, object]:
    """One written output: where, what kind (html, pdf, or data for the data export),
    its size and SHA-256, so CI can check what it publishes."""
    data = path.read_bytes()
    return {
        "path": path.as_posix(),
        "kind": _OUTPUT_KINDS.get(path.suffix.lower(), "data"),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def output_schema() -> str:
    """The JSON Schema of `--format json` output (packaged with reportgen)."""
    from importlib.resources import files

    return (files("reportgen") / "schemas" / "output.schema.json").read_text(encoding="utf-8")

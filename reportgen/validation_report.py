"""What `reportgen validate` prints, as text: for the CLI (the only module that prints).

Text output is the diagnostics in compiler form, then the completeness checklist, then
what the disclosure policy withholds, then a summary by file and by code. JSON output
is one document with the same parts; GitHub output is one workflow command per
diagnostic.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def json_document(
    diagnostics: list[Diagnostic],
    checklist: Checklist | None = None,
    disclosure: DisclosureControl | None = None,
) -> str:
    """The documented JSON shape: diagnostics, summary, checklist and disclosure."""
    extra: dict[str, object] = {}
    if checklist is not None:
        extra["checklist"] = checklist.to_json()
    if disclosure is not None:
        extra["disclosure"] = disclosure.to_json()
    return to_json_document(diagnostics, extra)

"""Every {{ reference }} in narrative resolves to data (code: content.unresolved-reference)."""

from __future__ import annotations

import difflib

from reportgen.derive import Derived
from reportgen.diagnostics import DiagnosticList, Location
from reportgen.project import DATASETS, Project

# Which data file a reference's first word comes from, to avoid cascades:
# when that file already failed its schema, the reference is not reported again.
_PREFIX_DATASET = {
    "indicator": "indicators",
    "indicators": "indicators",
    "budget": "budget",
    "training": "training",
    "reviews": "reviews",
    "review": "reviews",
    "audit": "reviews",
    "audits": "reviews",
    "table": "tables",
    "tables": "tables",
    "reach": "partners",
    "partners": "partners",
    "governance": "governance",
    "priorities": "priorities",
    "next_year": "priorities",
}


def check_references(project: Project, derived: Derived, diags: DiagnosticList) -> None:
    block_keys = sorted(derived.blocks)
    for section in project.config.sections:
        source = project.narrative.get(section.id)
        if source is None:
            continue
        for ref in source.refs:
            parts = ref.target.split(".")
            dataset = _PREFIX_DATASET.get(parts[0])
            if dataset in project.failed:
                continue
            if (
                parts[0] in ("table", "tables")
                and f"tables.{parts[1:2] and parts[1]}" in project.failed
            ):
                continue  # that table's CSV already failed to load
            where = Location(source.path, ref.line)
            if ref.kind is None:
                if ref.target not in derived.references:
                    close = difflib.get_close_matches(ref.target, list(derived.references), n=1)
                    diags.error(
                        "content.unresolved-reference",
                        f"'{{{{ {ref.target} }}}}' does not match any data",
                        where,
                        f"did you mean '{close[0]}'?" if close else _missing_hint(dataset),
                    )
            else:
                key = f"{ref.kind} {ref.target}"
                if key not in derived.blocks:
                    close = difflib.get_close_matches(key, block_keys, n=1)
                    diags.error(
                        "content.unknown-block",
                        f"'{{{{ {key} }}}}' does not match any table, chart or list",
                        where,
                        f"did you mean '{{{{ {close[0]} }}}}'?"
                        if close
                        else _missing_hint(dataset),
                    )


def _missing_hint(dataset: str | None) -> str:
    if dataset is None:
        return "see `reportgen docs references` for the names you can use"
    return (
        f"is {DATASETS[dataset][0]} present and does it define this id? "
        "see `reportgen docs references`"
    )

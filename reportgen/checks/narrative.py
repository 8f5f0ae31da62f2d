"""Every {{ reference }} in narrative resolves to data (code: content.unresolved-reference)."""

from __future__ import annotations

import difflib

from reportgen.datasets import Dataset, offering
from reportgen.derive import BlockKey, Derived
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.project import Project, reference_sources

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONTENT_UNRESOLVED_REFERENCE = Code(
    "content.unresolved-reference",
    Severity.ERROR,
    "A {{ reference }} in narrative does not match any data",
    "See `reportgen docs references` for the names that can be quoted; the hint suggests one.",
)
CONTENT_UNKNOWN_BLOCK = Code(
    "content.unknown-block",
    Severity.ERROR,
    "A {{ table/chart/tiles/list/cards ... }} block does not exist",
    "See `reportgen docs references` for the blocks each data file provides.",
)


def check_references(project: Project, derived: Derived, diags: DiagnosticList) -> None:
    block_keys = sorted(str(k) for k in derived.blocks)
    for section in project.config.sections:
        source = project.narrative.get(section.id)
        if source is None:
            continue
        for ref in source.refs:
            dataset = offering(ref.target.split(".")[0])
            if project.blocked(*reference_sources(ref.target)):
                continue  # its data file already failed: reported there, once
            where = Location(source.path, ref.line)
            if ref.kind is None:
                if ref.target not in derived.references:
                    if project.incomplete(dataset.name if dataset else None):
                        continue  # it may name an item left out for its errors
                    close = difflib.get_close_matches(ref.target, list(derived.references), n=1)
                    diags.emit(
                        CONTENT_UNRESOLVED_REFERENCE,
                        f"'{{{{ {ref.target} }}}}' does not match any data",
                        where,
                        f"did you mean '{close[0]}'?" if close else _missing_hint(dataset),
                    )
            else:
                key = BlockKey(ref.kind, ref.target)
                if key not in derived.blocks:
                    if project.incomplete(dataset.name if dataset else None):
                        continue
                    close = difflib.get_close_matches(str(key), block_keys, n=1)
                    diags.emit(
                        CONTENT_UNKNOWN_BLOCK,
                        f"'{{{{ {key} }}}}' does not match any table, chart or list",
                        where,
                        f"did you mean '{{{{ {close[0]} }}}}'?"
                        if close
                        else _missing_hint(dataset),
                    )


def _missing_hint(dataset: Dataset | None) -> str:
    if dataset is None:
        return "see `reportgen docs references` for the names you can use"
    return f"is {dataset.file} present and does it define this id? see `reportgen docs references`"

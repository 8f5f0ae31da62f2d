"""Generate the reference guide (reportgen/docs/references.md) from the datasets.

The names narrative can quote are declared once, by each dataset (`references` and
`blocks` in reportgen/datasets/) and by derive for the names every document offers; the
prose here says how to write them. A test fails when the committed document differs
from what this module produces, and another when a name the example resolves is not
declared (tests/test_docs.py).
"""

from __future__ import annotations

from reportgen.datasets import Offered, declared
from reportgen.derive import COMMON_REFERENCES

_INTRO = """\
# Quoting data in narrative

A section's Markdown quotes figures with double braces, so a number in a sentence
comes from the same record as the table. `reportgen validate` reports any reference
that does not resolve, with the file and line.

In a name, CAPITALS stand for an id or a word from the data file: `indicator.ID` is
`indicator.cp_plans` for the indicator with `id: cp_plans`. Names from a file the
project does not have do not resolve.
"""

_INLINE = """\
## Inline values

Write `{{ name }}` inside a sentence; it is replaced by the formatted figure.
"""

_DISCLOSURE = """\
Counts of children from 1 to 5 (the disclosure policy in report.yaml, see
[validation.md](validation.md)) are printed as `c` by every reference, table, chart and
tile, and `.difference` is withheld with them.
"""

_BLOCKS = """\
## Blocks

Write `{{ KIND TARGET }}` alone on its own line (a paragraph of its own) to place a
table, chart, set of tiles, list or cards there.
"""


def _names(offered: Offered, braces: bool) -> str:
    return ", ".join(f"`{{{{ {n} }}}}`" if braces else f"`{n}`" for n in offered.names)


def references_markdown() -> str:
    """The whole of reportgen/docs/references.md."""
    lines = [_INTRO, _INLINE, "| reference | from | gives | example |", "|---|---|---|---|"]
    for from_where, offered in COMMON_REFERENCES:
        lines.append(
            f"| {_names(offered, False)} | {from_where} | {offered.gives} | {offered.example} |"
        )
    for dataset in declared():
        for offered in dataset.references:
            lines.append(
                f"| {_names(offered, False)} | `{dataset.file}` | {offered.gives} "
                f"| {offered.example} |"
            )
    lines += ["", _DISCLOSURE, _BLOCKS, "| block | from | shows |", "|---|---|---|"]
    for dataset in declared():
        for offered in dataset.blocks:
            lines.append(f"| {_names(offered, True)} | `{dataset.file}` | {offered.gives} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(references_markdown())

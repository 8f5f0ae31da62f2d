"""Docs cannot drift from the code."""

from __future__ import annotations

import re

from reportgen.schema_docs import project_format_markdown
from tests.conftest import REPO


def test_project_format_doc_is_current() -> None:
    committed = (REPO / "reportgen" / "docs" / "project-format.md").read_text(encoding="utf-8")
    assert committed == project_format_markdown(), "run `make docs` and commit the result"


def test_every_reference_family_in_derive_is_documented() -> None:
    derive_src = "".join(
        p.read_text(encoding="utf-8") for p in (REPO / "reportgen" / "datasets").glob("*.py")
    )
    documented = (REPO / "reportgen" / "docs" / "references.md").read_text(encoding="utf-8")
    # Blocks the datasets' derive steps add, e.g. add_block("table", "budget.income", ...)
    names = set(re.findall(r'add_block\(\s*"(\w+)",\s*f?"([a-z_.]+)', derive_src))
    assert names, "no blocks found: have the derive steps changed shape?"
    for kind, target in names:
        assert f"{{{{ {kind} {target}" in documented, f"{kind} {target} is not documented"

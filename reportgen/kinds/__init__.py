"""The kinds of document reportgen builds, by the name `kind:` gives in report.yaml.

Each kind is declared once, in its own module (`annual_report.py`, `arrangements.py`,
`business_plan.py`), as a `DocumentKind`, and registered here. Adding a kind is adding
its module and one `register` line; nothing generic changes (the loader, checks, derive
and renderer ask `project.kind`).
"""

from __future__ import annotations

from reportgen.datasets.base import DatasetFile
from reportgen.kinds.annual_report import ANNUAL_REPORT
from reportgen.kinds.arrangements import ARRANGEMENTS
from reportgen.kinds.base import (
    DocumentKind,
    Period,
    PeriodRule,
    Undated,
    Wording,
)
from reportgen.kinds.business_plan import BUSINESS_PLAN
from reportgen.model.config import DEFAULT_KIND

_KINDS: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    """Make `kind` available to `kind:` in report.yaml; ValueError for a bad declaration."""
    problems = kind.problems()
    if kind.name in _KINDS and _KINDS[kind.name] is not kind:
        problems.append("a different kind is registered under this name")
    if problems:
        raise ValueError(f"document kind '{kind.name}': " + "; ".join(problems))
    _KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Forget a kind (tests register their own and take them away again)."""
    if name == DEFAULT_KIND:
        raise ValueError("the default kind cannot be unregistered")
    _KINDS.pop(name, None)


def kind_named(name: str) -> DocumentKind | None:
    return _KINDS.get(name)


def kind_names() -> list[str]:
    return sorted(_KINDS)


def default_kind() -> DocumentKind:
    return _KINDS[DEFAULT_KIND]


register(ANNUAL_REPORT)
register(ARRANGEMENTS)
register(BUSINESS_PLAN)

__all__ = [
    "DEFAULT_KIND",
    "DatasetFile",
    "DocumentKind",
    "Period",
    "PeriodRule",
    "Undated",
    "Wording",
    "default_kind",
    "kind_named",
    "kind_names",
    "register",
    "unregister",
]

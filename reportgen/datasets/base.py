"""What a dataset is: one data file, declared once.

A `Dataset` says everything reportgen knows about one data file: where it lives, its
schema, the kinds of document that accept it, the names it offers to narrative (from
which `reportgen/docs/references.md` is generated), how it derives figures and blocks,
and the checks that concern it. Each lives in its own module of `reportgen/datasets/`
as `DATASET = Dataset(...)`; the package finds them (`reportgen.datasets.declared`), so
adding a data file is adding its module and nothing generic.

This module sits in the lowest layer (the loader and the kinds read declarations), so
a derive step is typed loosely here and strictly where it is defined.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

# A name's CAPITALS stand for an id or a word from the data (`indicator.ID.prior`).
_PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True)
class DatasetFile:
    """One data file a kind accepts: where it lives and the schema it must match."""

    name: str  # how checks and derive ask for it: `project.dataset("budget", Budget)`
    file: str  # relative to the project, e.g. data/budget.yaml
    schema: type[BaseModel]
    # Its records and figures belong to the document's period (derive and the date
    # checks need one): only a dated kind may accept it.
    dated: bool = True


@dataclass(frozen=True, kw_only=True)
class Offered:
    """Names narrative can quote, `{{ NAME }}` inline or `{{ KIND TARGET }}` as a block.

    Names that share a description are listed together; CAPITALS in a name stand for
    an id or a word from the data, so `indicator.ID` is a family of names.
    """

    names: tuple[str, ...]
    gives: str  # what it is, for the reference table
    example: str = ""  # a value as printed (inline names only)

    def matches(self, name: str) -> bool:
        return any(pattern_of(n).fullmatch(name) for n in self.names)


def pattern_of(name: str) -> re.Pattern[str]:
    """The names a declared name stands for: `indicator.ID` matches `indicator.cp_plans`."""
    parts = re.split(r"([ .])", name)
    return re.compile("".join("[^ .]+" if _PLACEHOLDER.match(p) else re.escape(p) for p in parts))


# (project, data, derived) -> None: fills `derived` from this dataset's validated data.
DeriveStep = Callable[[Any, Any, Any], None]
# A list item of a data file, by its path (`("indicators", 3)`): reportgen.load.positions'
# DataPath, restated here below the loader.
ItemPath = tuple[str | int, ...]
# (target) -> what a reference into this dataset is made from: the keys of
# `Project.failed` (the dataset, or a file of its own such as `training.courses_file`).
SourcesOf = Callable[[str], tuple[str, ...]]


@dataclass(frozen=True, kw_only=True)
class Dataset(DatasetFile):
    """A data file with all reportgen knows about it (see the module's docstring)."""

    kinds: tuple[str, ...]  # the kinds of document that accept it, by name
    summary: str  # one line: what the file holds (for the reference tables)
    references: tuple[Offered, ...] = ()  # inline names: `{{ budget.income.total }}`
    blocks: tuple[Offered, ...] = ()  # blocks: `{{ table budget.income }}`
    derive: DeriveStep | None = None
    # Loading, when a file is more than its YAML. `prepare(root, data, source_map, diags)`
    # fills the raw YAML from the spreadsheets it names, before the schema validates it,
    # and may return list items to leave out (their errors are reported where they are);
    # `attach(project, data, diags)` reads the files the validated data names.
    prepare: Callable[[Any, Any, Any, Any], list[ItemPath] | None] | None = None
    attach: Callable[[Any, Any, Any], None] | None = None
    sources: SourcesOf | None = None  # default: the dataset itself
    # The checks in reportgen/checks/ that concern this file, by reference (they run
    # from `reportgen.checks.run_checks`; tests/test_datasets.py proves each does).
    checks: tuple[Callable[..., None], ...] = ()
    # The commented example `reportgen init` writes to `file` (with reportgen/scaffold/'s
    # @@TOKENS@@), when reportgen/scaffold/ has none: a new dataset brings its own.
    starter: str | None = None

    @property
    def prefixes(self) -> set[str]:
        """The first words of the names it offers (`budget`, `indicator`, `indicators`)."""
        found = {n.split(".")[0] for o in self.references for n in o.names}
        return found | {n.split(" ")[1].split(".")[0] for o in self.blocks for n in o.names}

    def sources_of(self, target: str) -> tuple[str, ...]:
        return self.sources(target) if self.sources is not None else (self.name,)

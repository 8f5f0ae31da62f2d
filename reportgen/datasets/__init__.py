"""The datasets reportgen knows: one module per data file, each declaring `DATASET`.

They are found here, by looking in this package, rather than listed anywhere: adding
a data file is adding its module (see `reportgen.datasets.base` and, as a small and
complete example, `risks.py`). The modules are imported only when first asked for, like
plug-ins: they sit above the loader (their derive steps use the loaded project),
while this finder sits below it, so the loader and the kinds can ask for them. That
run-time import is the package's one plug-in edge: tests/test_architecture.py declares
it and fails if any other module imports by a computed name.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType

from reportgen.datasets.base import Dataset, DatasetFile, Offered


@cache
def modules() -> tuple[ModuleType, ...]:
    """Every module of this package that declares a dataset, in module-name order."""
    found: list[ModuleType] = []
    for name in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        module = importlib.import_module(f"{__name__}.{name}")
        if isinstance(getattr(module, "DATASET", None), Dataset):
            found.append(module)
    return tuple(found)


def declared() -> tuple[Dataset, ...]:
    """Every dataset of this package, in module-name order (which derive keeps)."""
    return tuple(module.DATASET for module in modules())


def accepted_by(kind: str) -> tuple[Dataset, ...]:
    """The datasets that say the kind called `kind` accepts them."""
    return tuple(d for d in declared() if kind in d.kinds)


def offering(prefix: str) -> Dataset | None:
    """The dataset whose names start with `prefix` (`indicator`, `budget`), if any."""
    return _by_prefix().get(prefix)


@cache
def _by_prefix() -> dict[str, Dataset]:
    # Asked for every reference of the narrative (about 2,600 times in the example):
    # the first dataset, in module order, to offer each prefix.
    index: dict[str, Dataset] = {}
    for dataset in declared():
        for prefix in dataset.prefixes:
            index.setdefault(prefix, dataset)
    return index


__all__ = [
    "Dataset",
    "DatasetFile",
    "Offered",
    "accepted_by",
    "declared",
    "modules",
    "offering",
]

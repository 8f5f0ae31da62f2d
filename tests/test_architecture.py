"""The package's shape: layers that import only downwards, no circles, small modules.

The import graph is drawn from the source (ast), counting every import: at module
level, inside functions (deferred for speed) and under TYPE_CHECKING alike, since each
is a dependency a reader must follow. The one import no statement shows, the dataset
finder's run-time import of the dataset modules, is declared and pinned (PLUGIN_FINDER).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "reportgen"

# Lowest first. A module may import its own layer or a lower one, never a higher one.
# `name.*` covers a package's modules; an exact name wins over a pattern.
LAYERS: list[tuple[str, list[str]]] = [
    (
        "model and diagnostics",
        [
            "reportgen",
            "reportgen.diagnostics",
            "reportgen.model",
            "reportgen.model.*",
            "reportgen.figures",
            "reportgen.identifiers",
            "reportgen.views",
            "reportgen.progress",
            "reportgen.handbook",
            "reportgen.cpus",
            "reportgen.colour",
            "reportgen.atomic",
            "reportgen.memo",
            "reportgen.fingerprints",
            "reportgen.export.cells",
            "reportgen.layout",
            "reportgen.kinds",
            "reportgen.kinds.*",
            # The dataset declaration and the finder the loader and kinds ask; the
            # datasets themselves are found at run time: the one plug-in edge
            # (PLUGIN_FINDER below).
            "reportgen.datasets",
            "reportgen.datasets.base",
        ],
    ),
    ("load", ["reportgen.load", "reportgen.load.*", "reportgen.project"]),
    (
        "checks and derive",
        [
            "reportgen.checks",
            "reportgen.checks.*",
            "reportgen.derive",
            "reportgen.derived",
            "reportgen.activity",
            "reportgen.open_figures",
            "reportgen.disclosure",
            "reportgen.ledger",
            "reportgen.glance",
            "reportgen.digest",
            "reportgen.hyphenation",
            "reportgen.theme",
            "reportgen.export.checks",
            "reportgen.history",
            "reportgen.lastyear",
            "reportgen.readiness",
        ],
    ),
    # One module per data file: its declaration, derive step and checks (by reference).
    ("datasets", ["reportgen.datasets.*"]),
    ("render", ["reportgen.render", "reportgen.render.*", "reportgen.cache"]),
    (
        "write",
        [
            "reportgen.write",
            "reportgen.export",
            "reportgen.export.ees",
            "reportgen.export.collect",
            "reportgen.jsonschema",
            "reportgen.scaffold",
            "reportgen.schema_docs",
            "reportgen.reference_docs",
            "reportgen.validation_report",
            "reportgen.replay",
            "reportgen.newyear",
        ],
    ),
    (
        "pipeline",
        ["reportgen.pipeline", "reportgen.many", "reportgen.serve", "reportgen.catalogue"],
    ),
    ("cli", ["reportgen.cli", "reportgen.cli.*", "reportgen.__main__"]),
]

# The one edge the import statements do not show: `reportgen.datasets` (the finder, in the
# lowest layer, so the loader and the kinds can ask it) imports each dataset module of its
# package at run time, like plug-ins, though they sit above the loader. It is not drawn in
# GRAPH, or it would be an upward arrow and a circle through the loader by design; instead
# the tests below pin that it is the only module importing by name at run time and that
# what it imports are the dataset modules and nothing else.
PLUGIN_FINDER = "reportgen.datasets"
PLUGIN_LAYER = "datasets"
# Calls that import a module whose name is computed, which no import statement shows.
_DYNAMIC_IMPORTS = {"import_module", "__import__", "spec_from_file_location", "exec_module"}

MAX_LINES = 600
OVER_THE_LIMIT: set[str] = set()  # none today; an exception must say why


def _modules(package: Path = PACKAGE) -> dict[str, Path]:
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the package modules it imports (a name from a package is the package)."""

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str | None] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets |= {resolve(a.name) for a in node.names if a.name.startswith("reportgen")}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([node.module] if node.module else []))
                if not base.startswith("reportgen"):
                    continue
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in modules else resolve(base))
        graph[name] = {t for t in targets if t is not None and t != name}
    return graph


def layer_of(module: str) -> int | None:
    for index, (_, names) in enumerate(LAYERS):
        if module in names:
            return index
    for index, (_, names) in enumerate(LAYERS):
        if any(n.endswith(".*") and module.startswith(n[:-1]) for n in names):
            return index
    return None


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    found = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            low, high = layer_of(module), layer_of(target)
            if low is not None and high is not None and high > low:
                found.append(f"{module} ({LAYERS[low][0]}) imports {target} ({LAYERS[high][0]})")
    return found


GRAPH = import_graph(_modules())


def test_every_module_has_a_layer() -> None:
    missing = sorted(m for m in GRAPH if layer_of(m) is None)
    assert not missing, f"add these modules to a layer in LAYERS: {missing}"


def test_no_import_circles() -> None:
    assert circles(GRAPH) == []


def test_no_import_runs_up_a_layer() -> None:
    assert upward_imports(GRAPH) == []


def test_the_graph_sees_deferred_and_type_only_imports() -> None:
    # Or the two tests above prove little: these edges are inside functions or
    # under TYPE_CHECKING.
    assert "reportgen.pipeline" in GRAPH["reportgen.many"]  # inside build_one
    assert "reportgen.cache" in GRAPH["reportgen.render.chartset"]  # TYPE_CHECKING
    assert "reportgen.render.sandbox" in GRAPH["reportgen.render.pdf"]


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        (
            {"a.py": "def f():\n    from reportgen import b\n", "b.py": "import reportgen.a\n"},
            "circle",
        ),
        ({"low.py": "from .high import x\n", "high.py": "x = 1\n"}, "upward"),
    ],
)
def test_a_circle_or_an_upward_import_is_found(
    tmp_path: Path, files: dict[str, str], problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "reportgen"  # a stand-in package, read and never imported
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, text in files.items():
        (package / name).write_text(text)
    graph = import_graph(_modules(package))
    if problem == "circle":
        assert circles(graph) == [["reportgen.a", "reportgen.b"]]
    else:
        monkeypatch.setattr(
            "tests.test_architecture.LAYERS",
            [("low", ["reportgen.low"]), ("high", ["reportgen.high"])],
        )
        assert upward_imports(graph) == ["reportgen.low (low) imports reportgen.high (high)"]


def dynamic_importers(modules: dict[str, Path]) -> set[str]:
    """The modules that call a run-time import (`importlib.import_module(name)` ...)."""
    found = set()
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if called in _DYNAMIC_IMPORTS:
                    found.add(name)
    return found


def test_the_dataset_finder_is_the_one_run_time_import() -> None:
    assert dynamic_importers(_modules()) == {PLUGIN_FINDER}


def test_the_dataset_finder_imports_only_the_dataset_layer() -> None:
    import reportgen.datasets

    found = [module.__name__ for module in reportgen.datasets.modules()]
    assert "reportgen.datasets.risks" in found  # it found the plug-ins at all
    layers = {LAYERS[layer][0] for m in found if (layer := layer_of(m)) is not None}
    # No module below that layer imports one by name (test_no_import_runs_up_a_layer).
    assert layers == {PLUGIN_LAYER}, found


def test_a_run_time_import_is_found(tmp_path: Path) -> None:
    package = tmp_path / "reportgen"  # a stand-in package, read and never imported
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "plain.py").write_text("import importlib.resources\n")
    (package / "sly.py").write_text("import importlib\nm = importlib.import_module('x')\n")
    assert dynamic_importers(_modules(package)) == {"reportgen.sly"}


def test_no_module_is_over_the_limit() -> None:
    long = {
        str(path.relative_to(REPO)): lines
        for path in _modules().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long.keys() <= OVER_THE_LIMIT, f"split these modules (over {MAX_LINES} lines): {long}"
    assert long.keys() >= OVER_THE_LIMIT, "an exception that is no longer needed: remove it"


# Source positions come from the loaded object (`project.where(event, "date")`), not from
# a path typed by hand. (`project.nearest` is for paths that come from data: a profile's.)
HAND_TYPED_PATHS = ("project.locate(", "config_map.locate(", "config_map.locate_key(")


def test_no_check_types_a_position_path_by_hand() -> None:
    typed = {
        str(path.relative_to(REPO))
        for path in _modules().values()
        if any(call in path.read_text(encoding="utf-8") for call in HAND_TYPED_PATHS)
    }
    assert typed == set(), f"ask project.where(record, field) instead: {typed}"

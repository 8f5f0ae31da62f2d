"""`make bench` is not run by the tests (it takes minutes), but what it imports is."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_bench_copies_the_example_project_with_every_file_it_names(tmp_path: Path) -> None:
    bench = _bench()
    bench.copy_project(REPO, tmp_path / "example")
    copied = {
        p.relative_to(tmp_path / "example").as_posix() for p in (tmp_path / "example").rglob("*")
    }
    assert {"report.yaml", "templates/report.html", "data/budget.yaml"} <= copied


def test_bench_scripts_name_functions_that_exist() -> None:
    bench = _bench()
    for script in (bench.PRINT_PAGE, bench.STAGES):
        compile(script, "<bench script>", "exec")  # a syntax error fails here
    import reportgen.render.pdf as pdf

    assert callable(pdf._make_fetcher) and callable(pdf.fewer_collections)

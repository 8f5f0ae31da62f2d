"""`reportgen build A B C`: projects built in parallel, each reported on its own."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen import pipeline
from reportgen.cli import app
from reportgen.many import ProjectOutcome, build_many, default_jobs, find_projects

runner = CliRunner()


@pytest.fixture
def projects(tmp_path: Path, minimal_files: dict[str, str]) -> list[Path]:
    """Three projects: two good, one (b) with an error in its narrative."""
    roots = []
    for name in ("a", "b", "c"):
        root = tmp_path / "reports" / name
        for rel, text in minimal_files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        roots.append(root)
    broken = roots[1] / "content" / "budget.md"
    broken.write_text(broken.read_text() + "\n{{ table budget.nothing }}\n")
    return roots


def test_parallel_build_reports_each_project_and_fails_if_any_failed(
    projects: list[Path],
) -> None:
    result = runner.invoke(app, ["build", *map(str, projects), "--html-only", "--jobs", "2"])
    assert result.exit_code == 1, result.output
    a, b, c = projects
    assert (a / "build" / "report.html").is_file()
    assert (c / "build" / "report.html").is_file()
    assert not (b / "build").exists()  # a failed project writes nothing
    out = result.output
    assert f"ok    {a}: wrote 2 file(s)" in out  # the page and the data export's folder
    assert f"FAIL  {b}: 1 error(s)" in out
    assert f"{b / 'content' / 'budget.md'}:" in out  # clickable from where it ran
    assert "3 projects: 2 ok, 1 failed" in out


def test_a_folder_of_projects_is_expanded(projects: list[Path]) -> None:
    folder = projects[0].parent
    assert find_projects([folder]) == sorted(projects)
    assert find_projects([projects[0], folder]) == [projects[0], projects[1], projects[2]]
    result = runner.invoke(app, ["build", str(folder), "--html-only", "-j", "2"])
    assert "3 projects: 2 ok, 1 failed" in result.output


def test_json_lists_every_project(projects: list[Path]) -> None:
    result = runner.invoke(
        app, ["build", *map(str, projects), "--html-only", "-j", "2", "--format", "json"]
    )
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    by_name = {Path(p["project"]).name: p for p in document["projects"]}
    assert [by_name[n]["exit_code"] for n in "abc"] == [0, 1, 0]
    assert by_name["b"]["summary"]["errors"] == 1
    assert by_name["b"]["diagnostics"][0]["code"] == "content.unknown-block"
    assert by_name["a"]["outputs"][0]["path"].endswith("report.html")
    assert by_name["a"]["outputs"][0]["kind"] == "html"
    assert (document["command"], document["valid"]) == ("build", False)


def test_second_run_is_up_to_date(projects: list[Path]) -> None:
    good = [projects[0], projects[2]]
    assert runner.invoke(app, ["build", *map(str, good), "--html-only"]).exit_code == 0
    again = runner.invoke(app, ["build", *map(str, good), "--html-only"])
    assert again.exit_code == 0
    assert again.output.count(": up to date,") == 2


def test_a_crash_in_one_project_does_not_stop_the_others(
    projects: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = pipeline.build

    def crash_on_c(root: Path, *args: object, **kwargs: object) -> pipeline.BuildResult:
        if root.name == "c":
            raise RuntimeError("secret child data")
        return real(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "build", crash_on_c)  # in-process: one job
    seen: list[ProjectOutcome] = []
    outcomes = build_many(projects, jobs=1, pdf=False, on_done=seen.append)
    assert [o.root.name for o in outcomes] == ["a", "b", "c"]
    assert [o.crash for o in outcomes] == [None, None, "RuntimeError"]
    assert outcomes[0].outputs and outcomes[1].errors == 1
    assert "secret child data" not in (outcomes[2].traceback or "").split("\n")[-2]
    assert len(seen) == 3

    result = runner.invoke(app, ["build", *map(str, projects), "--html-only", "-j", "1"])
    assert result.exit_code == 3  # a bug outranks a project's own errors
    assert f"CRASH {projects[2]}: internal error in reportgen (RuntimeError)" in result.output


def test_out_needs_a_single_project(projects: list[Path], tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", *map(str, projects), "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert not (tmp_path / "x").exists()


def test_one_project_is_built_as_before(projects: list[Path]) -> None:
    result = runner.invoke(app, ["build", str(projects[0]), "--html-only"])
    assert result.exit_code == 0
    assert f"wrote {projects[0].resolve() / 'build' / 'report.html'}" in result.output


def test_default_jobs_is_bounded_by_cpus_and_projects() -> None:
    assert default_jobs(1) == 1
    assert 1 <= default_jobs(64) <= 64


def test_missing_project_is_a_failure_of_its_own(projects: list[Path], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    shutil.rmtree(projects[1])
    result = runner.invoke(app, ["build", str(projects[0]), str(missing), "--html-only", "-j", "2"])
    assert result.exit_code == 1
    assert "config.not-found" in result.output
    assert (projects[0] / "build" / "report.html").is_file()


def test_where_no_process_can_start_the_projects_are_built_one_after_another(
    projects: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import concurrent.futures

    def no_semaphores(*_args: object, **_kwargs: object) -> None:
        raise OSError(38, "Function not implemented")  # a container without /dev/shm

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_semaphores)
    outcomes = build_many(projects, jobs=2, html=True, pdf=False)
    assert [o.root for o in outcomes] == projects
    assert [o.errors for o in outcomes] == [0, 1, 0]
    assert all(o.crash is None for o in outcomes) and outcomes[0].outputs


def test_jobs_is_the_cpus_kept_busy_for_many_projects_and_for_one(
    projects: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.cpus as cpus_module

    given: list[tuple[str, int | None, bool]] = []
    real = pipeline.build

    def spying(root: Path, *args: object, **kwargs: object) -> pipeline.BuildResult:
        cpus = kwargs.get("cpus")
        assert cpus is None or isinstance(cpus, int)
        given.append((root.name, cpus, bool(kwargs.get("chart_worker", True))))
        return real(root, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "build", spying)
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 4)
    # One job: the projects one after another here, each on one CPU.
    build_many(projects, jobs=1, pdf=False)
    assert given == [("a", 1, False), ("b", 1, False), ("c", 1, False)]
    # One project: `-j` reaches its build (1: no second process, split halves in turn).
    given.clear()
    assert runner.invoke(app, ["build", str(projects[0]), "--html-only", "-j", "1"]).exit_code == 0
    assert runner.invoke(app, ["build", str(projects[0]), "--html-only"]).exit_code == 0
    assert given == [("a", 1, True), ("a", None, True)]


def test_a_build_on_one_cpu_starts_no_second_process_before_validating(
    projects: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.cpus as cpus_module
    from reportgen.render.chartset import ChartWorkers
    from reportgen.render.pdfengine import PdfEngine

    started: list[str] = []
    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    monkeypatch.setattr(
        PdfEngine, "start", classmethod(lambda cls, split=False: started.append("pdf"))
    )
    monkeypatch.setattr(ChartWorkers, "start", classmethod(lambda cls: started.append("charts")))
    pipeline.build(projects[0], pdf=False, cpus=1)
    assert started == []
    pipeline.build(projects[0], pdf=False)  # two CPUs: the chart process, before validating
    assert started == ["charts"]

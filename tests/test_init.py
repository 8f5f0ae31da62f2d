"""`reportgen init`: a new project that is complete, explained and valid from the start."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from pydantic import BaseModel
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.jsonschema import MODELINE_PREFIX, schema_names
from reportgen.model.config import ReportConfig
from reportgen.project import annual_report_files
from reportgen.scaffold import ScaffoldError, create_project, initials, last_complete_year
from reportgen.schema_docs import nested_models

runner = CliRunner()
NAME = "Riverside Safeguarding Children Partnership"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("init") / "riverside"
    result = runner.invoke(
        app,
        ["init", str(root), "--partnership", NAME, "--area", "Riverside Council", "--period",
         "2024/25"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return root


def test_new_project_passes_strict_validation(project: Path) -> None:
    result = runner.invoke(app, ["validate", str(project), "--strict"])
    assert result.exit_code == 0, result.output
    assert "report is valid" in result.output


def test_new_project_builds(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(project), "--html-only", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (page,) = out.glob("*.html")
    text = page.read_text(encoding="utf-8")
    assert NAME in text
    assert "Annual Report 2024/25" in text
    assert page.name == "rscp-annual-report-2024-25.html"


def test_every_file_a_report_needs_is_there(project: Path) -> None:
    for rel in schema_names():  # report.yaml and every YAML data file
        assert (project / rel).is_file(), rel
    assert sorted(p.name for p in (project / "content").glob("*.md"))
    assert (project / "README.md").is_file()
    for name in schema_names().values():
        assert (project / "schemas" / name).is_file()


def test_tokens_are_all_filled_in(project: Path) -> None:
    for path in project.rglob("*"):
        if path.is_file() and path.suffix in {".yaml", ".md", ".csv"}:
            text = path.read_text(encoding="utf-8")
            assert "@@" not in text, path
    config = (project / "report.yaml").read_text(encoding="utf-8")
    assert f'name: "{NAME}"' in config
    assert 'short_name: "RSCP"' in config
    assert "start: 2024-04-01" in config and "end: 2025-03-31" in config


def test_each_yaml_file_points_at_its_schema(project: Path) -> None:
    for rel, name in schema_names().items():
        first = (project / rel).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE_PREFIX), rel
        target = (project / rel).parent / first.removeprefix(MODELINE_PREFIX)
        assert target.resolve() == (project / "schemas" / name).resolve()


FILES: dict[str, type[BaseModel]] = {
    "report.yaml": ReportConfig,
    **{rel: model for rel, model in annual_report_files().values()},
}


@pytest.mark.parametrize("rel", list(FILES))
def test_every_field_is_explained_in_its_file(project: Path, rel: str) -> None:
    """A business manager meets every field in the file itself, used or in a comment."""
    text = (project / rel).read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    assert len(comments.splitlines()) >= 3, f"{rel} explains nothing"
    missing = [
        f"{model.__name__}.{name}"
        for model in [FILES[rel], *nested_models(FILES[rel])]
        for name in model.model_fields
        if not re.search(rf"\b{re.escape(name)}\b", text)
    ]
    assert not missing, f"{rel} does not mention: {', '.join(missing)}"


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    result = runner.invoke(app, ["init", str(tmp_path), "--partnership", NAME])
    assert result.exit_code == 1
    assert "not an empty folder" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_an_empty_folder_is_fine_and_defaults_are_sensible(tmp_path: Path) -> None:
    written = create_project(
        tmp_path, partnership="Lakeside Safeguarding Children Partnership",
        today=dt.date(2025, 6, 1),
    )  # fmt: skip
    assert tmp_path / "report.yaml" in written
    config = (tmp_path / "report.yaml").read_text(encoding="utf-8")
    assert "label: 2024/25" in config
    assert 'short_name: "LSCP"' in config


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (dt.date(2025, 3, 31), "2023/24"),
        (dt.date(2025, 4, 1), "2024/25"),
        (dt.date(2000, 1, 5), "1998/99"),
    ],
)
def test_default_period_is_the_last_whole_year(today: dt.date, year: str) -> None:
    assert last_complete_year(today) == year


def test_initials_skip_small_words() -> None:
    assert initials("Newham Safeguarding Children Partnership") == "NSCP"
    assert initials("City of London and Hackney Safeguarding Children Partnership") == "CLHSCP"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"partnership": "  "}, "empty"),
        ({"partnership": "A {{ b }}"}, "cannot contain"),
        ({"partnership": NAME, "period": "2024/26"}, "2024/25"),
    ],
)
def test_bad_names_and_periods_are_refused(
    tmp_path: Path, options: dict[str, str], message: str
) -> None:
    with pytest.raises(ScaffoldError, match=re.escape(message)):
        create_project(
            tmp_path / "new", partnership=options["partnership"], period=options.get("period")
        )
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize(
    ("kind", "files"),
    [
        ("arrangements", ["data/arrangements.yaml", "data/governance.yaml"]),
        ("business-plan", ["data/plan.yaml"]),
    ],
)
def test_init_scaffolds_each_kind(tmp_path: Path, kind: str, files: list[str]) -> None:
    root = tmp_path / kind
    result = runner.invoke(
        app, ["init", str(root), "--partnership", NAME, "--kind", kind, "--period", "2024/25"]
    )
    assert result.exit_code == 0, result.output
    data = sorted(p.relative_to(root).as_posix() for p in (root / "data").iterdir())
    assert data == files  # only the kind's own files: no warning about another kind's
    assert (root / ".gitignore").is_file() and (root / ".github/workflows/report.yml").is_file()
    assert f"kind: {kind}" in (root / "report.yaml").read_text(encoding="utf-8")
    schemas = sorted(p.name for p in (root / "schemas").iterdir())
    assert schemas == sorted(
        ["report.schema.json", *(f"{Path(f).stem}.schema.json" for f in files)]
    )
    # The editor schema of report.yaml is the kind's: a period only for a plan.
    config = json.loads((root / "schemas" / "report.schema.json").read_text(encoding="utf-8"))
    assert ("period" in config["properties"]) is (kind == "business-plan")
    assert ("review_date" in config["properties"]) is (kind == "arrangements")
    result = runner.invoke(app, ["validate", str(root), "--strict"])
    assert result.exit_code == 0, result.output
    built = runner.invoke(app, ["build", str(root), "--html-only", "--out", str(tmp_path / "o")])
    assert built.exit_code == 0, built.output
    (page,) = (tmp_path / "o").glob("*.html")
    assert page.name == f"rscp-{kind}.html"


def test_init_refuses_an_unknown_kind(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["init", str(tmp_path / "x"), "--partnership", NAME, "--kind", "annual"]
    )
    assert result.exit_code == 1
    assert "there is no kind of document called 'annual'" in result.output
    assert not (tmp_path / "x").exists()

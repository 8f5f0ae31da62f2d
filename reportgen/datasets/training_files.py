"""The CSV tables data/training.yaml names (courses, e-learning, organisations), read
once the YAML is in: the training dataset's `attach`. Declares no dataset."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from reportgen.diagnostics import DiagnosticList
from reportgen.load.tables import load_rows
from reportgen.model.training import Course, ElearningModule, OrganisationAttendance, Training
from reportgen.project import DATA_FILE_NOT_FOUND, Project, TrainingData, inside_project

# A row of one of training.yaml's CSV tables.
R = TypeVar("R", bound=Course | ElearningModule | OrganisationAttendance)


def load_training_files(project: Project, spec: Training, diags: DiagnosticList) -> None:
    """Read the CSV tables training.yaml names (the training dataset's `attach`)."""
    project.training = _load_training(project.root, spec, project, diags)


def _load_training(
    root: Path, spec: Training, project: Project, diags: DiagnosticList
) -> TrainingData:
    def rows(key: str, rel: str | None, model: type[R]) -> list[R]:
        if rel is None:
            return []
        path = inside_project(root, rel, project.where(spec, key), diags)
        if path is None:
            return []
        if not path.is_file():
            diags.emit(
                DATA_FILE_NOT_FOUND,
                f"training file '{rel}' does not exist",
                project.where(spec, key),
                "check the path; it is relative to the project folder",
            )
            return []
        errors_before = len(diags.errors)
        found, _ = load_rows(root, rel, model, diags, origins=project.origins)
        if len(diags.errors) > errors_before:
            if not found:  # nothing usable (a missing column, every row wrong)
                project.failed[f"training.{key}"] = rel
                return []
            # The good rows are kept; the totals checked against the whole table wait.
            project.dropped[f"training.{key}"] = [()]
            project.dropped_files[f"training.{key}"] = rel
        return found

    return TrainingData(
        spec=spec,
        courses=rows("courses_file", spec.courses_file, Course),
        elearning=rows("elearning_file", spec.elearning_file, ElearningModule),
        organisations=rows("organisations_file", spec.organisations_file, OrganisationAttendance),
    )

"""Load and validate a report project: report.yaml, data files and narrative.

This is the load + validate half of the pipeline. It gathers every problem it can
find into one `DiagnosticList` instead of stopping at the first.
"""

from __future__ import annotations

import difflib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from reportgen.datasets import Dataset, offering
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.kinds import DocumentKind, Period, default_kind, kind_named, kind_names
from reportgen.kinds.annual_report import ANNUAL_REPORT
from reportgen.layout import CONFIG_FILE, folder_files, input_files, referenced_files
from reportgen.load.csv_source import CsvTable
from reportgen.load.markdown_source import MarkdownSource, load_markdown
from reportgen.load.positions import DataPath, Origins, SourceMap
from reportgen.load.salvage import leave_out, validate_keeping_items
from reportgen.load.schema import validate_model as _validate
from reportgen.load.tables import CrossTab, load_crosstab, load_table
from reportgen.load.tables import header_key as _header_key
from reportgen.load.yaml_source import load_yaml
from reportgen.model.config import DEFAULT_KIND, DocumentConfig
from reportgen.model.tables import Tables
from reportgen.model.training import Course, ElearningModule, OrganisationAttendance, Training

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONFIG_NOT_FOUND = Code(
    "config.not-found",
    Severity.ERROR,
    "No report.yaml in the project folder",
    """
    reportgen looks for `report.yaml` in the folder you name (or the current folder).
    Run it in a report project, or pass the project folder as an argument.
    """,
)
CONFIG_UNKNOWN_KIND = Code(
    "config.unknown-kind",
    Severity.ERROR,
    "report.yaml names a kind of document reportgen does not know",
    """
    `kind:` in report.yaml says what kind of document the project is, which decides
    the data files it may have, how it is dated and its completeness profile. Leave it
    out for an annual report (`annual-report`, the default), or use a kind
    `reportgen docs project-format` lists.
    """,
)
CONFIG_PATH_OUTSIDE_PROJECT = Code(
    "config.path-outside-project",
    Severity.ERROR,
    "A file path leads outside the project folder",
    """
    Every file a report uses (narrative, CSV tables, logo) must be inside the project
    folder, so a build only ever reads the project. Copy the file into the project and
    use a relative path.
    """,
)
LOAD_CHECKS_SKIPPED = Code(
    "load.checks-skipped",
    Severity.INFO,
    "Checks that use a file with errors were skipped",
    """
    A data file (or a CSV table) that has errors is reported once, where it is wrong.
    What depends on it (figures on the "at a glance" page, references and charts in
    the narrative, totals checked against it, checklist items it would satisfy) is not
    reported again as missing: this note says how many such checks waited. Fix the
    file's errors and validate again.
    """,
)
LOAD_FILE_NOT_READ = Code(
    "load.file-not-read",
    Severity.WARNING,
    "A data file another kind of document reads is not read by this one",
    """
    Each kind of document reads its own data files (`reportgen docs project-format`
    lists them): an annual report reads data/budget.yaml, published arrangements do not.
    A file of another kind in the project is not read, so nothing in it reaches this
    document. Delete or move the file if it is a leftover; if it should be used, check
    `kind:` in report.yaml. One `data/` folder can serve several documents: then the
    warning only says which files this one leaves out.
    """,
)
SCHEMA_LINES_TWICE = Code(
    "schema.lines-twice",
    Severity.ERROR,
    "Budget lines are both typed and read from a spreadsheet",
    "Keep the lines in one place: delete `lines`, or delete `lines_from`.",
)
DATA_FILE_NOT_FOUND = Code(
    "data.file-not-found",
    Severity.ERROR,
    "A data file named in another file does not exist",
    "Check the path; it is relative to the project folder.",
)
CONTENT_FILE_NOT_FOUND = Code(
    "content.file-not-found",
    Severity.ERROR,
    "A section's narrative file does not exist",
    "Create the Markdown file or correct the path in report.yaml.",
)

log = logging.getLogger(__name__)


M = TypeVar("M", bound=BaseModel)


def annual_report_files() -> dict[str, tuple[str, type[BaseModel]]]:
    """The annual report's data files and their schemas (its datasets declare them), for
    the generated format reference and JSON schemas. A project uses the ones it needs."""
    return {d.name: (d.file, d.schema) for d in ANNUAL_REPORT.accepted()}


def reference_sources(target: str) -> tuple[str | None, ...]:
    """What a reference or block (`indicator.cp_plans`, `tables.x`) is made from.

    The keys are those of `Project.failed`: a dataset, `tables.ID` or `training.KEY`, as
    the dataset offering the reference's first word says (None: no dataset offers it).
    """
    dataset = offering(target.partition(".")[0])
    return dataset.sources_of(target) if dataset is not None else (None,)


@dataclass
class TrainingData:
    """Training YAML plus the CSV tables it names."""

    spec: Training
    courses: list[Course]
    elearning: list[ElearningModule]
    organisations: list[OrganisationAttendance]


@dataclass
class Project:
    """A loaded, schema-valid project (possibly with problems still to report)."""

    root: Path
    config: DocumentConfig  # of the schema its kind declares
    config_map: SourceMap
    kind: DocumentKind = field(default_factory=default_kind)
    period: Period | None = None  # None: the kind's documents are undated
    datasets: dict[str, BaseModel] = field(default_factory=dict)
    maps: dict[str, SourceMap] = field(default_factory=dict)
    training: TrainingData | None = None
    crosstabs: dict[str, CrossTab] = field(default_factory=dict)
    narrative: dict[str, MarkdownSource] = field(default_factory=dict)
    # What is present but failed to load or validate (a dataset, `tables.ID`, `training.KEY`
    # for a training CSV), and the file that has the errors.
    failed: dict[str, str] = field(default_factory=dict)
    # Per failed file: how many checks elsewhere were skipped because they depend on it.
    skipped: dict[str, int] = field(default_factory=dict)
    # Per dataset loaded without some list items that had errors: those items' paths
    # (for a training CSV, keyed `training.KEY` like `failed`, the file in `dropped_files`).
    dropped: dict[str, list[DataPath]] = field(default_factory=dict)
    dropped_files: dict[str, str] = field(default_factory=dict)
    # Where each validated object (of report.yaml, the data files and CSV rows) is written.
    origins: Origins = field(default_factory=Origins)
    # Each dataset's values as the checks walk them, walked once for the five checks
    # that ask (reportgen.checks.fields owns what is kept here).
    walks: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def blocked(self, *keys: str | None) -> bool:
        """True when a check needs something that failed: it is skipped (and counted).

        A failed file is reported once, where it is wrong; what depends on it (a figure
        on the glance page, a reference, a chart, a checklist item) says nothing more.
        """
        for key in keys:
            if key is not None and key in self.failed:
                file = self.failed[key]
                self.skipped[file] = self.skipped.get(file, 0) + 1
                return True
        return False

    def incomplete(self, dataset: str | None, *prefix: str | int) -> bool:
        """True when an item under `prefix` of `dataset` was left out for its errors: a
        check that needs the whole list (a total, a name it must find) is skipped, and
        counted like one that waits for a failed file."""
        if dataset is None or dataset not in self.dropped:
            return False
        n = len(prefix)
        if not any(path[:n] == prefix for path in self.dropped[dataset]):
            return False
        file = self.kind.dataset_file(dataset)
        name = self.dropped_files.get(dataset) or (file.file if file else dataset)
        self.skipped[name] = self.skipped.get(name, 0) + 1
        return True

    def add_dataset(self, name: str, value: BaseModel, smap: SourceMap) -> None:
        """Keep a validated dataset, and where each of its objects is written in `smap`
        (every dataset goes in this way, so `where` can answer for all of them)."""
        self.datasets[name] = value
        self.maps[name] = smap
        self.origins.record(value, smap)

    def dataset(self, name: str, kind: type[M]) -> M | None:
        value = self.datasets.get(name)
        return value if isinstance(value, kind) else None

    def where(self, owner: BaseModel, name: str | None = None, *within: str | int) -> Location:
        """Where a loaded object, or its field `name` (an item `within` it), is written.

        `project.where(event, "date")`; a field not written (a default) is located at its
        object; a name that is not a field of the object's model raises."""
        return self.origins.where(owner, name, *within)

    def where_key(self, owner: BaseModel, name: str, key: str) -> Location:
        """Where the key `key` of the mapping field `name` of `owner` is written."""
        return self.origins.where_key(owner, name, key)

    def nearest(self, dataset: str, *path: str | int) -> Location:
        """The position of `path` in a dataset's file, else of its nearest written parent.

        For paths that come from data rather than code (a profile's evidence paths);
        code that holds the object asks `where`."""
        smap = self.maps.get(dataset)
        if smap is None:
            declared = self.kind.dataset_file(dataset)
            return Location(declared.file if declared else dataset)
        return smap.nearest(tuple(path))

    @property
    def basename(self) -> str:
        """The outputs' file name without extension: report.yaml's, or the kind's name."""
        return self.config.outputs.basename or self.kind.name

    @property
    def dated(self) -> Period:
        """The period, for what only a dated kind accepts (its datasets are `dated`, which
        `reportgen.kinds.register` checks): an undated project never reaches this."""
        if self.period is None:
            raise RuntimeError(f"a '{self.kind.name}' document has no period")
        return self.period


def report_skipped(project: Project, diags: DiagnosticList) -> None:
    """Say once per failed file how many checks elsewhere waited for it.

    The note stands at the file's first error, so it is listed with them and located."""
    for file, count in sorted(project.skipped.items()):
        lines = [
            d.location.line or d.location.row
            for d in diags.errors
            if d.location is not None and d.location.path == file
        ]
        first = min((n for n in lines if n is not None), default=1)
        diags.emit(
            LOAD_CHECKS_SKIPPED,
            f"{count} other check{'s' if count != 1 else ''} skipped because {file} has errors",
            Location(file, first),
            "fix the errors in this file and validate again: the checks that use it run then",
        )


def inside_project(root: Path, rel: str, where: Location, diags: DiagnosticList) -> Path | None:
    """The file `rel` names, if it is inside the project; else a diagnostic and None."""
    path = (root / rel).resolve()
    if not path.is_relative_to(root):
        diags.emit(
            CONFIG_PATH_OUTSIDE_PROJECT,
            f"'{rel}' is outside the project folder",
            where,
            "keep every file the report uses inside the project folder",
        )
        return None
    return path


def load_project(root: Path, diags: DiagnosticList) -> Project | None:
    """Load everything under `root`; return None when the config itself is unusable."""
    root = root.resolve()
    config_path = root / CONFIG_FILE
    if not config_path.is_file():
        diags.emit(
            CONFIG_NOT_FOUND,
            f"no {CONFIG_FILE} in {root}",
            Location(CONFIG_FILE),
            "run reportgen in a report project folder, or pass the folder as an argument",
        )
        return None
    doc, problems = load_yaml(config_path, CONFIG_FILE)
    diags.extend(problems)
    if doc is None:
        return None
    kind = _document_kind(doc.data, doc.source_map, diags)
    if kind is None:
        return None
    config = _validate(kind.config_schema, doc.data, doc.source_map, diags)
    if config is None:
        return None
    project = Project(
        root=root,
        config=config,
        config_map=doc.source_map,
        kind=kind,
        period=kind.period_rule.period_of(config),
    )
    project.origins.record(config, doc.source_map)

    for declared in kind.accepted():
        name, rel, model = declared.name, declared.file, declared.schema
        path = root / rel
        if not os.path.lexists(path):  # a pipe or folder in its place is reported, not skipped
            continue
        ydoc, problems = load_yaml(path, rel)
        diags.extend(problems)
        if ydoc is None:
            project.failed[name] = rel
            continue
        project.maps[name] = ydoc.source_map
        smap = ydoc.source_map
        if isinstance(declared, Dataset) and declared.prepare is not None:
            # e.g. lines from a sheet; the items it leaves out have errors of their own
            # (a sum of parts one of which is wrong: left out with it, not "missing").
            for item in sorted(declared.prepare(root, ydoc.data, smap, diags) or (), reverse=True):
                smap = leave_out(ydoc.data, smap, item)
                project.dropped.setdefault(name, []).append(item)
            project.maps[name] = smap
        if ydoc.data is None:
            _validate(model, ydoc.data, smap, diags)  # says the file is empty
            project.failed[name] = rel
            continue
        # One bad value leaves out only the list item it is in, not the whole file.
        kept = validate_keeping_items(model, ydoc.data, smap, diags)
        if kept.value is None:
            project.failed[name] = rel
        else:
            project.add_dataset(name, kept.value, kept.source_map)
            if kept.dropped:
                project.dropped.setdefault(name, []).extend(kept.dropped)

    _files_of_other_kinds(project, diags)
    # What a dataset reads besides its YAML (the CSV tables it names), once all are in.
    for declared in kind.accepted():
        data = project.datasets.get(declared.name)
        if isinstance(declared, Dataset) and declared.attach is not None and data is not None:
            declared.attach(project, data, diags)

    for section in config.sections:
        where = project.where(section, "file")
        section_path = inside_project(root, section.file, where, diags)
        if section_path is None:
            continue
        if not section_path.exists():  # a pipe or folder is reported by the loader
            diags.emit(
                CONTENT_FILE_NOT_FOUND,
                f"section '{section.id}': narrative file '{section.file}' does not exist",
                where,
                "create the Markdown file or correct the path in report.yaml",
            )
            continue
        source, problems = load_markdown(section_path, section.file, root)
        diags.extend(problems)
        if source is not None:
            project.narrative[section.id] = source
    return project


def _files_of_other_kinds(project: Project, diags: DiagnosticList) -> None:
    """Warn about each data file another kind reads but this one does not."""
    own = {d.file for d in project.kind.accepted()}
    others: dict[str, list[str]] = {}
    for name in kind_names():
        other = kind_named(name)
        for declared in other.accepted() if other else ():
            if declared.file not in own:
                others.setdefault(declared.file, []).append(name)
    for rel, kinds in sorted(others.items()):
        if os.path.lexists(project.root / rel):
            diags.emit(
                LOAD_FILE_NOT_READ,
                f"{rel} is not read: a '{project.kind.name}' document does not use it "
                f"(it belongs to: {', '.join(kinds)})",
                Location(rel),
                "delete or move the file if it is a leftover, or check `kind:` in report.yaml",
            )


def _document_kind(data: Any, smap: SourceMap, diags: DiagnosticList) -> DocumentKind | None:
    """The kind `kind:` names (the annual report when it names none), or a diagnostic."""
    name = data.get("kind", DEFAULT_KIND) if isinstance(data, dict) else DEFAULT_KIND
    kind = kind_named(name) if isinstance(name, str) else None
    if kind is not None:
        return kind
    known = kind_names()
    close = difflib.get_close_matches(str(name), known, n=1)
    diags.emit(
        CONFIG_UNKNOWN_KIND,
        f"there is no kind of document called '{name}'",
        smap.nearest(("kind",)),  # before validation: the raw data's path
        f"did you mean '{close[0]}'?" if close else "use one of: " + ", ".join(known),
    )
    return None


def _budget_lines_from_sheets(
    root: Path, data: Any, smap: SourceMap, diags: DiagnosticList
) -> None:
    """Fill `lines` of income or expenditure from the spreadsheet `lines_from` names.

    The rows become the lines as if typed in the YAML, each field located at its cell,
    so the schema's messages point into the sheet (data/budget.xlsx:Income!B7).
    """
    if not isinstance(data, dict):
        return
    for part in ("income", "expenditure"):
        block = data.get(part)
        source = block.get("lines_from") if isinstance(block, dict) else None
        if not isinstance(block, dict) or not isinstance(source, dict):
            continue
        where = smap.nearest((part, "lines_from"))
        if "lines" in block:
            diags.emit(
                SCHEMA_LINES_TWICE,
                f"{part} has both `lines` and `lines_from`",
                where,
                "keep the lines in one place: delete `lines`, or delete `lines_from`",
            )
            continue
        table = _sheet_of(root, source, where, f"{part} lines file", diags)
        if table is None:
            continue
        lines = []
        for index, record in enumerate(table.records):
            lines.append({_header_key(k): v for k, v in record.items() if v.strip()})
            for column in record:
                smap.record(
                    (part, "lines", index, _header_key(column)),
                    table.source_map.locate((index, column)),
                )
            smap.record((part, "lines", index), table.source_map.locate((index,)))
        block["lines"] = lines


def _sheet_of(
    root: Path, source: dict[str, Any], where: Location, what: str, diags: DiagnosticList
) -> CsvTable | None:
    """The CSV file or workbook sheet (and range) a `file:`/`sheet:`/`range:` entry names,
    or None with the diagnostics that say why (a missing `file:` the schema reports)."""
    rel = source.get("file")
    if not isinstance(rel, str) or not rel:
        return None
    path = inside_project(root, rel, where, diags)
    if path is None:
        return None
    if not path.is_file():
        diags.emit(
            DATA_FILE_NOT_FOUND,
            f"{what} '{rel}' does not exist",
            where,
            "check the path; it is relative to the project folder",
        )
        return None
    sheet, cell_range = source.get("sheet"), source.get("range")
    table, problems = load_table(
        root,
        rel,
        sheet if isinstance(sheet, str) else None,
        cell_range if isinstance(cell_range, str) else None,
    )
    diags.extend(problems)
    return table


def load_table_files(project: Project, tables: Tables, diags: DiagnosticList) -> None:
    """Read the CSV file or sheet of each table tables.yaml names (its `attach`)."""
    for spec in tables.tables:
        where = project.where(spec, "file")
        table_path = inside_project(project.root, spec.file, where, diags)
        if table_path is not None and not table_path.is_file():
            diags.emit(
                DATA_FILE_NOT_FOUND,
                f"table file '{spec.file}' does not exist",
                where,
                "check the path; it is relative to the project folder",
            )
            table_path = None
        crosstab = (
            load_crosstab(project.root, spec.file, diags, spec.sheet, spec.range)
            if table_path
            else None
        )
        if crosstab is None:
            project.failed[f"tables.{spec.id}"] = spec.file if table_path else "data/tables.yaml"
        else:
            project.crosstabs[spec.id] = crosstab
            if crosstab.unreadable:
                # The table is kept; only its grand total, which needs every cell, waits.
                project.failed[f"tables.{spec.id}.total"] = spec.file


def project_files(project: Project) -> set[str]:
    """Files a loaded project names: in report.yaml and data (sections, tables, logo,
    fonts, ...) and images its narrative embeds."""
    values: list[object] = [project.config.model_dump(mode="json")]
    values += [model.model_dump(mode="json") for model in project.datasets.values()]
    values += [[str(p) for p in getattr(s, "images", [])] for s in project.narrative.values()]
    return referenced_files(project.root, values) | last_year_files(project)


def last_year_files(project: Project) -> set[str]:
    """The files of last year's report (`last_year:` in report.yaml) inside this project:
    validate checks against them, so a change to one is a change to this report."""
    last = getattr(project.config, "last_year", None)
    found: set[str] = set()
    root = project.root.resolve()
    for folder in (getattr(last, "project", None), getattr(last, "export", None)):
        if not isinstance(folder, str) or not (root / folder).resolve().is_relative_to(root):
            continue
        where = (root / folder).resolve()
        names = (
            input_files(where)
            if folder == getattr(last, "project", None)
            else [p.relative_to(where).as_posix() for p in folder_files(where, where)]
        )
        found |= {(where / name).relative_to(root).as_posix() for name in names}
    return {rel for rel in found if (root / rel).is_file()}

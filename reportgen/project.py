"""Load and validate a report project: report.yaml, data files and narrative.

This is the load + validate half of the pipeline. It gathers every problem it can
find into one `DiagnosticList` instead of stopping at the first.
"""

from __future__ import annotations

import dataclasses
import difflib
import logging
import os
import re
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from reportgen.diagnostics import Diagnostic, DiagnosticList, Location, Severity
from reportgen.kinds import DocumentKind, Period, default_kind, kind_named, kind_names
from reportgen.kinds.annual_report import ANNUAL_REPORT
from reportgen.layout import CONFIG_FILE
from reportgen.load.csv_source import CsvTable, cell_advice, load_csv
from reportgen.load.markdown_source import MarkdownSource, load_markdown
from reportgen.load.positions import SourceMap
from reportgen.load.yaml_source import load_yaml
from reportgen.model.common import count_problem, parse_count
from reportgen.model.config import DEFAULT_KIND, DocumentConfig
from reportgen.model.tables import Tables
from reportgen.model.training import Course, ElearningModule, OrganisationAttendance, Training

log = logging.getLogger(__name__)


# The annual report's data files and their schemas (declared by its kind), for the
# generated format reference and JSON schemas. A project uses the ones it needs.
DATASETS: dict[str, tuple[str, type[BaseModel]]] = {
    d.name: (d.file, d.schema) for d in ANNUAL_REPORT.datasets
}

M = TypeVar("M", bound=BaseModel)

# Which data file a reference's first word comes from, so that a reference into a file
# that failed is not reported again (a cascade of errors in files the user did not touch).
REFERENCE_DATASETS = {
    "indicator": "indicators",
    "indicators": "indicators",
    "budget": "budget",
    "training": "training",
    "reviews": "reviews",
    "review": "reviews",
    "audit": "reviews",
    "audits": "reviews",
    "table": "tables",
    "tables": "tables",
    "reach": "partners",
    "partners": "partners",
    "governance": "governance",
    "priorities": "priorities",
    "next_year": "priorities",
    "feedback": "feedback",
}
# training.* figures that come from training.yaml itself, not from the courses CSV.
_TRAINING_OWN = {"evaluation", "quotes", "prior_bookings"}


def reference_sources(target: str) -> tuple[str | None, ...]:
    """What a reference or block (`indicator.cp_plans`, `tables.x`) is made from.

    The keys are those of `Project.failed`: a dataset, `tables.ID` or `training.KEY`.
    """
    first, _, rest = target.partition(".")
    dataset = REFERENCE_DATASETS.get(first)
    sub = rest.split(".")[0]
    if dataset == "tables" and sub:
        return (dataset, f"tables.{sub}")
    if dataset == "training":
        if sub == "elearning":
            return (dataset, "training.elearning_file")
        if sub == "organisations":
            return (dataset, "training.organisations_file")
        if sub not in _TRAINING_OWN:
            return (dataset, "training.courses_file")
    return (dataset,)


@dataclass
class TrainingData:
    """Training YAML plus the CSV tables it names."""

    spec: Training
    courses: list[Course]
    elearning: list[ElearningModule]
    organisations: list[OrganisationAttendance]
    positions: dict[str, SourceMap]


@dataclass
class CrossTab:
    """A generic table read from CSV: row labels, column labels and counts."""

    row_header: str
    columns: list[str]
    rows: list[tuple[str, list[int]]]
    typed_row_totals: list[int] | None  # the CSV's own 'Total' column, if any
    typed_column_totals: list[int] | None  # the CSV's own 'Total' row, if any
    typed_grand_total: int | None  # the Total row's value in the Total column, if any
    source_map: SourceMap
    record_index: list[int]  # CSV record index of each row, for positions
    total_record: int | None  # CSV record index of the 'Total' row
    total_column: str | None  # name of the CSV's 'Total' column


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

    def dataset(self, name: str, kind: type[M]) -> M | None:
        value = self.datasets.get(name)
        return value if isinstance(value, kind) else None

    def locate(self, dataset: str, *path: str | int) -> Location:
        smap = self.maps.get(dataset)
        if smap is None:
            declared = self.kind.dataset_file(dataset)
            return Location(declared.file if declared else dataset)
        return smap.locate(tuple(path))

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


def _loc_text(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def schema_diagnostics(
    error: ValidationError, smap: SourceMap, model: type[BaseModel], diags: DiagnosticList
) -> None:
    """Turn Pydantic's errors into plain-English diagnostics at the right line."""
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        where = smap.locate(loc)
        name = str(loc[-1]) if loc else ""
        kind = err["type"]
        if kind == "extra_forbidden":
            where = smap.locate_key(loc)
            allowed = _allowed_keys(model, loc[:-1])
            close = difflib.get_close_matches(name, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else None
            if not hint and allowed:
                hint = "allowed keys here: " + ", ".join(sorted(allowed))
            diags.error("schema.unknown-key", f"unknown key '{name}'", where, hint)
        elif kind == "missing":
            parent = _loc_text(loc[:-1])
            diags.error(
                "schema.missing",
                f"'{name}' is required" + (f" in {parent}" if loc[:-1] else ""),
                where,
                f"add a '{name}:' entry",
            )
        else:
            message = str(err["msg"]).removeprefix("Value error, ")
            field_text = _loc_text(loc)
            diags.error(
                "schema.invalid",
                f"{field_text}: {message[0].lower() + message[1:] if message else 'invalid value'}",
                where,
                _hint_for(kind),
            )


def _hint_for(kind: str) -> str | None:
    return {
        "date_from_datetime_parsing": "write dates as YYYY-MM-DD, e.g. 2025-03-31",
        "date_parsing": "write dates as YYYY-MM-DD, e.g. 2025-03-31",
        "date_type": "write dates as YYYY-MM-DD, e.g. 2025-03-31",
        "enum": "use one of the listed words exactly, in lower case",
        "list_type": "start each item on its own line with '- '",
        "dict_type": "write 'key: value' pairs indented under this key",
        "model_type": "write 'key: value' pairs indented under this key",
        "string_type": "put the text in quotes",
        "bool_parsing": "write true or false",
        "too_short": "add at least one item",
    }.get(kind)


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (nested) model at `loc`, for 'did you mean' hints."""
    current: Any = model
    skip_key = False  # after a dict-of-models field, the next part is the dict's own key
    for part in loc:
        if isinstance(part, int):
            continue
        if skip_key:
            skip_key = False
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return []
        annotation = fields[part].annotation
        skip_key = typing.get_origin(annotation) is dict
        current = _inner_model(annotation)
        if current is None:
            return []
    fields = getattr(current, "model_fields", None)
    return list(fields) if fields else []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _validate(model: type[M], data: Any, smap: SourceMap, diags: DiagnosticList) -> M | None:
    if data is None:
        diags.error(
            "schema.empty-file",
            "file is empty",
            smap.locate(()),
            "fill it in, or delete it if the report does not use it",
        )
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        schema_diagnostics(exc, smap, model, diags)
        return None


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def load_table(
    root: Path, rel: str, sheet: str | None = None, cell_range: str | None = None
) -> tuple[CsvTable | None, list[Diagnostic]]:
    """A CSV file, or one sheet (and range) of an Excel workbook, as rows of text."""
    if rel.lower().endswith(WORKBOOK_SUFFIXES):
        from reportgen.load.xlsx_source import load_xlsx

        return load_xlsx(root / rel, rel, sheet, cell_range)
    table, problems = load_csv(root / rel, rel)
    if sheet is not None or cell_range is not None:
        problems.append(
            Diagnostic(
                "xlsx.not-a-workbook",
                f"'{rel}' is not an .xlsx workbook, so it has no sheet or range",
                Severity.WARNING,
                Location(rel),
                "delete `sheet:` and `range:`, or name the .xlsx workbook",
            )
        )
    return table, problems


def load_rows(
    root: Path,
    rel: str,
    model: type[M],
    diags: DiagnosticList,
    sheet: str | None = None,
    cell_range: str | None = None,
) -> tuple[list[M], SourceMap | None]:
    """Load a CSV file (or workbook sheet) whose every row is one `model` record."""
    table, problems = load_table(root, rel, sheet, cell_range)
    diags.extend(problems)
    if table is None:
        return [], None
    expected = list(model.model_fields)
    required = [n for n, f in model.model_fields.items() if f.is_required()]
    table = _match_header_case(table, expected, diags)
    for name in required:
        if name not in table.header:
            diags.error(
                "csv.missing-column",
                f"column '{name}' is missing",
                Location(rel, table.source_map.locate(()).line, row=1),
                "the header row must include: " + ", ".join(expected),
            )
    for i, name in enumerate(table.header, start=1):
        if name and name not in expected:
            close = difflib.get_close_matches(name, expected, n=1)
            diags.error(
                "csv.unknown-column",
                f"unknown column '{name}'",
                Location(rel, table.source_map.locate(()).line, i, row=1, field=name),
                f"did you mean '{close[0]}'?"
                if close
                else "columns allowed: " + ", ".join(expected),
            )
    if any(name not in table.header for name in required):
        return [], table.source_map
    rows: list[M] = []
    for index, record in enumerate(table.records):
        # A blank cell in a CSV means 'no value', as in a spreadsheet.
        values = {k: (v if v != "" else None) for k, v in record.items() if k in expected}
        try:
            rows.append(model.model_validate(values))
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                column = str(err["loc"][0]) if err["loc"] else ""
                where = table.source_map.locate((index, column))
                if err["type"] == "missing" or values.get(column) is None:
                    msg = f"'{column}' is empty"
                    hint = "fill in this cell"
                else:
                    msg = f"'{column}': " + str(err["msg"]).removeprefix("Value error, ")
                    advice = cell_advice(str(values.get(column) or ""))
                    hint = f"{advice[0]}: {advice[1]}" if advice else ""
                diags.error("csv.invalid-cell", msg, where, hint or None)
    return rows, table.source_map


def _header_key(name: str) -> str:
    return re.sub(r"[\s_-]+", "_", name.strip().lower())


def _match_header_case(table: CsvTable, expected: list[str], diags: DiagnosticList) -> CsvTable:
    """Read 'Course' or 'Organisation type' as the column `course` / `organisation_type`.

    Spreadsheets capitalise headings; one note says how they were read, instead of an
    unknown and a missing column for each of them.
    """
    by_key = {_header_key(name): name for name in expected}
    rename = {
        name: by_key[_header_key(name)]
        for name in table.header
        if name not in expected and _header_key(name) in by_key
    }
    targets = [rename.get(name, name) for name in table.header]
    if not rename or len(set(targets)) != len(targets):
        return table  # nothing to do, or two columns would become one: reported as they are
    read_as = ", ".join(f"'{old}' as '{new}'" for old, new in rename.items())
    diags.info(
        "csv.header-case",
        f"column names are read without regard to capitals and spaces: {read_as}",
        Location(table.path, table.source_map.locate(()).line, row=1),
        "nothing to do; to silence this note, write the column names as: " + ", ".join(targets),
    )
    smap = SourceMap(table.path)
    for path, loc in table.source_map.positions.items():
        if len(path) == 2 and isinstance(path[1], str) and path[1] in rename:
            path = (path[0], rename[path[1]])
            loc = dataclasses.replace(loc, field=rename[str(loc.field)])
        smap.record(path, loc)
    records = [{rename.get(k, k): v for k, v in record.items()} for record in table.records]
    return CsvTable(table.path, targets, records, smap)


def load_crosstab(
    root: Path,
    rel: str,
    diags: DiagnosticList,
    sheet: str | None = None,
    cell_range: str | None = None,
) -> CrossTab | None:
    """Load a generic table: first column labels, other columns whole numbers."""
    table, problems = load_table(root, rel, sheet, cell_range)
    diags.extend(problems)
    if table is None:
        return None
    return crosstab_from_csv(table, diags)


def crosstab_from_csv(table: CsvTable, diags: DiagnosticList) -> CrossTab | None:
    if len(table.header) < 2:
        diags.error(
            "table.shape",
            "a table needs a label column and at least one column of figures",
            table.source_map.locate(()),
        )
        return None
    row_header, *columns = table.header
    total_col = next((i for i, c in enumerate(columns) if c.lower() == "total"), None)
    data_columns = [c for i, c in enumerate(columns) if i != total_col]
    rows: list[tuple[str, list[int]]] = []
    typed_row_totals: list[int] = []
    typed_column_totals: list[int] | None = None
    typed_grand_total: int | None = None
    record_index: list[int] = []
    total_record: int | None = None
    ok = True
    for index, record in enumerate(table.records):
        label = record[row_header]
        values: list[int] = []
        for column in columns:
            cell = record[column]
            # The same reading as a Count field: '1,2,3' is not 123, '9.250' is refused.
            try:
                values.append(parse_count(cell) if cell.strip() else _blank(cell))
            except ValueError as exc:
                advice = cell_advice(cell)
                diags.error(
                    "table.not-a-count",
                    str(exc),
                    table.source_map.locate((index, column)),
                    f"{advice[0]}: {advice[1]}"
                    if advice and not count_problem(cell)
                    else "write counts as whole numbers, such as 1,286",
                )
                ok = False
                values.append(0)
        row_total = values.pop(total_col) if total_col is not None else None
        if label.lower() == "total":
            typed_column_totals = values
            typed_grand_total = row_total
            total_record = index
        else:
            rows.append((label, values))
            record_index.append(index)
            if row_total is not None:
                typed_row_totals.append(row_total)
    if not ok:
        return None
    return CrossTab(
        row_header=row_header,
        columns=data_columns,
        rows=rows,
        typed_row_totals=typed_row_totals if total_col is not None else None,
        typed_grand_total=typed_grand_total,
        typed_column_totals=typed_column_totals,
        source_map=table.source_map,
        record_index=record_index,
        total_record=total_record,
        total_column=columns[total_col] if total_col is not None else None,
    )


def report_skipped(project: Project, diags: DiagnosticList) -> None:
    """Say once per failed file how many checks elsewhere waited for it."""
    for file, count in sorted(project.skipped.items()):
        diags.info(
            "load.checks-skipped",
            f"{count} other check{'s' if count != 1 else ''} skipped because {file} has errors",
            Location(file),
            "fix the errors in this file and validate again: the checks that use it run then",
        )


def _blank(cell: str) -> int:
    raise ValueError("expected a whole number, got an empty cell")


def inside_project(root: Path, rel: str, where: Location, diags: DiagnosticList) -> Path | None:
    """The file `rel` names, if it is inside the project; else a diagnostic and None."""
    path = (root / rel).resolve()
    if not path.is_relative_to(root):
        diags.error(
            "config.path-outside-project",
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
        diags.error(
            "config.not-found",
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

    for declared in kind.datasets:
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
        if name == "budget":
            _budget_lines_from_sheets(root, ydoc.data, ydoc.source_map, diags)
        value = _validate(model, ydoc.data, ydoc.source_map, diags)
        if value is None:
            project.failed[name] = rel
        else:
            project.datasets[name] = value

    training = project.dataset("training", Training)
    if training is not None:
        project.training = _load_training(root, training, project, diags)

    tables = project.dataset("tables", Tables)
    if tables is not None:
        for i, spec in enumerate(tables.tables):
            where = project.locate("tables", "tables", i, "file")
            table_path = inside_project(root, spec.file, where, diags)
            if table_path is not None and not table_path.is_file():
                diags.error(
                    "data.file-not-found",
                    f"table file '{spec.file}' does not exist",
                    where,
                    "check the path; it is relative to the project folder",
                )
                table_path = None
            crosstab = (
                load_crosstab(root, spec.file, diags, spec.sheet, spec.range)
                if table_path
                else None
            )
            if crosstab is None:
                project.failed[f"tables.{spec.id}"] = (
                    spec.file if table_path else "data/tables.yaml"
                )
            else:
                project.crosstabs[spec.id] = crosstab

    for i, section in enumerate(config.sections):
        where = doc.source_map.locate(("sections", i, "file"))
        section_path = inside_project(root, section.file, where, diags)
        if section_path is None:
            continue
        if not section_path.exists():  # a pipe or folder is reported by the loader
            diags.error(
                "content.file-not-found",
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


def _document_kind(data: Any, smap: SourceMap, diags: DiagnosticList) -> DocumentKind | None:
    """The kind `kind:` names (the annual report when it names none), or a diagnostic."""
    name = data.get("kind", DEFAULT_KIND) if isinstance(data, dict) else DEFAULT_KIND
    kind = kind_named(name) if isinstance(name, str) else None
    if kind is not None:
        return kind
    known = kind_names()
    close = difflib.get_close_matches(str(name), known, n=1)
    diags.error(
        "config.unknown-kind",
        f"there is no kind of document called '{name}'",
        smap.locate(("kind",)),
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
        where = smap.locate((part, "lines_from"))
        if "lines" in block:
            diags.error(
                "schema.lines-twice",
                f"{part} has both `lines` and `lines_from`",
                where,
                "keep the lines in one place: delete `lines`, or delete `lines_from`",
            )
            continue
        rel = source.get("file")
        if not isinstance(rel, str) or not rel:
            continue  # the schema reports the missing file
        path = inside_project(root, rel, where, diags)
        if path is None:
            continue
        if not path.is_file():
            diags.error(
                "data.file-not-found",
                f"{part} lines file '{rel}' does not exist",
                where,
                "check the path; it is relative to the project folder",
            )
            continue
        sheet, cell_range = source.get("sheet"), source.get("range")
        table, problems = load_table(
            root,
            rel,
            sheet if isinstance(sheet, str) else None,
            cell_range if isinstance(cell_range, str) else None,
        )
        diags.extend(problems)
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


def _load_training(
    root: Path, spec: Training, project: Project, diags: DiagnosticList
) -> TrainingData:
    positions: dict[str, SourceMap] = {}

    def rows(key: str, rel: str | None, model: type[M]) -> list[M]:
        if rel is None:
            return []
        path = inside_project(root, rel, project.locate("training", key), diags)
        if path is None:
            return []
        if not path.is_file():
            diags.error(
                "data.file-not-found",
                f"training file '{rel}' does not exist",
                project.locate("training", key),
                "check the path; it is relative to the project folder",
            )
            return []
        errors_before = len(diags.errors)
        found, smap = load_rows(root, rel, model, diags)
        if smap is not None:
            positions[key] = smap
        if len(diags.errors) > errors_before:
            # Half a table would make every total checked against it wrong as well.
            project.failed[f"training.{key}"] = rel
            return []
        return found

    return TrainingData(
        spec=spec,
        courses=rows("courses_file", spec.courses_file, Course),
        elearning=rows("elearning_file", spec.elearning_file, ElearningModule),
        organisations=rows("organisations_file", spec.organisations_file, OrganisationAttendance),
        positions=positions,
    )

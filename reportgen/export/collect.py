"""`reportgen collect`: many reports' data exports as one dataset.

The national panel reads every partnership's report; each build's `data/` folder is
already tidy and in the DfE open data standards, so combining them is a union of the
same tables. DuckDB does the union (`read_csv(..., union_by_name=true)`), so exports
whose tables have different columns (one partnership has money indicators, another
not) still line up by column name; a column a report lacks is `z` (not applicable).

Before combining, the exports must mean the same thing by the same name: an indicator
id published with one unit in one report and another unit in another (children on
plans as a count here, a rate there) is reported, as is a column whose unit differs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.export.cells import csv_bytes
from reportgen.export.ees import META_COLUMNS, NOT_APPLICABLE, SYMBOLS

# The diagnostic codes this module emits; reportgen.catalogue collects them.
COLLECT_NOT_AN_EXPORT = Code(
    "collect.not-an-export",
    Severity.ERROR,
    "A path given to `reportgen collect` holds no data export",
    """
    `reportgen collect` combines the `data/` folders that `reportgen build` writes
    (each with datapackage.json and figures.json). Pass those folders, or the build
    or project folders holding them, after building each report with the data
    export on (`outputs: data:`, the default).
    """,
)
COLLECT_DEFINITION_MISMATCH = Code(
    "collect.definition-mismatch",
    Severity.ERROR,
    "Two exports use the same name for different things",
    """
    Combined data is only comparable when an indicator id means the same thing in
    every report. An indicator published as a count in one export and as a rate or
    percentage in another (or a column whose unit differs) is reported and nothing
    is combined: give one of them another id, or correct its unit.
    """,
)

PACKAGE = "datapackage.json"


@dataclass
class Collected:
    """The combined dataset's files (by name) and what was found on the way."""

    diagnostics: DiagnosticList = field(default_factory=DiagnosticList)
    files: dict[str, bytes] = field(default_factory=dict)
    exports: list[Path] = field(default_factory=list)


def find_export(path: Path) -> Path | None:
    """The export folder: `path` itself, or `path/data`, or `path/build/data`."""
    for candidate in (path, path / "data", path / "build" / "data"):
        if (candidate / PACKAGE).is_file() and (candidate / "figures.json").is_file():
            return candidate
    return None


def _meta(path: Path) -> list[dict[str, str]]:
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def collect(paths: list[Path]) -> Collected:
    """Combine the data exports at `paths` into one dataset (nothing is written here)."""
    import duckdb

    result = Collected()
    diags = result.diagnostics
    for path in paths:
        found = find_export(path)
        if found is None:
            diags.emit(
                COLLECT_NOT_AN_EXPORT,
                f"{path} holds no reportgen data export ({PACKAGE} and figures.json)",
                Location(str(path)),
                "pass a build's data/ folder (or the build or project folder holding it); "
                "build the report first with `outputs: data: true`",
            )
        else:
            result.exports.append(found)
    if diags.has_errors():
        return result
    _check_definitions(result.exports, diags)
    if diags.has_errors():
        return result

    tables: dict[str, list[Path]] = {}
    for export in result.exports:
        package = json.loads((export / PACKAGE).read_text(encoding="utf-8"))
        for resource in package.get("resources", []):
            name = str(resource.get("path", ""))
            if name.endswith(".csv") and not name.endswith(".meta.csv"):
                tables.setdefault(name.removesuffix(".csv"), []).append(export / name)

    con = duckdb.connect(":memory:")
    for name, files in tables.items():
        relation = con.sql(
            "SELECT * FROM read_csv($files, union_by_name = true, all_varchar = true, "
            "header = true, filename = true)",
            params={"files": [str(f) for f in files]},
        )
        columns = [c for c in relation.columns if c != "filename"]
        metas = [f.with_suffix(".meta.csv") for f in files if f.with_suffix(".meta.csv").is_file()]
        indicators = {
            r["col_name"] for m in metas for r in _meta(m) if r["col_type"] == "Indicator"
        }
        records = [
            [
                (NOT_APPLICABLE if c in indicators else "") if v is None else str(v)
                for c, v in zip(columns, row, strict=False)
            ]
            for row in relation.select(*[duckdb.ColumnExpression(c) for c in columns]).fetchall()
        ]
        numeric = {i for i, c in enumerate(columns) if c in indicators or c == "time_period"}
        if name == "provenance":
            numeric = {columns.index(c) for c in ("data_row", "value") if c in columns}
        result.files[f"{name}.csv"] = csv_bytes(columns, records, numeric)
        if metas:
            merged: dict[str, list[str]] = {}
            for m in metas:
                for r in _meta(m):
                    merged.setdefault(r["col_name"], [r.get(k, "") for k in META_COLUMNS])
            result.files[f"{name}.meta.csv"] = csv_bytes(META_COLUMNS, merged.values())
    con.close()
    result.files[PACKAGE] = _package(result.files)
    return result


def _check_definitions(exports: list[Path], diags: DiagnosticList) -> None:
    """The same indicator id, or column, must have the same unit in every export."""
    units: dict[str, dict[str, Path]] = {}
    for export in exports:
        document = json.loads((export / "figures.json").read_text(encoding="utf-8"))
        for figure in document.get("figures", []):
            filters = figure.get("filters") or {}
            key = filters.get("indicator") or figure.get("column")
            if figure.get("data_file") == "indicators.csv" and key:
                units.setdefault(str(key), {}).setdefault(str(figure.get("unit")), export)
    for key, seen in sorted(units.items()):
        if len(seen) > 1:
            where = "; ".join(f"{unit} in {path}" for unit, path in seen.items())
            diags.emit(
                COLLECT_DEFINITION_MISMATCH,
                f"indicator '{key}' has different units in different exports: {where}",
                Location(str(next(iter(seen.values())) / "figures.json")),
                "the same indicator id must mean the same thing in every report: give one "
                "of them another id, or correct its unit",
            )
    columns: dict[tuple[str, str], dict[str, Path]] = {}
    for export in exports:
        for meta in sorted(export.glob("*.meta.csv")):
            for r in _meta(meta):
                if r["col_type"] == "Indicator":
                    key = (meta.name, r["col_name"])
                    columns.setdefault(key, {}).setdefault(r["indicator_unit"], export)
    for (file, column), seen in sorted(columns.items()):
        if len(seen) > 1:
            where = "; ".join(f"'{u}' in {p}" for u, p in seen.items())
            diags.emit(
                COLLECT_DEFINITION_MISMATCH,
                f"column '{column}' of {file} has different units: {where}",
                Location(str(next(iter(seen.values())) / file), row=1, field=column),
                "build every report with the same version of reportgen",
            )


def _package(files: dict[str, bytes]) -> bytes:
    import csv
    import io

    resources = []
    for name, data in sorted(files.items()):
        if not name.endswith(".csv"):
            continue
        header = next(csv.reader(io.StringIO(data.decode("utf-8"))))
        meta_name = name.removesuffix(".csv") + ".meta.csv"
        numeric: set[str] = {"time_period"} if not name.endswith(".meta.csv") else set()
        if meta_name in files:
            numeric |= {
                r["col_name"]
                for r in csv.DictReader(io.StringIO(files[meta_name].decode("utf-8")))
                if r["col_type"] == "Indicator"
            }
        if name == "provenance.csv":
            numeric = {"data_row"}
        fields = [
            {
                "name": h,
                "type": ("integer" if h in ("time_period", "data_row") else "number")
                if h in numeric
                else "string",
            }
            for h in header
        ]
        resources.append(
            {
                "name": name.removesuffix(".csv").replace(".", "-").replace("_", "-"),
                "path": name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "missingValues": ["", *SYMBOLS]},
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "collected-safeguarding-partnership-figures",
        "title": "Published figures of several safeguarding partnership reports",
        "resources": resources,
    }
    return (json.dumps(package, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


__all__ = ["Collected", "collect", "find_export"]

"""The open data export: every published figure as tidy CSV, JSON and a data package.

`export_files` turns the ledger of published figures (`reportgen.ledger`, filled by
derive after disclosure control) into the files of `build/data/`:

- `<table>.csv` and `<table>.meta.csv` for each table, in the DfE open data standards
  (`reportgen.export.ees`);
- `provenance.csv`: for every figure, the data file, row and column it sits in, its
  value as published, the file and line (or CSV row and column) it comes from and, for
  a computed figure, how it was computed;
- `figures.json`: the same for programs;
- `datapackage.json`: a Frictionless data package describing every file.

It returns bytes; `reportgen.write` puts them in place with the rest of the build.
"""

from __future__ import annotations

import json

from reportgen.export.cells import csv_bytes
from reportgen.export.ees import (
    GEOGRAPHY_COLUMNS,
    META_COLUMNS,
    SYMBOLS,
    WITHHELD,
    DataFile,
    data_files,
)
from reportgen.kinds.base import Period
from reportgen.ledger import FigureLedger, PublishedFigure
from reportgen.model.config import DocumentConfig

FOLDER = "data"
PROVENANCE_COLUMNS = (
    "figure_id",
    "data_file",
    "data_row",
    "column",
    "value",
    "time_period",
    "source",
    "derivation",
)


def _json_value(figure: PublishedFigure, cell: str) -> object:
    if cell in SYMBOLS:
        return cell
    value = figure.value
    assert value is not None
    return int(value) if value == value.to_integral_value() else float(value)


def _slug_name(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def export_files(
    config: DocumentConfig, period: Period, ledger: FigureLedger, basename: str
) -> dict[str, bytes]:
    """The files of the data export, by path relative to the output folder."""
    files = data_files(config, period, ledger)
    out: dict[str, bytes] = {}
    provenance: list[list[str]] = []
    figures_json: list[dict[str, object]] = []
    for data in files:
        name = data.table.name
        columns = data.columns
        first_measure = len(GEOGRAPHY_COLUMNS) + len(data.filters)
        records = data.records()
        numeric = set(range(first_measure, len(columns))) | {0}
        out[f"{FOLDER}/{name}.csv"] = csv_bytes(columns, records, numeric)
        out[f"{FOLDER}/{name}.meta.csv"] = csv_bytes(META_COLUMNS, data.meta_records())
        for i, row in enumerate(data.rows):
            for measure, figure in row.cells.items():
                cell = data.cell(row, measure)
                source = figure.source_text
                provenance.append(
                    [
                        figure.id,
                        f"{name}.csv",
                        str(i + 2),  # the header is row 1
                        measure,
                        cell,
                        row.geography[0],
                        source,
                        figure.derivation or "",
                    ]
                )
                figures_json.append(
                    {
                        "id": figure.id,
                        "data_file": f"{name}.csv",
                        "data_row": i + 2,
                        "column": measure,
                        "unit": data.table.measures[measure].unit,
                        "value": _json_value(figure, cell),
                        "time_period": row.geography[0],
                        "time_identifier": row.geography[1],
                        "geographic_level": row.geography[2],
                        "new_la_code": row.geography[7],
                        "la_name": row.geography[9],
                        "filters": dict(row.filters),
                        "source": [
                            {"path": s.path, "line": s.line, "row": s.row, "column": s.field}
                            for s in figure.sources
                        ],
                        "derivation": figure.derivation,
                    }
                )
    out[f"{FOLDER}/provenance.csv"] = csv_bytes(
        PROVENANCE_COLUMNS, provenance, {2, 4}
    )  # row and value are figures
    document = {
        "partnership": config.partnership.name,
        "title": config.title,
        "period": period.label,
        "symbols": {
            "c": "withheld to protect confidentiality (a count of children from 1 to the "
            "disclosure threshold, or a figure that would reveal one)",
            "x": "not available",
            "z": "not applicable",
        },
        "figures": figures_json,
    }
    out[f"{FOLDER}/figures.json"] = _json(document)
    out[f"{FOLDER}/datapackage.json"] = _json(_package(config, files, basename))
    return out


def _json(document: object) -> bytes:
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _field(name: str, kind: str, title: str, description: str | None = None) -> dict[str, str]:
    entry = {"name": name, "type": kind, "title": title}
    if description:
        entry["description"] = description
    return entry


_GEOGRAPHY_TITLES = {
    "time_period": "Time period (e.g. 202425 for 2024/25)",
    "time_identifier": "Kind of period",
    "geographic_level": "Geographic level",
    "country_code": "Country code (ONS)",
    "country_name": "Country",
    "region_code": "Region code (ONS)",
    "region_name": "Region",
    "new_la_code": "Local authority code (ONS)",
    "old_la_code": "Local authority number (DfE)",
    "la_name": "Local authority",
}


def _package(config: DocumentConfig, files: list[DataFile], basename: str) -> dict[str, object]:
    missing = ["", *SYMBOLS]
    resources: list[dict[str, object]] = []
    for data in files:
        fields = [
            _field(c, "integer" if c == "time_period" else "string", _GEOGRAPHY_TITLES[c])
            for c in GEOGRAPHY_COLUMNS
        ]
        fields += [_field(f, "string", data.table.filters[f]) for f in data.filters]
        for m in data.measures:
            measure = data.table.measures[m]
            fields.append(_field(m, "number", measure.label, f"unit: {measure.unit}"))
        resources.append(
            {
                "name": data.table.name.replace("_", "-"),
                "title": data.table.title,
                "path": f"{data.table.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "missingValues": missing},
            }
        )
        resources.append(
            {
                "name": f"{data.table.name.replace('_', '-')}-meta",
                "title": f"Column descriptions of {data.table.name}.csv (DfE metadata file)",
                "path": f"{data.table.name}.meta.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {
                    "fields": [_field(c, "string", c) for c in META_COLUMNS],
                    "missingValues": [""],
                },
            }
        )
    resources.append(
        {
            "name": "provenance",
            "title": "Where each figure comes from",
            "path": "provenance.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [
                    _field(c, "integer" if c == "data_row" else "string", c)
                    for c in PROVENANCE_COLUMNS
                ],
                "missingValues": [""],
            },
        }
    )
    resources.append(
        {
            "name": "figures",
            "title": "Every figure with its provenance, for programs",
            "path": "figures.json",
            "format": "json",
            "mediatype": "application/json",
            "encoding": "utf-8",
        }
    )
    return {
        "profile": "data-package",  # figures.json is not a table
        "name": _slug_name(f"{basename}-data") or "report-data",
        "title": f"{config.partnership.name}: {config.title} - published figures",
        "description": "Every figure the report publishes, in the DfE open data standards. "
        f"{WITHHELD} = withheld to protect confidentiality, x = not available, "
        "z = not applicable.",
        "resources": resources,
    }


def explain(figure: PublishedFigure) -> str:
    """Plain text: what a figure is, its value as published and where it comes from."""
    value = (
        WITHHELD + " (withheld by the disclosure policy)"
        if figure.withheld
        else "x (not available)"
        if figure.value is None
        else format(figure.value, "f")
    )
    lines = [f"{figure.id} = {value}"]
    lines += [f"  {k}: {v}" for k, v in figure.filters]
    if figure.sources:
        lines.append(f"  from: {figure.source_text}")
    if figure.derivation:
        lines.append(f"  how: {figure.derivation}")
    return "\n".join(lines)


__all__ = ["FOLDER", "explain", "export_files"]

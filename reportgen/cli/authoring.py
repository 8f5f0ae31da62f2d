"""`reportgen init` (a new project), `reportgen new-year` (next year's project from this
year's) and `reportgen schema` (JSON Schemas for editors)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reportgen.cli.common import EXIT_ERRORS, ProjectArg, QuietOpt, VerboseOpt, _logging

if TYPE_CHECKING:
    pass


def init(
    directory: Annotated[Path, typer.Argument(help="Folder to create the project in.")],
    partnership: Annotated[
        str,
        typer.Option(
            "--partnership", help="Full name, e.g. 'Newham Safeguarding Children Partnership'."
        ),
    ],
    short_name: Annotated[
        str | None,
        typer.Option("--short-name", help="Abbreviation, e.g. NSCP (default: the initials)."),
    ] = None,
    area: Annotated[
        str | None,
        typer.Option("--area", help="Local authority area, e.g. 'London Borough of Newham'."),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", help="Year the report covers, e.g. 2024/25 (default: last)."),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            help="Kind of document: annual-report (the default), arrangements or "
            "business-plan (`reportgen docs kinds`).",
        ),
    ] = None,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Start a new report project: every file it needs, commented, valid from the start.

    Also a .gitignore and a GitHub Actions workflow (.github/workflows/report.yml) that
    checks, builds and publishes the report on every push (README: Publish from CI).
    """
    from reportgen.scaffold import ScaffoldError, create_project

    _logging(quiet, verbose)
    try:
        written = create_project(
            directory,
            partnership=partnership,
            short_name=short_name,
            area=area,
            period=period,
            kind=kind,
        )
    except ScaffoldError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_ERRORS) from None
    if not quiet:
        typer.echo(f"created {len(written)} files in {directory}", err=True)
        typer.echo(
            f"next: open {directory / 'README.md'}, then run: reportgen serve {directory}",
            err=True,
        )


def new_year(
    project: ProjectArg = Path("."),
    to: Annotated[
        Path, typer.Option("--to", help="Folder for next year's project (new, or empty).")
    ] = ...,  # type: ignore[assignment]
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Start next year's report from this year's, in a new folder.

    Moves the period on a year; this year's values become last year's; this year's plan
    for next year becomes next year's priorities; open review recommendations carry
    over. Prints what it carried, what it reset and what needs a person; `validate` on
    the new project lists what is left (`reportgen docs history`).
    """
    from reportgen.newyear import NewYearError
    from reportgen.newyear import new_year as make_new_year

    _logging(quiet, verbose)
    try:
        result = make_new_year(project, to)
    except NewYearError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_ERRORS) from None
    if quiet:
        return
    typer.echo(f"created the {result.period} project in {to}")
    for heading, lines in (
        ("carried", result.carried),
        ("reset", result.reset),
        ("needs a person", result.needs_person),
    ):
        typer.echo(f"{heading}:")
        for line in lines:
            typer.echo(f"  - {line}")
    typer.echo(f"next: reportgen validate {to}   (lists each item still to do, once)")


def schema(
    project: ProjectArg = Path("."),
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder for the schemas (default: PROJECT/schemas)."),
    ] = None,
    modelines: Annotated[
        bool,
        typer.Option(
            "--modelines", help="Also point each YAML file at its schema (a first-line comment)."
        ),
    ] = False,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json-output",
            help="Print the JSON Schema of what --format json prints "
            "(`reportgen docs json-output`) and write nothing.",
        ),
    ] = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Write JSON Schemas of report.yaml and every data file, for editors.

    The files are those of the project's kind of document (`kind:` in report.yaml).
    See `reportgen docs authoring`.
    """
    from reportgen.jsonschema import add_modelines, project_kind, write_schemas

    _logging(quiet, verbose)
    if json_output:
        from reportgen.validation_report import output_schema

        typer.echo(output_schema(), nl=False)
        return
    target = out if out is not None else project / "schemas"
    try:
        schema_dir = target.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        if modelines:
            raise typer.BadParameter(
                "with --modelines the schemas must be inside the project", param_hint="--out"
            ) from None
    kind = project_kind(project)
    for path in write_schemas(target, kind):
        if not quiet:
            typer.echo(f"wrote {path}", err=True)
    if modelines:
        for path in add_modelines(project, schema_dir, kind):
            if not quiet:
                typer.echo(f"added a schema comment to {path}", err=True)

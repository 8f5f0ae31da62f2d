"""`reportgen validate` and `reportgen build` (one project, or several at once)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from reportgen.cli.common import (
    EXIT_BUG,
    EXIT_ERRORS,
    EXIT_OK,
    DebugOpt,
    FormatOpt,
    JobsOpt,
    NoCacheOpt,
    NoValidateCacheOpt,
    OutputFormat,
    ProjectsArg,
    QuietOpt,
    StrictOpt,
    VerboseOpt,
    _emit,
    _exit_code,
    _internal_error,
    _interrupted,
    _logging,
    _no_collection,
    _path_prefix,
    _save_crash,
    _validated,
)
from reportgen.cli.display import _close, _progress_line
from reportgen.diagnostics import DiagnosticList, ReportgenError, to_json_document

if TYPE_CHECKING:
    from reportgen.many import ProjectOutcome


def validate(
    projects: ProjectsArg = None,
    fmt: FormatOpt = OutputFormat.TEXT,
    strict: StrictOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
    debug: DebugOpt = False,
    no_cache: NoValidateCacheOpt = False,
) -> None:
    """Check a report project and list every problem with file and line.

    Given several projects (published arrangements and an annual report of the same
    partnership), also check what one says against the other. When nothing it reads has
    changed since the last validate, that one's result is shown again (build/.cache).
    """
    _logging(quiet, verbose)
    from reportgen.many import find_projects

    roots = find_projects(projects or [Path(".")])
    if len(roots) > 1:
        _validate_together(roots, fmt, strict, quiet, debug)
    project = roots[0]
    with _no_collection():
        result = _validated(project, debug, fmt, quiet, replay=not no_cache)
    from reportgen.diagnostics import promote_warnings

    diags = promote_warnings(result.diagnostics) if strict else result.diagnostics
    code = _exit_code(diags, strict)
    _emit(
        diags,
        fmt,
        valid=code == EXIT_OK,
        quiet=quiet,
        checklist=result.checklist,
        disclosure=result.derived.disclosure if result.derived else None,
        prefix=_path_prefix(project),
        parts=result.parts,
    )
    if fmt is OutputFormat.TEXT and code == EXIT_OK and not quiet:
        waiting = [d for d in diags if d.code.startswith("ready.")]
        if waiting:  # valid, but a new year's carried files and figures still wait
            from reportgen.readiness import READY_NOT_REVIEWED  # here: it loads the models

            reviews = sum(d.code == READY_NOT_REVIEWED.code for d in waiting)
            typer.echo(
                f"{project}: report is valid but not ready: {reviews} narrative file(s) not "
                f"reviewed, {len(waiting) - reviews} figure(s) or file(s) to fill"
            )
        else:
            typer.echo(f"{project}: report is valid")
    raise typer.Exit(code)


def _validate_together(
    roots: list[Path], fmt: OutputFormat, strict: bool, quiet: bool, debug: bool
) -> NoReturn:
    """Several projects: every problem of each (paths from the current folder), and those
    of one against another, in one list; no checklists."""
    from dataclasses import replace

    from reportgen.diagnostics import promote_warnings
    from reportgen.pipeline import validate_together

    try:
        results = validate_together(roots)
    except KeyboardInterrupt:
        _interrupted("nothing was checked")
    except Exception as exc:
        _internal_error(exc, debug)
    merged = DiagnosticList()
    for root, result in zip(roots, results, strict=True):
        prefix = _path_prefix(root)
        for d in result.diagnostics:
            where = d.location
            merged.add(
                replace(d, location=replace(where, path=prefix + where.path)) if where else d
            )
    diags = promote_warnings(merged) if strict else merged
    code = _exit_code(diags, strict)
    _emit(diags, fmt, valid=code == EXIT_OK, quiet=quiet)
    if fmt is OutputFormat.TEXT and code == EXIT_OK and not quiet:
        typer.echo(f"{', '.join(str(r) for r in roots)}: valid")
    raise typer.Exit(code)


def build(
    projects: ProjectsArg = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output folder (default: PROJECT/build; one project)."),
    ] = None,
    html_only: Annotated[bool, typer.Option("--html-only", help="Skip the PDF.")] = False,
    jobs: JobsOpt = None,
    no_cache: NoCacheOpt = False,
    fmt: FormatOpt = OutputFormat.TEXT,
    strict: StrictOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
    debug: DebugOpt = False,
) -> None:
    """Validate, then write the report as HTML and PDF (several projects in parallel).

    Charts and the PDF are reused from build/.cache when nothing that shapes them
    changed; a build with no change at all does nothing (see `reportgen docs performance`).
    """
    import atexit
    import gc

    from reportgen.many import find_projects
    from reportgen.pipeline import build as run_build

    # Python's last collection at exit walks every object the build left (the project,
    # its pages, the PDFs) to free memory the system takes back anyway: frozen first, as
    # `validate` does (cli/common.py). Refcounted objects are freed as before.
    atexit.register(gc.freeze)
    _logging(quiet, verbose)
    roots = find_projects(projects or [Path(".")])
    if len(roots) > 1:
        if out is not None:
            raise typer.BadParameter("needs a single project", param_hint="--out")
        _build_many(roots, jobs, html_only, no_cache, fmt, strict, quiet)
    project = roots[0]
    progress = _progress_line(quiet)
    try:
        result = run_build(
            project,
            out,
            pdf=False if html_only else None,
            cache=not no_cache,
            progress=progress,
            cpus=jobs,
        )
    except ReportgenError as exc:
        _close(progress)
        diags = DiagnosticList(list(exc.diagnostics))
        _emit(diags, fmt, "; nothing was written", valid=False, command="build", quiet=quiet)
        raise typer.Exit(EXIT_ERRORS) from None
    except KeyboardInterrupt:
        _close(progress)
        _interrupted("the previous outputs are unchanged")
    except Exception as exc:
        _close(progress)
        _internal_error(exc, debug)
    _close(progress)
    diags = result.diagnostics
    if strict:  # imported only then: an up-to-date build never loads the checks
        from reportgen.diagnostics import promote_warnings

        diags = promote_warnings(diags)
    code = _exit_code(diags, strict)
    _emit(
        diags,
        fmt,
        "; nothing was written" if not result.outputs else "",
        valid=code == EXIT_OK,
        command="build",
        quiet=quiet,
        prefix=_path_prefix(project),
        outputs=result.outputs,
        up_to_date=result.up_to_date,
    )
    if fmt is OutputFormat.TEXT and not quiet:
        for path in result.outputs:
            typer.echo(f"{'up to date' if result.up_to_date else 'wrote'} {path}", err=True)
    raise typer.Exit(code)


def _build_many(
    roots: list[Path],
    jobs: int | None,
    html_only: bool,
    no_cache: bool,
    fmt: OutputFormat,
    strict: bool,
    quiet: bool,
) -> NoReturn:
    """Build several projects at once; a line for each; exit with the worst code."""
    import json
    from dataclasses import replace

    from reportgen.many import build_many
    from reportgen.validation_report import envelope, output_records

    progress = _progress_line(quiet, total=len(roots))
    finished = 0

    def code_of(outcome: ProjectOutcome) -> int:
        if outcome.crash:
            return EXIT_BUG
        return _exit_code(DiagnosticList(outcome.diagnostics), strict)

    def show(outcome: ProjectOutcome) -> None:
        nonlocal finished
        finished += 1
        if progress is not None:
            progress.update(f"built {finished} of {len(roots)} projects", advance=1)
        if fmt is OutputFormat.JSON:
            return
        if fmt is OutputFormat.TEXT:
            for d in DiagnosticList(outcome.diagnostics).sorted():
                if d.location is not None:  # clickable from the folder the command ran in
                    where = replace(d.location, path=str(outcome.root / d.location.path))
                    d = replace(d, location=where)
                typer.echo(d.format_text())
        else:
            for d in DiagnosticList(outcome.diagnostics).sorted():
                typer.echo(d.format_github(_path_prefix(outcome.root)))
        counts = f"{outcome.errors} error(s), {outcome.warnings} warning(s)"
        if outcome.crash:
            saved = _save_crash(outcome.traceback or "")
            line = (
                f"CRASH {outcome.root}: internal error in reportgen ({outcome.crash}); a bug, "
                f"not a problem with the report. Details (no report data) in {saved}"
            )
        elif code_of(outcome) != EXIT_OK:
            written = "outputs written" if outcome.outputs else "nothing was written"
            line = f"FAIL  {outcome.root}: {counts}; {written}"
        else:
            done = "up to date" if outcome.up_to_date else f"wrote {len(outcome.outputs)} file(s)"
            line = f"ok    {outcome.root}: {done}, {counts}"
        typer.echo(f"{line} ({outcome.seconds:.1f} s)", err=fmt is OutputFormat.GITHUB)

    if progress is not None:
        progress.update(f"building {len(roots)} projects")
    try:
        outcomes = build_many(
            roots, jobs=jobs, pdf=False if html_only else None, cache=not no_cache, on_done=show
        )
    finally:
        _close(progress)
    codes = [code_of(o) for o in outcomes]
    if fmt is OutputFormat.JSON:
        projects = [
            {
                "project": str(o.root),
                "exit_code": code,
                "valid": code == EXIT_OK,
                "crash": o.crash,
                "up_to_date": o.up_to_date,
                "outputs": output_records(o.outputs),
                **json.loads(to_json_document(DiagnosticList(o.diagnostics).sorted())),
            }
            for o, code in zip(outcomes, codes, strict=True)
        ]
        typer.echo(envelope("build", max(codes) == EXIT_OK, {"projects": projects}))
    else:
        failed = sum(code != EXIT_OK for code in codes)
        summary = f"{len(roots)} projects: {len(roots) - failed} ok, {failed} failed"
        typer.echo(summary, err=fmt is OutputFormat.GITHUB)
    raise typer.Exit(max(codes))

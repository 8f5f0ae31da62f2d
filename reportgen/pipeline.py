"""The build, as one readable function per command.

load -> validate -> derive -> render -> write. Each stage is a module with a
narrow interface; this file only strings them together.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.diagnostics import Diagnostic, DiagnosticList

if TYPE_CHECKING:
    from reportgen.cache import BuildCache
    from reportgen.checks import Checklist
    from reportgen.derive import Derived
    from reportgen.progress import ProgressFn
    from reportgen.project import Project
    from reportgen.render.chartset import ChartSet, ChartWorkers
    from reportgen.render.html import Medium
    from reportgen.render.pdfengine import PdfEngine
    from reportgen.replay import ValidateRecord
    from reportgen.validation_report import ReportParts

log = logging.getLogger(__name__)


@dataclass
class ValidationResult:
    """A loaded project with every diagnostic found in it."""

    diagnostics: DiagnosticList
    project: Project | None = None
    derived: Derived | None = None
    checklist: Checklist | None = None  # the completeness profile, judged
    # A replayed validate (reportgen.replay) has no project: its checklist and
    # disclosure summary as recorded.
    parts: ReportParts | None = None


@dataclass
class BuildResult:
    """What a build wrote (nothing, when validation found errors)."""

    validation: ValidationResult
    outputs: list[Path] = field(default_factory=list)
    up_to_date: bool = False  # nothing had changed since the last build: nothing was redone

    @property
    def diagnostics(self) -> DiagnosticList:
        return self.validation.diagnostics


# Called by `validate` as soon as the figures are derived, before the checks (about
# 70 % of validation): a page-only build starts drawing its charts there.
# A context variable, not a parameter, so `validate(root)` stays the one signature that
# callers and tests replacing it know.
ON_DERIVED: ContextVar[Callable[[Project, Derived], None] | None] = ContextVar(
    "on_derived", default=None
)


def validate(root: Path) -> ValidationResult:
    """Load, check and derive; collect every problem in one pass."""
    # Imported here: an up-to-date `build` never loads the models and checks.
    from reportgen.checks import run_checks, run_report_checks
    from reportgen.checks.narrative import check_references, check_typed_figures
    from reportgen.checks.severity import apply_severity
    from reportgen.derive import derive
    from reportgen.export.checks import check_export
    from reportgen.glance import check_glance
    from reportgen.lastyear import check_last_year
    from reportgen.project import load_project, report_skipped
    from reportgen.readiness import hold_back
    from reportgen.theme import check_theme

    diags = DiagnosticList()
    project = load_project(root, diags)
    if project is None:
        return ValidationResult(diags)
    # Derived before the checks (it reads only what was loaded, and it always ran
    # whatever they found): a page-only build's chart process starts drawing 0.3 s sooner.
    derived = derive(project)
    if (on_derived := ON_DERIVED.get()) is not None:
        on_derived(project, derived)
    run_checks(project, diags)
    check_references(project, derived, diags)
    check_typed_figures(project, derived, diags)
    check_theme(project, diags)
    check_export(project, diags, derived)
    if (project.root / "templates").is_dir():
        # Only then: a project without its own templates never pays for the renderer.
        from reportgen.render.html import check_templates

        diags.extend(check_templates(project.root))
    check_glance(project, derived, diags)
    if project.config.outputs.digest:
        from reportgen.digest import check_digest

        check_digest(project, derived, diags)
    check_last_year(project, diags)
    checklist = run_report_checks(project, derived, diags)
    report_skipped(project, diags)
    if project.config.validation.severity:  # last: report.yaml may raise a code's severity
        from reportgen.catalogue import CATALOGUE  # every declared code, from every layer

        apply_severity(project, diags, CATALOGUE)
    hold_back(project, diags)  # last: a new year's carried files, one item each
    return ValidationResult(diags, project, derived, checklist)


def validate_recorded(root: Path, cache: bool = True) -> ValidationResult:
    """`validate`, or the last validate's result again when nothing it read has changed
    since (`reportgen.replay`); with `cache`, a real validate is recorded for the next."""
    if not cache:
        return validate(root)
    from reportgen.memo import remembering
    from reportgen.replay import ValidateRecord

    record = ValidateRecord(root)
    if (done := record.replay()) is not None:
        return ValidationResult(DiagnosticList(done.diagnostics), parts=done.parts)
    with remembering() as memos:  # the dictionaries' answers too (reportgen.memo)
        result = validate(root)
    memos.save()
    if result.project is not None:
        _record_validation(record, result)
    return result


def _record_validation(record: ValidateRecord, result: ValidationResult) -> None:
    """Keep a validate's result (made by `validate` or by a build) for the next validate."""
    from reportgen.validation_report import ReportParts

    assert result.project is not None
    disclosure = result.derived.disclosure if result.derived is not None else None
    parts = ReportParts.of(result.checklist, disclosure)
    record.record(result.project, list(result.diagnostics), parts)


def validate_together(roots: list[Path]) -> list[ValidationResult]:
    """Validate each project, then what one says against another (published arrangements
    against an annual report of the same partnership: reportgen.checks.across)."""
    from reportgen.checks.across import cross_check

    results = [validate(root) for root in roots]
    projects = [r.project for r in results if r.project is not None]
    cross_check(projects, {str(r.project.root): r.diagnostics for r in results if r.project})
    return results


def build(
    root: Path,
    out_dir: Path | None = None,
    *,
    html: bool | None = None,
    pdf: bool | None = None,
    cache: bool = False,
    progress: ProgressFn | None = None,
    chart_worker: bool = True,
    cpus: int | None = None,
) -> BuildResult:
    """Validate, then render and write the outputs report.yaml asks for.

    With `cache`, charts and the PDF are reused from build/.cache when nothing that
    shapes them has changed, and a build with no change at all is skipped. With
    `chart_worker`, charts a PDF build must draw are drawn in a second process while
    WeasyPrint starts, and those of a page-only build in a process started before
    validation and given them as soon as they are derived, where two CPUs are free; a
    build that may make a PDF starts WeasyPrint in a second process before it validates
    (render/pdfengine.py). `reportgen build A B ...` turns both off: its
    projects use the CPUs (a long page is still laid out in two parts, by two engines
    started for it, so that its PDF has the same bytes as from a build of one project).
    `cpus` is how many CPUs the build may keep busy (default: all it may use): with one
    there is no second process before validation and the two engines of a split layout
    take turns (`reportgen build -j 1`; the same bytes).
    """
    from reportgen.cache import BuildCache  # here: `validate` never needs it

    store = BuildCache.for_project(root, progress) if cache else BuildCache.disabled(progress)
    from reportgen.cache import project_relative
    from reportgen.write import clean_leftovers

    # First, whatever a killed build left (even when this one turns out up to date).
    clean_leftovers((out_dir or root / "build").resolve())
    out_name = project_relative(out_dir, root.resolve()) if out_dir else None
    request = {"out": out_name, "html": html, "pdf": pdf}
    if (done := store.check(root, request)) is not None:
        replayed = ValidationResult(DiagnosticList(done.diagnostics))
        return BuildResult(replayed, _listed(done.outputs), up_to_date=True)
    from reportgen.cpus import usable_cpus

    cpus = usable_cpus() if cpus is None else cpus
    engine = workers = None
    chart_worker = chart_worker and cpus >= 2
    if chart_worker and pdf is not False:
        from reportgen.render.pdfengine import PdfEngine
        from reportgen.render.pdfsplit import worth_splitting

        # Started first, so WeasyPrint imports in a second process while this one
        # validates; stopped unused if the report wants no PDF or it comes from the cache.
        # A long report gets two, to lay out its PDF in two parts (render/pdfsplit.py).
        engine = PdfEngine.start(split=worth_splitting(root))
    if chart_worker and (pdf is False or not store.holds_charts):
        from reportgen.render.chartset import ChartWorkers

        # A process imports matplotlib while this one validates, and draws the charts as
        # soon as they are derived: for the page alone, and for a first (or uncached)
        # build's PDF, whose engines ask for the charts early in their layout (a build
        # with charts in its cache draws the few it lacks when it makes the PDF).
        workers = ChartWorkers.start()
    try:
        return _build(root, out_dir, store, html, pdf, chart_worker, engine, workers, cpus)
    finally:
        if engine is not None:
            engine.close()
        if workers is not None:
            workers.close()


def _build(
    root: Path,
    out_dir: Path | None,
    store: BuildCache,
    html: bool | None,
    pdf: bool | None,
    chart_worker: bool,
    engine: PdfEngine | None,
    workers: ChartWorkers | None = None,
    cpus: int = 2,
) -> BuildResult:
    """`build` after the up-to-date check, with the PDF engine if one was started."""
    from reportgen.memo import remembering
    from reportgen.render.chartset import ChartSet

    recording = None
    if store.enabled:  # so that a validate after this build can replay its result
        from reportgen.replay import ValidateRecord

        recording = ValidateRecord(root)
        recording.snapshot()
    early: list[ChartSet] = []

    def start_drawing(project: Project, derived: Derived) -> None:
        # The chart worker starts on the charts while the checks still run (if those
        # find errors, the drawings are thrown away).
        charts = ChartSet.of_report(project, derived, store)
        charts.draw_in_background(page_only=True, workers=workers)
        early.append(charts)

    token = ON_DERIVED.set(start_drawing if workers is not None else None)
    try:
        with remembering(store.enabled) as memos:
            result = validate(root)
    finally:
        ON_DERIVED.reset(token)
    if result.diagnostics.has_errors() or result.project is None or result.derived is None:
        return BuildResult(result)  # (`build` ends the chart worker, drawing or not)
    project, derived = result.project, result.derived
    outputs_cfg = project.config.outputs
    want_html = outputs_cfg.html if html is None else html
    want_pdf = outputs_cfg.pdf if pdf is None else pdf

    from reportgen.digest import digest_basename
    from reportgen.write import write_outputs

    engine_missing: Diagnostic | None = None
    outputs: dict[str, bytes] = {}
    rest: list[tuple[str, str, dict[str, bytes]]] = []  # the page (marked), marker, extras

    def make_rest() -> None:
        # A chart still being drawn gets a marker in the page, and the digest and open
        # data are made meanwhile; the drawings go in last. A build of the page alone
        # does this while the chart process draws; a build with a PDF, while the
        # engines lay it out (render/pdfengine.py calls it once they have their pages).
        if not rest:
            with charts.drawn_later() as marker:
                marked = render_page(project, derived, charts)
            rest.append((marked, marker, _page_extras(project, derived, want_html)))

    try:
        with early[0] if early else ChartSet.of_report(project, derived, store) as charts:
            if want_pdf:
                from reportgen.render.pdf import pdf_engine_problem, render_pdf

                # The PDF first: its page needs no chart drawn, so WeasyPrint starts while
                # a second process draws them (WeasyPrint fetches each image when needed).
                if chart_worker:
                    charts.draw_in_background()
                # The print medium: TrueType fonts, each chart's text alternative as /Alt.
                print_page = render_page(project, derived, charts, medium="print")

                def make_here(page: str) -> bytes:
                    # Made here: first, is the engine there at all (Pango and friends)?
                    if (problem := pdf_engine_problem()) is not None:
                        raise _NoPdfEngine(problem)
                    return render_pdf(page, project.root, charts.image)

                def make_pdfs(pages: list[str]) -> list[bytes]:
                    from reportgen.render.pdfengine import EngineLost, render_in_new_engines

                    together = cpus >= 2  # else the engines take turns: one CPU's worth
                    if engine is not None:
                        try:  # the report and its digest at once, where engines are free
                            return engine.render_all(
                                pages, project.root, charts.image, meanwhile=make_rest
                            )
                        except EngineLost as exc:
                            log.info("pdf: the engine process failed (%s); made here", exc)
                    # No engine: a page that is split is still split (its bytes depend on
                    # the page, not on this machine), by two engines started now.
                    made = render_in_new_engines(
                        pages, project.root, charts.image, together=together, meanwhile=make_rest
                    )
                    return made if made is not None else [make_here(page) for page in pages]

                names = [f"{project.basename}.pdf"]
                pages = [print_page]
                if outputs_cfg.digest:
                    from reportgen.render.digest import render_digest

                    names.append(f"{digest_basename(project)}.pdf")
                    pages.append(render_digest(project, derived, medium="print"))
                try:
                    made = store.pdfs(pages, project.root, make_pdfs)
                    outputs.update(zip(names, made, strict=True))
                except _NoPdfEngine as missing:
                    # A machine without Pango still gets its HTML; the build fails (exit 1).
                    engine_missing = missing.diagnostic
                    result.diagnostics.add(engine_missing)
            elif chart_worker:  # the early chart process has them already, if there is one
                charts.draw_in_background(page_only=True, workers=workers)
            make_rest()  # (done already if the PDF's engines were laying out)
            marked, marker, extras = rest[0]
            # A template that changed a marker: the page is made again, with the drawings.
            page = charts.fill(marked, marker) or render_page(project, derived, charts)
    finally:
        store.save()  # keep the charts drawn, even if the PDF failed
    if want_html:
        outputs = {f"{project.basename}.html": page.encode("utf-8"), **outputs}
    outputs.update(extras)
    out = (out_dir or project.root / "build").resolve()
    if not outputs:  # only a PDF was asked for, and it could not be made
        return BuildResult(result)
    write_outputs(out, outputs, _input_files(project))
    if engine_missing is None:  # else the next build must try the PDF again
        store.record(project, result.diagnostics, outputs, out)
        store.save()
    if recording is not None:  # only a build that wrote its outputs: a failed one adds nothing
        memos.save()
        _record_validation(recording, result)
    return BuildResult(result, _listed([out / name for name in outputs]))


def _page_extras(project: Project, derived: Derived, want_html: bool) -> dict[str, bytes]:
    """The outputs beside the report's own: the digest's page, and the open data."""
    from reportgen.digest import digest_basename

    extras: dict[str, bytes] = {}
    if want_html and project.config.outputs.digest:
        from reportgen.render.digest import render_digest

        extras[f"{digest_basename(project)}.html"] = render_digest(project, derived).encode()
    if project.config.outputs.data and project.period is not None:
        from reportgen.export import export_files

        # Every published figure as open data, written with the rest of the build (open
        # data is dated: an undated kind of document has none to publish).
        extras.update(
            export_files(project.config, project.period, derived.ledger, project.basename)
        )
    return extras


class _NoPdfEngine(Exception):
    """WeasyPrint cannot start on this machine: its diagnostic, raised out of the PDF step."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def render_page(
    project: Project, derived: Derived, charts: ChartSet, medium: Medium = "screen"
) -> str:
    """The report's page for `medium`: what `build` writes and `serve` shows (the print
    page is what the PDF is made from)."""
    from reportgen.render.html import render_report

    return render_report(project, derived, medium=medium, charts=charts)


def _listed(paths: list[Path]) -> list[Path]:
    """The outputs as a reader wants them listed: a folder of them (data/) once."""
    if not paths:
        return []
    top = min((p.parent for p in paths), key=lambda p: len(p.parts))
    listed: list[Path] = []
    for path in paths:
        shown = top / path.relative_to(top).parts[0]
        if shown not in listed:
            listed.append(shown)
    return sorted(listed, key=lambda p: (p.is_dir(), p.name))  # files first, then data/


def _input_files(project: Project) -> dict[str, bytes]:
    """Every file that shaped the report, for the manifest: the same files the cache's
    up-to-date check and serve's watcher look at (`reportgen.layout.input_files`)."""
    from reportgen.layout import input_files
    from reportgen.project import project_files

    root = project.root
    return {rel: (root / rel).read_bytes() for rel in input_files(root, project_files(project))}

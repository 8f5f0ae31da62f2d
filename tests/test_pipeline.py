"""The whole pipeline on small projects: outputs, atomicity, PDF text and metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pikepdf
import pytest
from pypdf import PdfReader

from reportgen import pipeline
from reportgen.write import write_atomic
from tests.conftest import REPO, ProjectWriter


def test_build_writes_html_pdf_and_manifest(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(minimal_files)
    result = pipeline.build(root)
    assert not result.diagnostics.has_errors()
    names = sorted(p.name for p in result.outputs)
    assert names == ["data", "report.html", "report.pdf"]  # data: the open data export
    assert (root / "build" / "manifest.json").is_file()
    reader = PdfReader(root / "build" / "report.pdf")
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Newham Safeguarding Children Partnership: Annual Report 2024/25"
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Key figures, in reading order: the sentence, then the table, then its total.
    order = [
        "Partners paid £194,600 into the budget",
        "£1,400 over budget",
        "Income by contributor, 2024/25",
        "LBN - CSC (not including overheads) £107,000 55.0%",
        "Total £194,600",
    ]
    positions = [text.find(fragment) for fragment in order]
    assert all(p >= 0 for p in positions), list(zip(order, positions, strict=True))
    assert positions == sorted(positions)
    assert "Page 1 of" not in reader.pages[0].extract_text()  # the cover has no footer
    assert f"of {len(reader.pages)}" in reader.pages[-1].extract_text()


def test_pdf_is_tagged_with_language(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(minimal_files)
    pipeline.build(root)
    with pikepdf.open(root / "build" / "report.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en-GB"
        # A PDF boolean is a Python bool at run time; pikepdf's stubs say Object.
        assert cast(object, pdf.Root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in pdf.Root
        titles = [item.title for item in pdf.open_outline().root[0].children]
        assert titles == ["Contents", "1. Budget"]


def test_failed_build_leaves_previous_outputs_intact(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(minimal_files)
    pipeline.build(root, pdf=False)
    page = root / "build" / "report.html"
    before = page.read_bytes()
    (root / "content" / "budget.md").write_text("{{ table budget.nothing }}\n")
    result = pipeline.build(root, pdf=False)
    assert result.diagnostics.has_errors()
    assert result.outputs == []
    assert page.read_bytes() == before


def test_render_failure_leaves_previous_outputs_intact(
    write_project: ProjectWriter, minimal_files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(minimal_files)
    pipeline.build(root, pdf=False)
    page = root / "build" / "report.html"
    before = page.read_bytes()

    def broken_pdf(html: str, project_root: Path, charts: object = None) -> bytes:
        raise RuntimeError("PDF engine failed")

    import reportgen.render.pdf as pdf_module

    monkeypatch.setattr(pdf_module, "render_pdf", broken_pdf)
    (root / "content" / "budget.md").write_text("Changed text.\n")
    with pytest.raises(RuntimeError):
        pipeline.build(root, chart_worker=False)  # the PDF made here, by the broken engine
    assert page.read_bytes() == before
    assert not (root / "build" / "report.pdf").exists()


def test_write_atomic_cleans_up_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    target.write_bytes(b"old")

    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_the_glance_page_is_built_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checked in validate and shown by the renderer: one build of the "at a glance" page."""
    import reportgen.glance

    calls: list[object] = []
    real = reportgen.glance.glance_view

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(reportgen.glance, "glance_view", counted)
    result = pipeline.build(REPO, tmp_path / "out", pdf=False)
    assert result.outputs and len(calls) == 1
    assert 'id="at-a-glance"' in (tmp_path / "out" / "nscp-annual-report-2024-25.html").read_text(
        "utf-8"
    )


def test_a_first_pdf_build_starts_the_chart_process_before_validating_a_later_one_not(
    write_project: ProjectWriter, minimal_files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.cpus as cpus_module
    from reportgen.render.chartset import ChartWorkers
    from reportgen.render.pdfengine import PdfEngine
    from tests.conftest import CHARTS_MD

    root = write_project({**minimal_files, "content/budget.md": CHARTS_MD})
    started: list[str] = []
    real = ChartWorkers.start.__func__  # type: ignore[attr-defined]

    def chart_process(cls: type[ChartWorkers]) -> ChartWorkers | None:
        started.append("charts")
        return real(cls)  # type: ignore[no-any-return]

    monkeypatch.setattr(cpus_module, "usable_cpus", lambda: 2)
    monkeypatch.setattr(PdfEngine, "start", classmethod(lambda cls, split=False: None))
    monkeypatch.setattr(ChartWorkers, "start", classmethod(chart_process))
    first = pipeline.build(root, cache=True)
    assert started == ["charts"] and not first.diagnostics.has_errors()
    # The charts are cached now: a narrative edit's build draws none, so starts none early.
    (root / "content" / "budget.md").write_text(CHARTS_MD + "\nOne more line.\n")
    again = pipeline.build(root, cache=True)
    assert started == ["charts"] and not again.diagnostics.has_errors()
    assert {p.suffix for p in again.outputs} >= {".html", ".pdf"}
    # --no-cache: nothing is known to be drawn, so the process starts early again.
    pipeline.build(root, cache=False)
    assert started == ["charts", "charts"]

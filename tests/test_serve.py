"""`reportgen serve`: the served page follows the files, problems show in the page."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest

from reportgen import pipeline
from reportgen.diagnostics import Diagnostic, Severity
from reportgen.serve import RELOAD_PATH, PreviewServer, ServeEvent, problems_page
from tests.conftest import CHARTS_MD, CHROMIUM_ARGS, ProjectWriter
from tests.render.pdf_structure import marked_text, structure, walk

WAIT = 30.0  # seconds: generous for a loaded CI machine; a rebuild takes well under one


def fetch(server: PreviewServer, path: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(server.url + path.lstrip("/"), timeout=WAIT) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {WAIT} s waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def events() -> list[ServeEvent]:
    return []


@pytest.fixture
def project(write_project: ProjectWriter, minimal_files: dict[str, str]) -> Path:
    return write_project(minimal_files)


@pytest.fixture
def server(project: Path, events: list[ServeEvent]) -> Iterator[PreviewServer]:
    preview = PreviewServer(project, port=0, pdf="off", poll_seconds=0.05, on_event=events.append)
    preview.start()
    yield preview
    preview.stop()


def test_serves_the_page_on_localhost_only(server: PreviewServer) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    status, kind, body = fetch(server, "/")
    assert status == 200 and kind.startswith("text/html")
    assert b"Annual Report 2024/25" in body
    assert RELOAD_PATH.encode() in body  # the live-reload script


def test_built_outputs_never_carry_the_reload_script(server: PreviewServer, project: Path) -> None:
    result = pipeline.build(project, pdf=False)
    (page,) = [p for p in result.outputs if p.suffix == ".html"]
    assert RELOAD_PATH not in page.read_text(encoding="utf-8")
    assert "PDF of this page" not in page.read_text(encoding="utf-8")


def test_the_served_page_is_the_built_page(server: PreviewServer, project: Path) -> None:
    """serve runs the build's own steps: only the reload script and panel are added."""
    result = pipeline.build(project, pdf=False)
    (page,) = [p for p in result.outputs if p.suffix == ".html"]
    built = page.read_text(encoding="utf-8")
    served = fetch(server, "/")[2].decode("utf-8")
    at = built.lower().rfind("</body>")
    assert served != built
    assert served.startswith(built[:at]) and served.endswith(built[at:])


def test_the_preview_links_to_the_pdf_it_makes(project: Path) -> None:
    preview = PreviewServer(project, port=0, pdf="request")
    preview.start()
    try:
        body = fetch(preview, "/")[2].decode()
    finally:
        preview.stop()
    assert '<a href="/report.pdf" style="color:#1b1b1b">PDF of this page</a>' in body
    assert body.index("PDF of this page") > body.index("</main>")  # after the report


def test_saving_a_file_rebuilds_and_the_served_page_changes(
    server: PreviewServer, project: Path
) -> None:
    before = server.generation
    assert b"freshly written sentence" not in fetch(server, "/")[2]
    narrative = project / "content" / "budget.md"
    narrative.write_text(narrative.read_text() + "\nA freshly written sentence.\n")
    wait_for(lambda: server.generation > before, "a rebuild")
    assert b"A freshly written sentence." in fetch(server, "/")[2]
    state = json.loads(fetch(server, RELOAD_PATH)[2])
    assert state["page"] == server.generation and state["ok"] is True


def test_data_and_config_changes_rebuild_too(server: PreviewServer, project: Path) -> None:
    before = server.generation
    config = project / "report.yaml"
    config.write_text(config.read_text().replace("Annual Report 2024/25", "Yearly Report 2024/25"))
    wait_for(lambda: b"Yearly Report 2024/25" in fetch(server, "/")[2], "the new title")
    budget = project / "data" / "budget.yaml"
    text = budget.read_text().replace("amount: 5500", "amount: 6500").replace("194600", "195600")
    budget.write_text(text)
    wait_for(lambda: b"195,600" in fetch(server, "/")[2], "the new total")
    assert server.generation >= before + 2


def test_validation_problems_appear_in_the_page_and_the_server_keeps_going(
    server: PreviewServer, project: Path, events: list[ServeEvent]
) -> None:
    narrative = project / "content" / "budget.md"
    good = narrative.read_text()
    narrative.write_text(good + "\nWe spent {{ budget.expenditure.spnd }}.\n")
    wait_for(lambda: b"content.unresolved-reference" in fetch(server, "/")[2], "the problem")
    body = fetch(server, "/")[2].decode()
    assert "content/budget.md:6" in body
    assert "did you mean &#x27;budget.expenditure.spend&#x27;?" in body or "did you mean" in body
    assert RELOAD_PATH in body  # it reloads by itself once the file is fixed
    assert any(e.kind == "problems" and e.diagnostics for e in events)  # and the terminal hears

    narrative.write_text(good + "\nFixed again.\n")
    wait_for(lambda: b"Fixed again." in fetch(server, "/")[2], "the fixed page")


def test_template_change_rebuilds(server: PreviewServer, project: Path) -> None:
    override = project / "templates" / "blocks" / "table.html"
    override.parent.mkdir(parents=True)
    override.write_text('<p class="my-table">{{ block.caption }}</p>\n')
    wait_for(lambda: b'class="my-table"' in fetch(server, "/")[2], "the project template")


def test_an_internal_error_shows_a_page_without_details(
    project: Path, monkeypatch: pytest.MonkeyPatch, events: list[ServeEvent]
) -> None:
    def boom(root: Path) -> None:
        raise RuntimeError("secret child data")

    monkeypatch.setattr(pipeline, "validate", boom)
    preview = PreviewServer(project, port=0, pdf="off", on_event=events.append)
    preview.start()
    try:
        status, _kind, body = fetch(preview, "/")
    finally:
        preview.stop()
    assert status == 200
    assert b"internal error" in body and b"RuntimeError" in body
    assert b"secret child data" not in body
    (crash,) = [e for e in events if e.kind == "crash"]
    # Code locations only: the message (which could quote data) is withheld.
    assert crash.traceback and "RuntimeError: [message withheld" in crash.traceback


def test_warnings_are_listed_over_the_page(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = pipeline.validate

    def with_warning(root: Path) -> pipeline.ValidationResult:
        result = real(root)
        result.diagnostics.add(
            Diagnostic("test.warning", "a warning worth seeing", Severity.WARNING)
        )
        return result

    monkeypatch.setattr(pipeline, "validate", with_warning)
    preview = PreviewServer(project, port=0, pdf="off")
    preview.start()
    try:
        body = fetch(preview, "/")[2]
    finally:
        preview.stop()
    assert b"a warning worth seeing" in body
    assert b"Annual Report 2024/25" in body  # the report itself is still shown


def test_unknown_paths_are_not_found_and_the_pdf_can_be_off(server: PreviewServer) -> None:
    assert fetch(server, "/data/budget.yaml")[0] == 404
    assert fetch(server, "/../report.yaml")[0] == 404
    assert fetch(server, "/report.pdf")[0] == 404
    assert b"PDF of this page" not in fetch(server, "/")[2]  # --pdf off: no link


def test_pdf_is_made_in_the_background_and_served_when_ready(
    project: Path, events: list[ServeEvent]
) -> None:
    preview = PreviewServer(project, port=0, pdf="background", on_event=events.append)
    preview.start()
    try:
        first = fetch(preview, "/report.pdf")
        pdf = preview.wait_for_pdf(timeout=120)
        assert pdf is not None and pdf.startswith(b"%PDF-"), events
        status, kind, body = fetch(preview, "/report.pdf")
    finally:
        preview.stop()
    assert first[0] in (200, 202)  # 202: a page that opens the PDF when it is ready
    assert status == 200 and kind == "application/pdf" and body == pdf


def test_the_background_pdf_has_the_charts_of_the_page(
    write_project: ProjectWriter, minimal_files: dict[str, str], tmp_path: Path
) -> None:
    """The PDF process gets the drawn charts with the page (they are fetched by address)."""
    project = write_project({**minimal_files, "content/budget.md": CHARTS_MD})
    preview = PreviewServer(project, port=0, pdf="background")
    preview.start()
    try:
        pdf = preview.wait_for_pdf(timeout=120)
    finally:
        preview.stop()
    assert pdf is not None
    (tmp_path / "preview.pdf").write_bytes(pdf)
    with pikepdf.open(tmp_path / "preview.pdf") as document:
        tree = structure(document, marked_text(document))
        alts = [str(e.obj.get("/Alt")) for e in walk(tree) if e.kind == "/Figure"]
    assert len(alts) == 2 and all(a.startswith("Horizontal bar chart:") for a in alts)


def test_problems_page_escapes_what_it_quotes() -> None:
    page = problems_page([Diagnostic("x.y", "<script>alert(1)</script>")], 3).decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page


def test_browser_reloads_by_itself_after_a_save(server: PreviewServer, project: Path) -> None:
    """The live-reload script really works in a browser, and keeps working after errors."""
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("REPORTGEN_CHROMIUM") or shutil.which("chromium")
    if not chromium:
        pytest.fail("Chromium is not installed: run `bash scripts/install-system-deps.sh`")
    narrative = project / "content" / "budget.md"
    good = narrative.read_text()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(server.url)
            assert "Annual Report 2024/25" in page.content()
            narrative.write_text(good + "\nSeen without pressing reload.\n")
            page.wait_for_function(
                "document.body.innerText.includes('Seen without pressing reload.')",
                timeout=WAIT * 1000,
            )
            narrative.write_text(good + "\n{{ table budget.nothing }}\n")
            page.wait_for_function(
                "document.body.innerText.includes('content.unknown-block')", timeout=WAIT * 1000
            )
            narrative.write_text(good + "\nAnd back again.\n")
            page.wait_for_function(
                "document.body.innerText.includes('And back again.')", timeout=WAIT * 1000
            )
        finally:
            browser.close()


def test_a_browser_dropping_a_request_prints_no_traceback(
    server: PreviewServer, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket
    import struct

    httpd = server._httpd
    assert httpd is not None
    for dropped in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")):
        try:
            raise dropped
        except OSError:
            httpd.handle_error(None, ("127.0.0.1", 1))  # what socketserver calls
    # And for real: requests whose connection is reset before the answer is read.
    host, port = server.url.removeprefix("http://").rstrip("/").split(":")
    for _ in range(10):
        with socket.create_connection((host, int(port))) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.3)
    assert fetch(server, "/")[0] == 200  # still serving
    err = capsys.readouterr().err
    assert "Traceback" not in err and "BrokenPipe" not in err and "ConnectionReset" not in err

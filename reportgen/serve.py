"""Live preview: build the HTML, serve it on localhost, rebuild and reload on every change.

Three threads and one helper process:

- the HTTP server (standard library, bound to 127.0.0.1 unless `--host` says otherwise)
  serves the latest page from memory, with a small live-reload script and a link to
  the PDF added; the files a build writes never contain them;
- a watcher polls the project's files (report.yaml, content/, data/, templates/, the
  files they name, and the packaged templates) and rebuilds the page when one changes.
  A project with problems is not an exception: the page lists them instead;
- the PDF thread renders the PDF in a separate process (WeasyPrint takes seconds and
  would otherwise compete with the page for the interpreter), in the background after
  each good build or only when /report.pdf is asked for. It is served when ready.

Charts and PDFs go through the same cache as `reportgen build`.
"""

from __future__ import annotations

import http.server
import ipaddress
import json
import multiprocessing
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from html import escape
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from reportgen.cache import BuildCache
from reportgen.diagnostics import Diagnostic, ReportgenError, Severity
from reportgen.layout import folder_files, input_files
from reportgen.project import project_files

PdfMode = Literal["background", "request", "off"]
HOST = "127.0.0.1"
RELOAD_PATH = "/__reload"
PDF_PATH = "/report.pdf"
POLL_SECONDS = 0.3
SETTLE_SECONDS = 0.1  # editors often write a file in several steps
PACKAGED_TEMPLATES = Path(__file__).resolve().parent / "templates"

# Added to served pages only, with the reload script: a link to the PDF this preview makes.
PDF_LINK = (
    '<aside aria-label="reportgen preview" style="position:fixed;top:0.5rem;right:0.5rem;'
    "z-index:99999;margin:0;padding:0.25rem 0.6rem;background:#fff;border:2px solid #1b1b1b;"
    'border-radius:0.3rem;font:14px/1.4 system-ui,sans-serif">'
    '<a href="%(href)s" style="color:#1b1b1b">PDF of this page</a></aside>\n'
)

# Added to served pages only. It asks the server for the current generation of the
# page (or of the PDF) and reloads when it changes; it keeps the reader's place.
RELOAD_SCRIPT = """<script>/* reportgen serve: live reload (added to served pages only) */
(function () {
  var key = %(key)s, seen = %(seen)s;
  function poll() {
    fetch("%(path)s", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (state) {
        if (state[key] !== seen) { location.reload(); } else { setTimeout(poll, 400); }
      }).catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 400);
})();
</script>
"""

_PANEL_STYLE = (
    "position:fixed;bottom:0;left:0;right:0;max-height:40vh;overflow:auto;z-index:99999;"
    "margin:0;padding:0.75rem 1rem;background:#fff7d6;color:#1b1b1b;"
    "border-top:3px solid #b58105;font:14px/1.4 system-ui,sans-serif"
)


@dataclass(frozen=True)
class ServeEvent:
    """Something the terminal should hear about: a rebuild, a problem, the PDF."""

    kind: Literal["built", "problems", "crash", "pdf", "pdf-failed"]
    message: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    traceback: str | None = None  # for "crash": the details to save, never shown in the page


@dataclass
class _Page:
    generation: int
    body: bytes  # the served page, reload script included
    ok: bool  # a report page (True) or a list of problems / an error (False)
    # Renders the print page, for the PDF: the page and its chart images by address.
    print_page: Callable[[], tuple[str, dict[str, bytes]]] | None = None


@dataclass
class _Pdf:
    generation: int = -1  # page generation the PDF was made from
    data: bytes | None = None
    error: str | None = None
    wanted: int = -1  # latest page generation someone wants a PDF of
    busy: bool = False


def _inject(page: str, script: str, panel: str = "") -> str:
    """Add the live-reload script (and a problems panel) just before </body>."""
    at = page.lower().rfind("</body>")
    if at < 0:
        return page + panel + script
    return page[:at] + panel + script + page[at:]


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach `host` (127.0.0.1, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _reload_script(key: str, seen: int) -> str:
    return RELOAD_SCRIPT % {"key": json.dumps(key), "seen": seen, "path": RELOAD_PATH}


def _problem_items(diagnostics: list[Diagnostic]) -> str:
    items = []
    for d in diagnostics:
        hint = f"<br><small>hint: {escape(d.hint)}</small>" if d.hint else ""
        where = f"<code>{escape(str(d.location))}</code>: " if d.location else ""
        items.append(
            f"<li>{where}<strong>{escape(d.severity.value)}</strong> "
            f"<code>[{escape(d.code)}]</code> {escape(d.message)}{hint}</li>"
        )
    return "\n".join(items)


def _plain_page(title: str, body: str, script: str) -> bytes:
    return (
        '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "padding:0 1rem;color:#1b1b1b}li{margin:0.6rem 0}code{font-size:0.95em}"
        "h1{font-size:1.5rem}</style></head>"
        f"<body><main><h1>{escape(title)}</h1>\n{body}</main>\n{script}</body></html>\n"
    ).encode()


def problems_page(diagnostics: list[Diagnostic], generation: int) -> bytes:
    """The page served while the project has errors: every problem, with file and line."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    body = (
        f"<p>reportgen found {errors} error(s) in the report, so it cannot show it yet. "
        "Fix them and save: this page updates by itself.</p>\n"
        f"<ol>\n{_problem_items(diagnostics)}\n</ol>"
    )
    return _plain_page("The report has problems", body, _reload_script("page", generation))


def _watch_state(root: Path, extra: set[str]) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file a rebuild depends on: the project's input files (the
    same as a build's manifest, `reportgen.layout.input_files`) and the packaged templates."""
    state: dict[str, tuple[int, int]] = {}
    files = [root / rel for rel in input_files(root, extra)]
    for path in [*files, *folder_files(PACKAGED_TEMPLATES, PACKAGED_TEMPLATES)]:
        try:
            st = path.stat()
        except OSError:
            state[str(path)] = (-1, -1)
            continue
        state[str(path)] = (st.st_mtime_ns, st.st_size)
    return state


def _pdf_worker_start(parent: int) -> None:
    """In the PDF process: leave Ctrl-C to the server (which ends this process), and
    exit by itself if the server is gone, even if it was killed."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="reportgen-parent-watch", daemon=True).start()


def _render_pdf_in_worker(html: str, root: str, images: dict[str, bytes]) -> bytes:
    """Runs in the PDF process; `images` are the page's chart images by address."""
    from reportgen.render.pdf import render_pdf

    return render_pdf(html, Path(root), images.get)


class PreviewServer:
    """The live preview of one project. `start()` builds once, then serves and watches."""

    def __init__(
        self,
        root: Path,
        *,
        host: str = HOST,
        port: int = 8000,
        pdf: PdfMode = "background",
        cache: bool = True,
        poll_seconds: float = POLL_SECONDS,
        on_event: Callable[[ServeEvent], None] | None = None,
    ) -> None:
        self.root = root.resolve()
        self.pdf_mode: PdfMode = pdf
        self.poll_seconds = poll_seconds
        self.on_event = on_event
        self.cache = BuildCache.for_project(self.root) if cache else BuildCache.disabled()
        self._lock = threading.Condition()
        self._render_lock = threading.Lock()  # one page render at a time
        self._page = _Page(0, problems_page([], 0), ok=False)
        self._pdf = _Pdf()
        self._extra: set[str] = set()
        self._basename = "report"
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._pool: ProcessPoolExecutor | None = None
        self.host = host
        server_class: type[_PreviewHTTPServer] = _PreviewHTTPServer
        if ":" in host:  # an IPv6 address

            class _Server6(_PreviewHTTPServer):
                address_family = socket.AF_INET6

            server_class = _Server6
        self._httpd = server_class((host, port), _handler_for(self))
        self._httpd.daemon_threads = True

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def generation(self) -> int:
        with self._lock:
            return self._page.generation

    # lifecycle -------------------------------------------------------------------

    def start(self) -> None:
        """Build the page once, then serve, watch and (maybe) render the PDF in threads."""
        state = self._build_from(_watch_state(self.root, self._extra))
        workers: list[tuple[str, Callable[[], None]]] = [
            ("reportgen-http", self._httpd.serve_forever),
            ("reportgen-watch", lambda: self._watch(state)),
        ]
        if self.pdf_mode != "off":
            workers.append(("reportgen-pdf", self._pdf_loop))
        for name, target in workers:
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop serving and watching; wait for the threads and the PDF process."""
        self._stop.set()
        with self._lock:
            self._lock.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._pool is not None:
            # A PDF half made is not worth waiting for: end its process now.
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.terminate()
            self._pool.shutdown(wait=True, cancel_futures=True)
        for thread in self._threads:
            thread.join(timeout=10)
        self.cache.save()

    def serve_forever(self) -> None:
        """Start, then block until interrupted (Ctrl-C)."""
        self.start()
        try:
            while not self._stop.wait(0.5):
                pass
        finally:
            self.stop()

    # building --------------------------------------------------------------------

    def _emit(self, event: ServeEvent) -> None:
        if self.on_event is not None:
            self.on_event(event)

    def rebuild(self) -> int:
        """Build the page from the files as they are now; return its generation."""
        from reportgen.memo import remembering
        from reportgen.pipeline import render_page, validate
        from reportgen.render.chartset import ChartSet

        started = time.perf_counter()
        with self._lock:
            generation = self._page.generation + 1
        print_page: Callable[[], tuple[str, dict[str, bytes]]] | None = None
        panel = ""
        try:
            with self._render_lock:
                with remembering(self.cache.enabled) as memos:  # reportgen.memo
                    result = validate(self.root)
                memos.save()
                diagnostics = result.diagnostics.sorted()
                project, derived = result.project, result.derived
                if result.diagnostics.has_errors() or project is None or derived is None:
                    body, ok = problems_page(diagnostics, generation), False
                else:
                    self._basename = project.basename
                    self._extra = project_files(project)
                    with ChartSet.of_report(project, derived, self.cache) as charts:
                        page = render_page(project, derived, charts)
                    self.cache.save()
                    warnings = [d for d in diagnostics if d.severity is not Severity.ERROR]
                    if warnings:
                        panel = (
                            f'<aside style="{_PANEL_STYLE}" role="status" '
                            'aria-label="Problems found by reportgen">'
                            f"<strong>reportgen: {len(warnings)} warning(s)</strong>"
                            f"<ol>{_problem_items(warnings)}</ol></aside>\n"
                        )
                    if self.pdf_mode != "off":
                        panel += PDF_LINK % {"href": f"/{escape(self._basename)}.pdf"}
                    script = _reload_script("page", generation)
                    body, ok = _inject(page, script, panel).encode("utf-8"), True

                    def print_page(
                        p: Any = project, d: Any = derived
                    ) -> tuple[str, dict[str, bytes]]:
                        with self._render_lock, ChartSet.of_report(p, d, self.cache) as charts:
                            html = render_page(p, d, charts, medium="print")
                            return html, charts.images()  # drawn already, for the page

        except ReportgenError as exc:
            diagnostics = list(exc.diagnostics)
            body, ok = problems_page(diagnostics, generation), False
        except Exception as exc:
            # Never the traceback in the page: it can quote a report's data.
            from reportgen.many import withheld_traceback

            text = withheld_traceback(exc)
            self._emit(
                ServeEvent("crash", f"internal error in reportgen ({type(exc).__name__})", [], text)
            )
            message = (
                f"<p>reportgen failed with an internal error ({escape(type(exc).__name__)}). "
                "This is a bug, not a problem with your report; the terminal says where "
                "the details were saved. Saving a file tries again.</p>"
            )
            body = _plain_page("Internal error", message, _reload_script("page", generation))
            diagnostics, ok = [], False
        seconds = time.perf_counter() - started
        with self._lock:
            self._page = _Page(generation, body, ok, print_page)
            if ok and self.pdf_mode == "background":
                self._pdf.wanted = generation
            self._lock.notify_all()
        errors = sum(d.severity is Severity.ERROR for d in diagnostics)
        if ok:
            self._emit(
                ServeEvent(
                    "built",
                    f"page rebuilt in {seconds:.2f} s ({len(diagnostics)} warning(s))",
                    diagnostics,
                )
            )
        elif diagnostics:
            self._emit(ServeEvent("problems", f"{errors} error(s): showing them", diagnostics))
        return generation

    def _watch(self, state: dict[str, tuple[int, int]]) -> None:
        while not self._stop.wait(self.poll_seconds):
            current = _watch_state(self.root, self._extra)
            if current == state:
                continue
            # Wait until the files stop changing, then build once.
            while not self._stop.wait(SETTLE_SECONDS):
                settled = _watch_state(self.root, self._extra)
                if settled == current:
                    break
                current = settled
            state = self._build_from(current)

    def _build_from(self, before: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
        """Rebuild; return the watch state to compare with next.

        That is the state from *before* the build, so a file saved while it ran
        triggers another, plus any file the project newly names (a new logo, say)."""
        known = set(self._extra)
        self.rebuild()
        new = self._extra - known
        return {**_watch_state(self.root, new), **before} if new else before

    # the PDF ---------------------------------------------------------------------

    def want_pdf(self) -> None:
        """Ask for a PDF of the current page (the "request" mode's trigger)."""
        with self._lock:
            if self._page.ok and self._pdf.wanted < self._page.generation:
                self._pdf.wanted = self._page.generation
                self._lock.notify_all()

    def _pdf_loop(self) -> None:
        while True:
            with self._lock:
                while not self._stop.is_set() and not (
                    self._page.ok
                    and self._pdf.wanted == self._page.generation
                    and self._pdf.generation < self._page.generation
                ):
                    self._lock.wait()
                if self._stop.is_set():
                    return
                page = self._page
                self._pdf.busy = True
            assert page.print_page is not None
            try:
                html, images = page.print_page()
                data: bytes | None = self.cache.pdf(
                    html, self.root, partial(self._render_pdf, html, images)
                )
                self.cache.save()
                error: str | None = None
            except ReportgenError as exc:
                data, error = None, "; ".join(d.message for d in exc.diagnostics)
            except Exception as exc:  # the PDF process died, or a bug: say so, keep serving
                data, error = None, f"internal error in reportgen ({type(exc).__name__})"
            with self._lock:
                self._pdf = _Pdf(page.generation, data, error, self._pdf.wanted, busy=False)
                self._lock.notify_all()
            if self._stop.is_set():
                return
            if error is None:
                self._emit(ServeEvent("pdf", f"PDF ready: {self.url}{PDF_PATH.lstrip('/')}"))
            else:
                self._emit(ServeEvent("pdf-failed", f"PDF failed: {error}"))

    def _render_pdf(self, html: str, images: dict[str, bytes]) -> bytes:
        if self._pool is None:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=context,
                initializer=_pdf_worker_start,
                initargs=(os.getpid(),),
            )
        return self._pool.submit(_render_pdf_in_worker, html, str(self.root), images).result()

    def wait_for_pdf(self, timeout: float) -> bytes | None:
        """The PDF of the current page, waiting up to `timeout` seconds (for tests)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not (self._pdf.generation == self._page.generation and not self._pdf.busy):
                if not self._page.ok:
                    return None
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._lock.wait(left)
            return self._pdf.data

    # answering requests ------------------------------------------------------------

    def respond(self, path: str) -> tuple[int, str, bytes]:
        """(status, content type, body) for a GET of `path`."""
        path = urlsplit(path).path
        with self._lock:
            page, pdf = self._page, self._pdf
        if path in ("/", "/index.html", f"/{self._basename}.html"):
            return 200, "text/html; charset=utf-8", page.body
        if path == RELOAD_PATH:
            state = {"page": page.generation, "pdf": pdf.generation, "ok": page.ok}
            return 200, "application/json", json.dumps(state).encode()
        if path in (PDF_PATH, f"/{self._basename}.pdf"):
            return self._respond_pdf(page, pdf)
        return 404, "text/plain; charset=utf-8", b"not found\n"

    def _respond_pdf(self, page: _Page, pdf: _Pdf) -> tuple[int, str, bytes]:
        if self.pdf_mode == "off":
            message = "<p>The PDF is off in this preview (<code>--pdf off</code>).</p>"
            return 404, "text/html; charset=utf-8", _plain_page("No PDF", message, "")
        if not page.ok:
            body = "<p>Fix the problems in the report first; the PDF follows the page.</p>"
            script = _reload_script("page", page.generation)
            return 409, "text/html; charset=utf-8", _plain_page("No PDF yet", body, script)
        if pdf.generation == page.generation and not pdf.busy:
            if pdf.data is not None:
                return 200, "application/pdf", pdf.data
            body = f"<p>The PDF could not be made: {escape(pdf.error or 'unknown error')}</p>"
            script = _reload_script("page", page.generation)
            return 500, "text/html; charset=utf-8", _plain_page("PDF failed", body, script)
        self.want_pdf()
        body = "<p>The PDF is being made from the latest page. This page opens it when ready.</p>"
        script = _reload_script("pdf", pdf.generation)
        return 202, "text/html; charset=utf-8", _plain_page("Making the PDF", body, script)


class _PreviewHTTPServer(http.server.ThreadingHTTPServer):
    """The standard server, quiet when a browser drops a request (a reload, a closed tab):
    that is no error of the preview, so no traceback on the terminal."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


def _handler_for(server: PreviewServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "reportgen-serve"

        def do_GET(self) -> None:
            status, kind, body = server.respond(self.path)
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
            except ConnectionError:  # the browser went away (BrokenPipe, ConnectionReset)
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the terminal shows rebuilds and problems, not every poll

    return Handler

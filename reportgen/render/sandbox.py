"""Confined, budgeted Jinja rendering for templates a project supplies.

A partnership can put its own templates in the project's `templates/` folder, and CI
publishes what they produce, so they are treated as untrusted code:

- they run in Jinja's immutable sandbox (no private attributes, no mutation of the
  data, `str.format` checked) on a Jinja version without the known sandbox escapes;
- they are read only from inside the templates folder: `../` is refused by Jinja,
  and a symlink that resolves outside the folder, or to a pipe or device, is refused
  here;
- an undefined variable, a syntax error or a refused operation is a diagnostic with
  the template's path and line, never a traceback;
- a project's template cannot mark text as safe markup (`|safe`, `autoescape false`,
  `.unescape()`) and can refer to no file or address: what it shows comes from the
  report's view models (images, fonts and logo arrive as `data:` URIs), so the only
  literal resource addresses it may hold are `data:` URIs and in-page `#ids`;
- a runaway template is stopped: every loop iteration, call and piece of output
  checks a time budget, output has a size limit, and operators that could build a
  huge string or number in one step are refused.
"""

from __future__ import annotations

import contextvars
import functools
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from jinja2 import FileSystemLoader, TemplateNotFound, TemplateSyntaxError, nodes
from jinja2.environment import Environment, Template
from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from reportgen.diagnostics import Code, Diagnostic, Location, ReportgenError, Severity
from reportgen.load.files import read_source
from reportgen.render.template_rules import (
    TEMPLATE_REFUSED,
    RefusedConstruct,
    check_project_template,
)

# The diagnostic codes this module emits; reportgen.catalogue collects them.
TEMPLATE_SYNTAX = Code(
    "template.syntax",
    Severity.ERROR,
    "A project template has a syntax error",
    "Check that every {% tag %} is closed and spelled as in Jinja.",
)
TEMPLATE_UNDEFINED = Code(
    "template.undefined",
    Severity.ERROR,
    "A project template uses a name that does not exist",
    "Check the name against the view models documented for templates.",
)
TEMPLATE_NOT_FOUND = Code(
    "template.not-found",
    Severity.ERROR,
    "A template does not exist",
    "Names are relative to templates/ and cannot contain '..'; use default:NAME for a "
    "packaged template.",
)
TEMPLATE_RUNAWAY = Code(
    "template.runaway",
    Severity.ERROR,
    "A template runs for too long or calls itself without end",
    "Look for a macro or include that calls itself, or a loop that does not end.",
)
TEMPLATE_TOO_LARGE = Code(
    "template.too-large",
    Severity.ERROR,
    "A template builds a value that is too large",
    "Templates format the report's data; they may not build huge strings or ranges.",
)
TEMPLATE_ERROR = Code(
    "template.error",
    Severity.ERROR,
    "A project template failed",
    "Check the expression on the line given.",
)
TEMPLATE_OUTSIDE = Code(
    "template.outside",
    Severity.ERROR,
    "A template leads outside the templates folder",
    "Copy the template into the project's templates/ folder instead of linking to it.",
)
TEMPLATE_ENCODING = Code(
    "template.encoding",
    Severity.ERROR,
    "A template is not UTF-8",
    "Save the template as UTF-8 in your editor.",
)

MAX_TEMPLATE_BYTES = 1_000_000
RENDER_SECONDS = 30.0  # for one top-level render, includes and macros included
MAX_OUTPUT_CHARS = 64_000_000  # what one render may produce
MAX_VALUE_SIZE = 1_000_000  # longest string or list one operation may build
MAX_RANGE = 100_000  # as Jinja's sandbox
MAX_EXPONENT = 10_000

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


class TemplateBudgetError(TemplateError):
    """A template ran too long or tried to build something too large."""

    def __init__(self, message: str, code: Code) -> None:
        super().__init__(message)
        self.declared = code
        self.code = code.code


@dataclass
class _Budget:
    deadline: float
    output: int = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateBudgetError(
                f"template ran for more than {RENDER_SECONDS:g} seconds and was stopped",
                TEMPLATE_RUNAWAY,
            )


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "reportgen_template_budget", default=None
)


def _tick() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.tick()


def _too_large(what: str) -> NoReturn:
    raise TemplateBudgetError(
        f"template tried to build {what} larger than {MAX_VALUE_SIZE:,}", TEMPLATE_TOO_LARGE
    )


def _sized(value: Any) -> int | None:
    return len(value) if isinstance(value, str | list | tuple) else None


def _safe_mul(left: Any, right: Any) -> Any:
    for seq, count in ((left, right), (right, left)):
        size = _sized(seq)
        if size is not None and isinstance(count, int) and size * count > MAX_VALUE_SIZE:
            _too_large("a value")
    return left * right


def _safe_add(left: Any, right: Any) -> Any:
    a, b = _sized(left), _sized(right)
    if a is not None and b is not None and a + b > MAX_VALUE_SIZE:
        _too_large("a value")
    return left + right


def _safe_pow(left: Any, right: Any) -> Any:
    if isinstance(right, int) and abs(right) > MAX_EXPONENT:
        _too_large("a number")
    return left**right


def _budget_iter(iterable: Any) -> Iterator[Any]:
    """Wrap every `{% for %}` iterable: each iteration checks the time budget."""
    for item in iterable:
        _tick()
        yield item


def _budget_text(value: Any) -> Any:
    """Check the result of `~` (string concatenation)."""
    if isinstance(value, str) and len(value) > MAX_VALUE_SIZE:
        _too_large("a string")
    return value


def _safe_range(*args: int) -> Iterator[int]:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise TemplateBudgetError(
            f"range() of {len(rng):,} numbers; the limit is {MAX_RANGE:,}", TEMPLATE_TOO_LARGE
        )
    return _budget_iter(rng)


def _capped(filter_func: Callable[..., Any], name: str) -> Callable[..., Any]:
    """A filter whose numeric arguments (widths) are capped, so it cannot allocate GBs."""

    @functools.wraps(filter_func)  # keeps Jinja's pass_environment marks
    def capped(*args: Any, **kwargs: Any) -> Any:
        for arg in (*args[1:], *kwargs.values()):
            if isinstance(arg, int) and not isinstance(arg, bool) and arg > MAX_VALUE_SIZE:
                _too_large(f"a string with |{name}")
        return filter_func(*args, **kwargs)

    return capped


_HUGE_WIDTH = re.compile(r"\d{7,}")


def _instrument(tree: nodes.Template) -> nodes.Template:
    """Rewrite a parsed template so every loop and every `~` reports to the budget."""
    found = list(tree.find_all(nodes.Node))
    for loop in (n for n in found if isinstance(n, nodes.For)):
        loop.iter = nodes.Filter(
            loop.iter, "_reportgen_budget", [], [], None, None, lineno=loop.lineno
        )
    for parent in [tree, *found]:
        for field_name in parent.fields:
            value = getattr(parent, field_name, None)
            if isinstance(value, nodes.Concat):
                setattr(parent, field_name, _wrap_concat(value))
            elif isinstance(value, list):
                setattr(
                    parent,
                    field_name,
                    [_wrap_concat(v) if isinstance(v, nodes.Concat) else v for v in value],
                )
    return tree


def _wrap_concat(node: nodes.Concat) -> nodes.Expr:
    return nodes.Filter(node, "_reportgen_text", [], [], None, None, lineno=node.lineno)


class BudgetedTemplate(Template):
    """A template whose render starts (or joins) a time and output budget."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        if _BUDGET.get() is not None:
            return super().render(*args, **kwargs)
        token = _BUDGET.set(_Budget(deadline=time.monotonic() + RENDER_SECONDS))
        try:
            return super().render(*args, **kwargs)
        finally:
            _BUDGET.reset(token)


def _budgeted_concat(parts: Iterable[str]) -> str:
    out: list[str] = []
    budget = _BUDGET.get()
    for part in parts:
        if budget is not None:
            try:
                budget.tick()
                budget.output += len(part)
                if budget.output > MAX_OUTPUT_CHARS:
                    raise TemplateBudgetError(
                        f"template output is larger than {MAX_OUTPUT_CHARS:,} characters",
                        TEMPLATE_TOO_LARGE,
                    )
            except TemplateBudgetError as exc:
                # Raise it inside the template, where it stands, so the diagnostic has
                # the template's line.
                throw = getattr(parts, "throw", None)
                if throw is not None:
                    throw(exc)
                raise
        out.append(part)
    return "".join(out)


class ConfinedLoader(FileSystemLoader):
    """Templates from one folder; nothing that resolves outside it, no special files."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses '..' segments
        root = self.folder.parent  # the project: paths in diagnostics are relative to it
        allowed = self.folder.resolve()
        if not allowed.is_relative_to(root.resolve()):
            raise ReportgenError(
                [
                    TEMPLATE_OUTSIDE.diagnostic(
                        "the templates folder leads outside the project (a symbolic link)",
                        location=Location(self.folder.name),
                        hint="make templates/ a real folder inside the project",
                    )
                ]
            )
        path = self.folder.joinpath(*pieces)
        if not os.path.lexists(path):
            raise TemplateNotFound(template)
        rel = path.relative_to(root).as_posix()
        real = path.resolve()
        if not real.is_relative_to(allowed):
            raise ReportgenError(
                [
                    TEMPLATE_OUTSIDE.diagnostic(
                        f"template '{template}' leads outside the templates folder",
                        location=Location(rel),
                        hint="copy the template into the project's templates/ folder "
                        "instead of linking to it",
                    )
                ]
            )
        raw, problems = read_source(path, rel, MAX_TEMPLATE_BYTES, self.folder)
        if raw is None:
            raise ReportgenError(problems)
        try:
            source = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReportgenError(
                [
                    TEMPLATE_ENCODING.diagnostic(
                        f"template is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                        location=Location(rel, raw[: exc.start].count(b"\n") + 1),
                        hint="save the template as UTF-8 in your editor",
                    )
                ]
            ) from None
        mtime = path.stat().st_mtime

        def uptodate() -> bool:
            try:
                return path.stat().st_mtime == mtime
            except OSError:
                return False

        return source, str(path), uptodate


class ReportSandbox(ImmutableSandboxedEnvironment):
    """The sandbox reportgen renders every template in, packaged or supplied."""

    template_class = BudgetedTemplate
    intercepted_binops = frozenset({"*", "+", "**"})

    def __init__(self, *args: Any, project_root: Path | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.project_root = project_root.resolve() if project_root is not None else None
        self.binop_table = {
            **self.binop_table,
            "*": _safe_mul,
            "+": _safe_add,
            "**": _safe_pow,
        }
        self.globals["range"] = _safe_range
        self.filters["_reportgen_budget"] = _budget_iter
        self.filters["_reportgen_text"] = _budget_text
        for name in ("center", "indent", "format", "batch", "slice"):
            self.filters[name] = _capped(self.filters[name], name)
        self.concat = _budgeted_concat  # type: ignore[method-assign]

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        parsed = super()._parse(source, name, filename)
        if self._from_project(filename):
            try:
                check_project_template(parsed)
            except RefusedConstruct as exc:
                exc.name, exc.filename = name, filename
                raise
        tree = _instrument(parsed)
        tree.set_environment(self)
        return tree

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _tick()
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        checked: Callable[..., str] = wrapped
        fmt = getattr(value, "__self__", "")

        def guarded(*args: Any, **kwargs: Any) -> str:
            if isinstance(fmt, str) and _HUGE_WIDTH.search(fmt):
                _too_large("a string with format()")
            for arg in (*args, *kwargs.values()):
                if isinstance(arg, int) and not isinstance(arg, bool) and arg > MAX_VALUE_SIZE:
                    _too_large("a string with format()")
            return checked(*args, **kwargs)

        return guarded

    def handle_exception(self, source: str | None = None) -> NoReturn:
        """Turn a template's mistake into a diagnostic; let reportgen's own bugs through."""
        from jinja2.debug import rewrite_traceback_stack

        exc = sys.exc_info()[1]
        if isinstance(exc, ReportgenError):
            raise exc
        rewritten = rewrite_traceback_stack(source=source)
        filename, line = _template_position(rewritten)
        where = Location(self.display_path(filename), line) if filename else None
        diagnostic = self._diagnostic(rewritten, where, self._from_project(filename))
        if diagnostic is None:
            raise rewritten
        raise ReportgenError([diagnostic]) from None

    def display_path(self, filename: str) -> str:
        """A template file as shown in diagnostics: relative to the project or package."""
        path = Path(filename)
        if path.is_relative_to(_PACKAGE_DIR):
            return path.relative_to(_PACKAGE_DIR.parent).as_posix()
        if self.project_root is not None and path.is_relative_to(self.project_root):
            return path.relative_to(self.project_root).as_posix()
        return filename

    def _from_project(self, filename: str | None) -> bool:
        if filename is None or self.project_root is None:
            return False
        path = Path(filename)
        return path.is_relative_to(self.project_root) and not path.is_relative_to(_PACKAGE_DIR)

    def _diagnostic(
        self, exc: BaseException, where: Location | None, from_project: bool
    ) -> Diagnostic | None:
        if isinstance(exc, RefusedConstruct):
            if exc.filename:
                where = Location(self.display_path(exc.filename), exc.lineno)
            return exc.declared.diagnostic(exc.message or "", location=where, hint=exc.hint)
        if isinstance(exc, TemplateSyntaxError):
            if exc.filename:
                where = Location(self.display_path(exc.filename), exc.lineno)
            return TEMPLATE_SYNTAX.diagnostic(
                f"template syntax error: {exc.message}",
                location=where,
                hint="check that every {% tag %} is closed and spelled as in Jinja",
            )
        if isinstance(exc, UndefinedError):
            return TEMPLATE_UNDEFINED.diagnostic(
                f"template uses something that does not exist: {exc.message}",
                location=where,
                hint="check the name against the view models documented for templates",
            )
        if isinstance(exc, TemplateBudgetError):
            return exc.declared.diagnostic(
                str(exc.message),
                location=where,
                hint="look for a loop that never ends or builds very large text",
            )
        if isinstance(exc, SecurityError):
            return TEMPLATE_REFUSED.diagnostic(
                f"template tried something the sandbox does not allow: {exc.message}",
                location=where,
                hint="templates may format the data they are given, nothing else",
            )
        if isinstance(exc, TemplateNotFound):
            return TEMPLATE_NOT_FOUND.diagnostic(
                f"template '{exc.name}' does not exist",
                location=where,
                hint="template names are relative to the templates/ folder and cannot "
                "contain '..'; use 'default:NAME' for a packaged template",
            )
        if isinstance(exc, RecursionError):
            return TEMPLATE_RUNAWAY.diagnostic(
                "template calls itself without end (recursion too deep)",
                location=where,
                hint="look for a macro or include that calls itself",
            )
        if from_project:
            # Any other error raised by a project's own template is the template's.
            return TEMPLATE_ERROR.diagnostic(
                f"template failed: {type(exc).__name__}: {str(exc)[:200]}",
                location=where,
                hint="check the expression on this line",
            )
        return None


def _template_position(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in a rewritten traceback."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found

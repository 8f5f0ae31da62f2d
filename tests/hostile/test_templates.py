"""The template sandbox: runaway templates are stopped, ordinary ones are untouched."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from jinja2 import DictLoader, StrictUndefined

from reportgen.diagnostics import Diagnostic, ReportgenError
from reportgen.render import sandbox
from reportgen.render.sandbox import ConfinedLoader, ReportSandbox
from reportgen.render.template_rules import RefusedConstruct, check_project_template


def _env(templates: dict[str, str]) -> ReportSandbox:
    return ReportSandbox(loader=DictLoader(templates), undefined=StrictUndefined, autoescape=True)


def _fails(source: str, **context: object) -> Diagnostic:
    with pytest.raises(ReportgenError) as caught:
        _env({"t.html": source}).get_template("t.html").render(**context)
    (diag,) = caught.value.diagnostics
    return diag


@pytest.fixture
def short_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 0.5)


@pytest.mark.usefixtures("short_budget")
@pytest.mark.parametrize(
    "source",
    [
        # nested loops over ranges, with and without output
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        # nested loops over a list: no range, no call, no output in the loop body
        "{% set xs = range(100000)|list %}"
        "{% for a in xs %}{% for b in xs %}{% endfor %}{% endfor %}",
        # a loop that calls a macro
        "{% macro m() %}{% endmacro %}"
        "{% for i in range(100000) %}{% for j in range(100000) %}{{ m() }}{% endfor %}{% endfor %}",
    ],
)
def test_runaway_loops_are_stopped_by_the_time_budget(source: str) -> None:
    started = time.monotonic()
    diag = _fails(source)
    assert time.monotonic() - started < 5
    assert diag.code == "template.runaway"
    assert diag.location is not None and diag.location.line == 1


def test_output_has_a_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "MAX_OUTPUT_CHARS", 10_000)
    diag = _fails("{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}")
    assert diag.code == "template.too-large"


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'x' * 10000000 }}",
        "{{ [1] * 10000000 }}",
        "{{ 2 ** 100000000 }}",
        "{{ 'x'|center(1000000000) }}",
        "{{ 'x'|indent(1000000000) }}",
        "{{ '%*d'|format(1000000000, 1) }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ [1]|batch(1000000000, 0)|list }}",
        "{{ range(1000000000) }}",
    ],
)
def test_one_step_allocation_bombs_are_refused(source: str) -> None:
    assert _fails(source).code == "template.too-large"


def test_undefined_variable_is_a_diagnostic_with_line() -> None:
    diag = _fails("line one\n{{ report.title }}\n{{ missing }}\n", report={"title": "T"})
    assert diag.code == "template.undefined"
    assert diag.location is not None and diag.location.line == 3
    assert "'missing' is undefined" in diag.message


def test_syntax_error_is_a_diagnostic_with_line() -> None:
    with pytest.raises(ReportgenError) as caught:
        _env({"t.html": "ok\n{% if %}\n"}).get_template("t.html")
    (diag,) = caught.value.diagnostics
    assert (diag.code, diag.location and diag.location.line) == ("template.syntax", 2)


def test_ordinary_templates_render_as_before() -> None:
    env = _env(
        {
            "base.html": "<h1>{% block title %}{% endblock %}</h1>{% include 'row.html' %}",
            "row.html": "{% for r in rows %}{{ loop.index }}:{{ r.name ~ '!' }}{% endfor %}",
            "page.html": "{% extends 'base.html' %}"
            "{% block title %}{{ title|upper }}{% endblock %}",
        }
    )
    rows = [{"name": "a"}, {"name": "b"}]
    html = env.get_template("page.html").render(title="t", rows=rows)
    assert html == "<h1>T</h1>1:a!2:b!"
    assert _env({"t": "{{ '%d'|format(3) }} {{ 'x'|center(5) }}"}).get_template("t").render()


def test_a_bug_in_reportgen_code_called_by_a_packaged_template_is_not_hidden() -> None:
    class Broken:
        @property
        def value(self) -> str:
            raise KeyError("a bug")

    with pytest.raises(KeyError):
        _env({"t.html": "{{ thing.value }}"}).get_template("t.html").render(thing=Broken())


def test_budget_is_per_render_not_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "RENDER_SECONDS", 0.3)
    template = _env({"t": "{% for i in range(1000) %}{% endfor %}ok"}).get_template("t")
    for _ in range(3):
        time.sleep(0.15)
        assert template.render() == "ok"


def test_confined_loader_allows_symlinks_inside_the_templates_folder(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    (folder / "blocks").mkdir(parents=True)
    (folder / "shared.html").write_text("shared {{ x }}")
    (folder / "blocks" / "table.html").symlink_to(folder / "shared.html")
    env = ReportSandbox(loader=ConfinedLoader(folder), project_root=tmp_path)
    assert env.get_template("blocks/table.html").render(x=1) == "shared 1"


def test_confined_loader_refuses_a_symlink_to_a_sibling_folder(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (tmp_path / "data.yaml").write_text("secret: 1")
    (folder / "leak.html").symlink_to(tmp_path / "data.yaml")  # in the project, not templates/
    env = ReportSandbox(loader=ConfinedLoader(folder), project_root=tmp_path)
    with pytest.raises(ReportgenError) as caught:
        env.get_template("leak.html")
    assert caught.value.diagnostics[0].code == "template.outside"


def test_pdf_has_no_attachment_even_when_a_template_builds_one(tmp_path: Path) -> None:
    """rel=attachment made in an expression escapes the template check: the PDF engine
    still attaches nothing (the git config of a checkout must never reach a PDF)."""
    import pikepdf

    from reportgen.pipeline import build
    from tests.hostile.fixtures import BASE

    root = tmp_path / "project"
    shutil.copytree(BASE, root)
    (root / "secret.txt").write_text("token=abc\n")
    (root / "templates").mkdir()
    (root / "templates" / "report.html").write_text(
        '{% extends "default:report.html" %}{% block head %}{{ super() }}'
        "<link rel=\"{{ 'attach' ~ 'ment' }}\" href=\"{{ 'secret.txt' }}\">{% endblock %}"
        "{% block cover %}{{ super() }}<a rel=\"{{ 'attach' ~ 'ment' }}\" "
        "href=\"{{ 'secret.txt' }}\">secret</a>{% endblock %}"
    )
    result = build(root, pdf=True, html=False)
    assert not result.diagnostics.has_errors(), result.diagnostics.items
    (pdf_path,) = [p for p in result.outputs if p.suffix == ".pdf"]
    data = pdf_path.read_bytes()
    assert b"token=abc" not in data
    with pikepdf.open(pdf_path) as pdf:
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                assert annot.get("/Subtype") != "/FileAttachment"


def test_css_string_is_inert_in_html() -> None:
    from reportgen.render.html import css_string

    quoted = css_string('a"b\\c<img src=x onerror=alert(1)>&')
    assert "<" not in quoted and ">" not in quoted and "&" not in quoted
    assert quoted == '"a\\22 b\\5c c\\3c img src=x onerror=alert(1)\\3e \\26 "'


@pytest.mark.parametrize(
    "source",
    [
        '<a href="https://example.org/x">x</a> <a href="#main">top</a>',
        '<a href="mailto:a@b.c">m</a> <a href="tel:+442081234567">t</a>',
        '<img src="{{ report.logo }}" alt="">',
        '@font-face { src: url("{{ face.src }}") format("woff2"); }',
        "{% autoescape true %}{{ x }}{% endautoescape %}",
        '<svg><use xlink:href="#icon"></use></svg><img src="data:image/png;base64,AAAA" alt="">',
        "{{ section.body }} {{ x|e }} {{ x|striptags }}",
    ],
)
def test_project_templates_may_link_and_use_what_the_report_gives(source: str) -> None:
    check_project_template(ReportSandbox().parse(source))


@pytest.mark.parametrize(
    ("source", "code", "line"),
    [
        ('\n<link rel="stylesheet" href="style.css">', "template.resource", 2),
        ('<p>\n\n<img alt="" src="images/logo.png">', "template.resource", 3),
        ('<a href="data/budget.yaml">the budget</a>', "template.resource", 1),
        ('<a href="file:///etc/passwd">x</a>', "template.resource", 1),
        ("body { background: url(x.png); }", "template.resource", 1),
        ('@import "other.css";', "template.resource", 1),
        ('<a rel="attachment" href="https://example.org/">x</a>', "template.resource", 1),
        ('<object data="data/x.csv"></object>', "template.resource", 1),
        ("{% filter safe %}{{ x }}{% endfilter %}", "template.refused", 1),
        ("\n{{ x|attr('unescape') }}", "template.refused", 2),
        ("{{ x['__html__'] }}", "template.refused", 1),
        ("{{ (x|e).unescape() }}", "template.refused", 1),
        ("{% autoescape false %}{{ x }}{% endautoescape %}", "template.refused", 1),
    ],
)
def test_project_templates_may_not_name_files_or_unescape(
    source: str, code: str, line: int
) -> None:
    with pytest.raises(RefusedConstruct) as refused:
        check_project_template(ReportSandbox().parse(source))
    assert (refused.value.code, refused.value.lineno) == (code, line)

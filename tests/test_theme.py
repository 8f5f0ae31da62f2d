"""Branding: theme colours (with accessible fallbacks), fonts, logo, "at a glance", overrides."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path

import pytest

from reportgen import pipeline
from reportgen.glance import glance_view
from reportgen.render.charts import contrast_ratio
from reportgen.render.html import render_report
from reportgen.theme import FONT_DIR, PANEL, WHITE, resolve_theme
from tests.conftest import REPO, ProjectWriter
from tests.html_outline import outline

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _with(files: dict[str, str], yaml: str) -> dict[str, str]:
    return {**files, "report.yaml": files["report.yaml"] + yaml}


MINE = ("theme.", "config.unknown-figure", "config.missing-label", "config.path-outside-project")


def _codes(root: Path) -> list[tuple[str, str, int | None]]:
    """The diagnostics of branding and the "at a glance" page (other checks are elsewhere)."""
    result = pipeline.validate(root)
    return [
        (d.code, d.location.path if d.location else "", d.location.line if d.location else None)
        for d in result.diagnostics
        if d.code.startswith(MINE)
    ]


def _line(files: dict[str, str], offset: int) -> int:
    """Line `offset` of the YAML appended to the minimal report.yaml (1 = its first line)."""
    return len(files["report.yaml"].splitlines()) + offset


def _page(root: Path, medium: str = "screen") -> str:
    result = pipeline.validate(root)
    assert result.project is not None and result.derived is not None
    return render_report(result.project, result.derived, medium=medium)  # type: ignore[arg-type]


# --- colours ---------------------------------------------------------------------------


def test_default_theme_is_clean(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    assert _codes(write_project(minimal_files)) == []


def test_pale_brand_colour_warns_and_falls_back(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(
        _with(minimal_files, 'theme:\n  primary_colour: "#7fb2e5"\n  accent_colour: "#ffd966"\n')
    )
    result = pipeline.validate(root)
    warnings = [d for d in result.diagnostics if d.code == "theme.low-contrast"]
    assert [(d.severity.value, d.location.line if d.location else None) for d in warnings] == [
        ("warning", _line(minimal_files, 2)),
        ("warning", _line(minimal_files, 3)),
    ]
    assert "#7fb2e5" in warnings[0].message and "4.5:1" in warnings[0].message
    assert result.project is not None
    theme = resolve_theme(result.project)
    assert theme.primary != "#7fb2e5"
    assert min(contrast_ratio(theme.primary, WHITE), contrast_ratio(theme.primary, PANEL)) >= 4.5
    assert contrast_ratio(theme.accent, WHITE) >= 3.0
    html = _page(root)
    assert f"--brand: {theme.primary};" in html and "#7fb2e5" not in html


def test_dark_enough_brand_colour_is_kept(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(_with(minimal_files, 'theme:\n  primary_colour: "#005EA5"\n'))
    assert _codes(root) == []
    assert "--brand: #005ea5;" in _page(root)


# --- fonts -----------------------------------------------------------------------------


def test_packaged_font_is_embedded_in_both_media(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(minimal_files)
    screen, printed = _page(root), _page(root, "print")
    assert screen.count("data:font/woff2;base64,") == 8  # Latin and Latin Extended, 4 faces
    assert printed.count("data:font/ttf;base64,") == 4
    assert '"Atkinson Hyperlegible", "DejaVu Sans"' in screen
    assert (FONT_DIR / "OFL.txt").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") >= 1


def test_unknown_font_without_files_is_an_error(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(_with(minimal_files, "theme:\n  font: Comic Sans\n"))
    assert _codes(root) == [("theme.font-not-found", "report.yaml", _line(minimal_files, 2))]


def test_project_font_files_are_read_for_their_family(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(
        _with(
            minimal_files,
            "theme:\n  font: Atkinson Hyperlegible\n  font_files:\n"
            "    - fonts/Regular.ttf\n    - fonts/Bold.ttf\n",
        )
    )
    (root / "fonts").mkdir()
    shutil.copy(FONT_DIR / "AtkinsonHyperlegible-Regular.ttf", root / "fonts" / "Regular.ttf")
    shutil.copy(FONT_DIR / "AtkinsonHyperlegible-Bold.ttf", root / "fonts" / "Bold.ttf")
    assert _codes(root) == []
    result = pipeline.validate(root)
    assert result.project is not None
    theme = resolve_theme(result.project)
    assert [(f.path.name, f.weight, f.style) for f in theme.print_fonts] == [
        ("Regular.ttf", 400, "normal"),
        ("Bold.ttf", 700, "normal"),
    ]
    assert theme.screen_fonts == theme.print_fonts
    assert _page(root).count("data:font/ttf;base64,") == 2


def test_font_files_of_another_family_or_kind_are_errors(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(
        _with(
            minimal_files,
            "theme:\n  font: Open Sans\n  font_files:\n    - fonts/a.ttf\n"
            "    - fonts/b.woff2\n    - fonts/broken.ttf\n    - fonts/missing.ttf\n"
            "    - ../outside.ttf\n",
        )
    )
    (root / "fonts").mkdir()
    shutil.copy(FONT_DIR / "AtkinsonHyperlegible-Regular.ttf", root / "fonts" / "a.ttf")
    (root / "fonts" / "b.woff2").write_bytes(b"wOF2")
    (root / "fonts" / "broken.ttf").write_bytes(b"not a font")
    assert _codes(root) == [
        ("theme.font-mismatch", "report.yaml", _line(minimal_files, 4)),
        ("theme.font-unreadable", "report.yaml", _line(minimal_files, 5)),
        ("theme.font-unreadable", "report.yaml", _line(minimal_files, 6)),
        ("theme.font-not-found", "report.yaml", _line(minimal_files, 7)),
        ("config.path-outside-project", "report.yaml", _line(minimal_files, 8)),
    ]


def test_a_font_needs_regular_and_bold(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(
        _with(
            minimal_files,
            "theme:\n  font: Atkinson Hyperlegible\n  font_files:\n    - fonts/Bold.ttf\n",
        )
    )
    (root / "fonts").mkdir()
    shutil.copy(FONT_DIR / "AtkinsonHyperlegible-Bold.ttf", root / "fonts" / "Bold.ttf")
    result = pipeline.validate(root)
    (problem,) = [d for d in result.diagnostics if d.code.startswith(MINE)]
    assert problem.code == "theme.font-not-found" and "regular" in problem.message


# --- logo ------------------------------------------------------------------------------


def test_logo_is_embedded_with_alt_text(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(_with(minimal_files, "theme:\n  logo: images/logo.png\n"))
    (root / "images").mkdir()
    (root / "images" / "logo.png").write_bytes(PNG)
    assert _codes(root) == []
    (img,) = outline(_page(root)).find("img")
    src = img.attrs["src"]
    assert src is not None and src.startswith("data:image/png;base64,")
    assert img.attrs["alt"] == "Newham Safeguarding Children Partnership logo"


@pytest.mark.parametrize(
    ("logo", "code"),
    [
        ("images/missing.png", "theme.logo-not-found"),
        ("images/logo.gif", "theme.logo-unreadable"),
        ("../logo.png", "config.path-outside-project"),
    ],
)
def test_logo_problems(
    write_project: ProjectWriter, minimal_files: dict[str, str], logo: str, code: str
) -> None:
    root = write_project(_with(minimal_files, f"theme:\n  logo: {logo}\n"))
    (root / "images").mkdir()
    (root / "images" / "logo.gif").write_bytes(b"GIF89a")
    assert _codes(root) == [(code, "report.yaml", _line(minimal_files, 2))]


# --- at a glance -----------------------------------------------------------------------


def test_example_at_a_glance_tiles() -> None:
    result = pipeline.validate(REPO)
    assert result.project is not None and result.derived is not None
    view = glance_view(result.project, result.derived)
    assert view is not None and view.title == "2024/25 at a glance"
    tiles = {t.value: t for t in view.tiles}
    assert list(tiles)[:3] == ["3,502", "1,286", "260"]
    assert tiles["260"].label == "Children with child protection plans"
    assert tiles["260"].change == "down from 304 in 2023/24"
    assert tiles["£194,600"].detail == "Spent £196,000: £1,400 over budget"
    assert tiles["70%"].detail == "560 of 805 places attended"


def test_at_a_glance_problems(write_project: ProjectWriter, minimal_files: dict[str, str]) -> None:
    root = write_project(
        _with(
            minimal_files,
            "at_a_glance:\n  tiles:\n"
            "    - figure: budget.income.totl\n"
            "    - figure: budget.income.total\n"
            "    - figure: budget.income.total\n      label: Income\n"
            "      detail: 'Spent {{ budget.expenditure.spnd }}'\n",
        )
    )
    codes = _codes(root)
    assert codes == [
        ("config.unknown-figure", "report.yaml", _line(minimal_files, 3)),
        ("config.missing-label", "report.yaml", _line(minimal_files, 4)),
        ("config.unknown-figure", "report.yaml", _line(minimal_files, 7)),
    ]
    result = pipeline.validate(root)
    hints = [d.hint for d in result.diagnostics if d.code == "config.unknown-figure"]
    assert hints == [
        "did you mean 'budget.income.total'?",
        "did you mean 'budget.expenditure.spend'?",
    ]


def test_at_a_glance_page_follows_the_contents(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    root = write_project(
        _with(
            minimal_files,
            "at_a_glance:\n  title: The year at a glance\n  intro: Our *key* figures.\n"
            "  tiles:\n    - figure: budget.income.total\n      label: Paid in by partners\n",
        )
    )
    page = outline(_page(root))
    h2 = [text for level, text in page.headings() if level == 2]
    assert h2[:3] == ["Contents", "The year at a glance", "1. Budget"]
    toc = [a.attrs["href"] for a in page.find("a")][1:3]
    assert toc == ["#at-a-glance", "#budget"]
    (tile,) = [li for li in page.find("li") if "tile" in (li.attrs.get("class") or "")]
    assert "£194,600" in tile.text and "Paid in by partners" in tile.text


# --- templates -------------------------------------------------------------------------


def test_project_template_extends_one_block_of_the_default(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = dict(minimal_files)
    files["templates/report.html"] = (
        '{% extends "default:report.html" %}\n'
        '{% block cover %}<header class="cover"><h1>{{ report.title }}</h1>'
        '<p class="strapline">Safer together</p></header>{% endblock %}\n'
        '{% block footer %}{{ super() }}<p class="extra">Printed on recycled paper</p>'
        "{% endblock %}\n"
    )
    files["templates/report.css"] = (
        '{% include "default:report.css" %}\n.strapline { font-style: italic; }\n'
    )
    html = _page(write_project(files))
    assert '<p class="strapline">Safer together</p>' in html
    assert "Printed on recycled paper" in html and 'class="page-footer"' in html
    assert "Income by contributor" in html  # the default sections block still ran
    assert ".strapline { font-style: italic; }" in html and "--brand:" in html


def test_source_date_epoch_reaches_only_the_print_page(
    write_project: ProjectWriter, minimal_files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_project(minimal_files)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1759190400")
    assert 'content="2025-09-30T00:00:00Z"' in _page(root, "print")
    assert "dcterms" not in _page(root)

"""The plain-language digest (`outputs: digest: true`): content, links, checks, PDF tags."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml

from reportgen import pipeline
from reportgen.digest import PRIORITY_LINES, reading_grade
from reportgen.model.priorities import Priorities
from reportgen.render.digest import render_digest
from reportgen.render.html import render_report
from tests.conftest import REPO, copy_project
from tests.golden_update import DIGEST_GOLDEN, example_digest_html
from tests.html_outline import outline
from tests.render.pdf_structure import marked_text, structure, walk

BASENAME = "nscp-annual-report-2024-25"


@pytest.fixture(scope="module")
def example() -> pipeline.ValidationResult:
    result = pipeline.validate(REPO)
    assert result.project is not None and result.derived is not None
    return result


@pytest.fixture(scope="module")
def digest_html(example: pipeline.ValidationResult) -> str:
    assert example.project is not None and example.derived is not None
    return render_digest(example.project, example.derived)


def _found(result: pipeline.ValidationResult, code: str) -> list[tuple[str, int, str]]:
    return [
        (
            d.location.path if d.location else "",
            d.location.line or 0 if d.location else 0,
            d.message,
        )
        for d in result.diagnostics
        if d.code == code
    ]


def test_example_digest_holds_each_priority_with_its_three_lines(
    example: pipeline.ValidationResult, digest_html: str
) -> None:
    assert example.project is not None
    data = example.project.dataset("priorities", Priorities)
    assert data is not None
    page = outline(digest_html)
    articles = [e for e in page.find("article") if e.attrs.get("class") == "digest-priority"]
    assert [a.attrs["id"] for a in articles] == [f"priority-{p.id}" for p in data.priorities]
    for article, priority in zip(articles, data.priorities, strict=True):
        text = " ".join(article.text.split())
        for name, heading in PRIORITY_LINES:
            line = " ".join(str(getattr(priority, name)).split())
            assert f"{heading}: {line}" in text, (priority.id, heading)


def test_example_digest_is_a_document_of_its_own(digest_html: str) -> None:
    page = outline(digest_html)
    (html,) = page.find("html")
    assert html.attrs["lang"] == "en-GB"
    (title,) = page.find("title")
    assert title.text == (
        "Newham Safeguarding Children Partnership: A short guide to our Annual Report 2024/25"
    )
    levels = [level for level, _ in page.headings()]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert [text for level, text in page.headings() if level == 2] == [
        "The year at a glance",
        "Our priorities",
        "What we learned",
        "Our plans for 2025/26",
    ]


def test_figures_are_in_words_from_the_data(digest_html: str) -> None:
    text = " ".join(outline(digest_html).find("main")[0].text.split())
    # 260 plans this year against 304 last: said as a family reader would say it.
    assert "Children with child protection plans: 260, 44 fewer than the year before." in text
    assert "Care leavers: 547, 73 more than the year before." in text
    assert "£194,600 paid into the partnership budget by partners." in text


def test_every_link_leads_to_a_place_in_the_full_report(
    example: pipeline.ValidationResult, digest_html: str
) -> None:
    assert example.project is not None and example.derived is not None
    full = outline(render_report(example.project, example.derived))
    anchors = {e.attrs["id"] for e in full.elements if e.attrs.get("id")}
    links = [e.attrs["href"] or "" for e in outline(digest_html).find("a")]
    outside = [h for h in links if not h.startswith("#")]
    assert outside, "the digest links nowhere"
    for href in outside:
        page, _, anchor = href.partition("#")
        assert page == f"{BASENAME}.html", href
        assert not anchor or anchor in anchors, href
    # Every priority, every lesson and the plans link to their own places.
    for target in ("priority-exploitation", "priority-domestic-abuse", "learning", "plans"):
        assert f"{BASENAME}.html#{target}" in outside


def test_the_print_page_names_sections_instead_of_linking_to_files(
    example: pipeline.ValidationResult,
) -> None:
    assert example.project is not None and example.derived is not None
    page = render_digest(example.project, example.derived, medium="print")
    hrefs = [e.attrs["href"] or "" for e in outline(page).find("a")]
    assert all(h.startswith("#") for h in hrefs), hrefs  # a file link would carry a path
    assert "More in the full report: section 10, Progress on our priorities." in page


def test_a_priority_missing_a_line_is_reported(example_copy: Path) -> None:
    root = example_copy
    path = root / "data" / "priorities.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    improved: >-\n      Staff are more confident")
    end = text.index("    next: >-", start)
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = pipeline.validate(root)
    found = _found(result, "digest.missing-line")
    line = text[: text.index("  - id: domestic-abuse")].count("\n") + 1
    assert [(p, n) for p, n, _ in found] == [("data/priorities.yaml", line)]
    assert "priority 'domestic-abuse' has no `improved` line" in found[0][2]
    assert not result.diagnostics.has_errors()  # the digest still builds, one line short
    assert result.project is not None and result.derived is not None
    page = render_digest(result.project, result.derived)
    (article,) = [
        e for e in outline(page).find("article") if e.attrs.get("id") == "priority-domestic-abuse"
    ]
    assert "What improved" not in article.text and "Why it matters" in article.text


def test_a_hard_sentence_is_above_the_reading_grade(example_copy: Path) -> None:
    hard = (
        "Staff working across agencies improved their collaborative responses to emotional "
        "wellbeing concerns."
    )
    assert reading_grade(hard) > 15
    assert reading_grade("We helped more children this year.") < 5
    root = example_copy
    path = root / "data" / "priorities.yaml"
    text = path.read_text(encoding="utf-8")
    easy = "Mental health workers in schools now help children get support sooner."
    path.write_text(text.replace(easy, hard), encoding="utf-8")
    found = _found(pipeline.validate(root), "digest.reading-grade")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if easy in row) - 1
    assert [(p, n) for p, n, _ in found] == [("data/priorities.yaml", line)]
    assert "reads at school grade" in found[0][2]
    # The level is the project's to set.
    config = root / "report.yaml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings["validation"]["digest_reading_grade"] = 18
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    assert _found(pipeline.validate(root), "digest.reading-grade") == []


def test_a_lesson_must_name_a_section_of_the_report(example_copy: Path) -> None:
    root = example_copy
    path = root / "data" / "priorities.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    section: learning\n", "    section: lerning\n", 1))
    result = pipeline.validate(root)
    found = _found(result, "digest.unknown-section")
    assert len(found) == 1 and "'lerning'" in found[0][2]
    assert result.diagnostics.has_errors()


def test_a_priority_the_full_report_never_shows_has_nothing_to_link_to(example_copy: Path) -> None:
    root = example_copy
    path = root / "content" / "11-priority-progress.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("{{ cards priorities.csa }}\n", ""), encoding="utf-8")
    result = pipeline.validate(root)
    found = _found(result, "digest.no-source")
    assert len(found) == 1 and "priority 'csa'" in found[0][2]
    assert found[0][0] == "data/priorities.yaml"
    assert result.project is not None and result.derived is not None
    page = render_digest(result.project, result.derived)
    (article,) = [e for e in outline(page).find("article") if e.attrs.get("id") == "priority-csa"]
    assert "More in the full report" not in article.text  # no link to a missing card


def test_no_digest_checks_unless_one_is_asked_for(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    config = root / "report.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  digest: true\n", ""), encoding="utf-8"
    )
    path = root / "data" / "priorities.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"    why_it_matters: >-\n(      .*\n)+", "", text), encoding="utf-8")
    result = pipeline.validate(root)
    assert not [d for d in result.diagnostics if d.code.startswith("digest.")]
    built = pipeline.build(root, tmp_path / "out", pdf=False)
    assert not any("-digest" in p.name for p in built.outputs)


def test_withheld_figures_stay_withheld_in_the_digest(example_copy: Path) -> None:
    root = example_copy
    path = root / "data" / "indicators.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("    value: 547\n", "    value: 4\n", 1), encoding="utf-8"
    )  # care leavers: now a small count of children
    result = pipeline.validate(root)
    assert result.project is not None and result.derived is not None
    page = render_digest(result.project, result.derived)
    main = " ".join(outline(page).find("main")[0].text.split())
    assert "Care leavers: c." in main  # no change since last year: it would give it away
    assert "Figures shown as c are counts of children from 1 to 5" in main


def test_a_small_count_typed_in_a_digest_line_is_an_error(example_copy: Path) -> None:
    """The digest's lines are data, so the disclosure rules for text apply to them."""
    root = example_copy
    path = root / "data" / "priorities.yaml"
    text = path.read_text(encoding="utf-8")
    easy = "Mental health workers in schools now help children get support sooner."
    path.write_text(text.replace(easy, "Mental health workers helped 3 children."))
    result = pipeline.validate(root)
    # Reported where the value starts: the `improved: >-` line above the text.
    line = next(i for i, row in enumerate(text.splitlines(), 1) if easy in row) - 1
    found = _found(result, "disclosure.count-in-text")
    assert [(p, n) for p, n, _ in found] == [("data/priorities.yaml", line)]
    assert result.diagnostics.has_errors()


def test_golden_digest_is_current() -> None:
    assert DIGEST_GOLDEN.read_text(encoding="utf-8") == example_digest_html(), (
        "the example's digest changed: run `make golden` and review the diff"
    )


@pytest.mark.slow
def test_the_digest_pdf_is_tagged_short_and_titled(example_outputs: dict[str, Path]) -> None:
    with pikepdf.open(example_outputs["digest.pdf"]) as pdf:
        assert 2 <= len(pdf.pages) <= 4
        root: Any = pdf.Root
        assert root.MarkInfo.Marked is True and "/StructTreeRoot" in root
        assert str(root.Lang) == "en-GB"
        assert str(pdf.docinfo["/Title"]).endswith("A short guide to our Annual Report 2024/25")
        marked = marked_text(pdf)
        tree = structure(pdf, marked)
        assert marked.untagged == []
        kinds = [e.kind for e in walk(tree) if re.fullmatch(r"/H[1-6]", e.kind)]
        assert kinds[0] == "/H1" and kinds.count("/H1") == 1
        assert kinds.count("/H3") == 4  # one per priority
        # No address of the machine that built it: the print page names sections in words.
        assert b"file:" not in Path(example_outputs["digest.pdf"]).read_bytes()

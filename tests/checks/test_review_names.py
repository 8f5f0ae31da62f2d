"""One review called by two names: by letter pseudonyms and by any other name.

The project is a fresh `reportgen init` one whose review "Child A" is given a reference
(LCSPR 2025-01), a notification date (14 May 2025) and six children, beside a second,
different review "Family X" notified in October 2025. Each test adds one sentence to
the narrative, or one record or text to reviews.yaml.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reportgen.cli import app
from reportgen.diagnostics import Diagnostic
from reportgen.pipeline import validate
from reportgen.scaffold import create_project

LEARNING = "content/06-learning.md"
REVIEWS = "data/reviews.yaml"
FAMILY_X = """\
  - id: family-x
    title: Family X
    kind: lcspr
    notified: 2025-10-02
    children: 8
    summary: How agencies supported eight brothers and sisters living with neglect.

audits:
"""


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    root = tmp_path / "report"
    create_project(
        root, partnership="Riverside Safeguarding Children Partnership", today=dt.date(2026, 6, 1)
    )
    _replace(
        root,
        REVIEWS,
        "    kind: lcspr\n    started:",
        "    kind: lcspr\n    reference: LCSPR 2025-01\n    notified: 2025-05-14\n"
        "    children: 6\n    started:",
    )
    _replace(root, REVIEWS, "\naudits:\n", "\n" + FAMILY_X)
    return root


def _replace(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _add(root: Path, text: str) -> None:
    path = root / LEARNING
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def _found(root: Path) -> list[Diagnostic]:
    codes = ("content.review-name", "data.review-two-names")
    return [d for d in validate(root).diagnostics if d.code in codes]


def test_the_prepared_project_calls_no_review_by_two_names(fresh: Path) -> None:
    assert _found(fresh) == []


TITLE = "Local child safeguarding practice review about Child A"


@pytest.mark.parametrize(
    ("sentence", "name", "hint"),
    [
        # The letter of another child, where reviews.yaml names its reviews so.
        ("The review about Child B changed how we share plans.", "Child B", "'Child A'"),
        # A quoted name beside the review's reference.
        (
            "The 'Harbour' review (LCSPR 2025-01) changed how we share plans.",
            "Harbour",
            f"'{TITLE}' (LCSPR 2025-01)",
        ),
        # A first name beside the review's own name, possessive.
        ("Sam's review (Child A) was published in March.", "Sam", "'Child A'"),
        # A family pseudonym of another form, called also by the review's name.
        ("The Family Y review, also known as Child A, found gaps.", "Family Y", "'Child A'"),
        # A first name in the sentence that gives the month the review was notified.
        ("The review for Sam, notified in May 2025, is now published.", "Sam", f"'{TITLE}'"),
        # A reference of the same form as the review's, but not its own.
        (
            "LCSPR 2025-02 was published in the spring.",
            "LCSPR 2025-02",
            f"'{TITLE}' (LCSPR 2025-01)",
        ),
    ],
)
def test_a_review_called_by_another_name_is_caught(
    fresh: Path, sentence: str, name: str, hint: str
) -> None:
    _add(fresh, sentence)
    (found,) = _found(fresh)
    assert found.code == "content.review-name"
    assert f"'{name}' is not a name of a review in reviews.yaml" in found.message
    assert found.location is not None and found.location.path == LEARNING
    assert found.hint is not None and found.hint.startswith(f"is this the review {hint}?")


@pytest.mark.parametrize(
    "sentence",
    [
        # A name plus its reference, and a reference reviews.yaml does not record.
        "The Child A review (LCSPR 2025-01) changed how we share plans.",
        "The Child A review (LCSPR 2024-09) changed how we share plans.",
        # Possessive and plural forms of a review's own name.
        "Child A's review was published in March.",
        "The Family X reviews' findings were shared with schools.",
        "The Family Xs' review was shared with schools.",
        # Two different reviews, each by its own name.
        "The Child A and Family X reviews were both published.",
        "The Family X review (notified in October 2025) and Child A's review were shared.",
        # A national review and the partnership's own name are not local reviews.
        "The national review of Arthur and Star, the Panel's review, guided us.",
        "The Riverside review of neglect is on our website.",
        # A child named in passing, not a review; words after "Child".
        "Child B told us that school helped.",
        "The Child Sexual Abuse review was published.",
    ],
)
def test_names_that_fit_are_not_flagged(fresh: Path, sentence: str) -> None:
    _add(fresh, sentence)
    assert _found(fresh) == []


def test_one_review_typed_twice_under_two_names_is_caught(fresh: Path) -> None:
    _replace(
        fresh,
        REVIEWS,
        "  - id: family-x\n",
        "  - id: sam\n    title: The review for Sam\n    kind: lcspr\n    notified: 2025-05-14\n"
        "    children: 6\n    summary: How agencies supported six brothers and sisters.\n"
        "  - id: family-x\n",
    )
    (found,) = _found(fresh)
    assert found.code == "data.review-two-names"
    assert found.message.startswith(
        "review 'The review for Sam' looks like review 'Local child safeguarding practice "
        "review about Child A' under another name"
    )
    assert "notified on 14 May 2025" in found.message and "about 6 children" in found.message
    assert found.location is not None and found.location.path == REVIEWS
    assert found.location.line is not None
    line = (fresh / REVIEWS).read_text(encoding="utf-8").splitlines()[found.location.line - 1]
    assert line.strip() == "title: The review for Sam"


def test_two_reviews_notified_the_same_day_about_other_children_are_two(fresh: Path) -> None:
    _replace(
        fresh,
        REVIEWS,
        "  - id: family-x\n",
        "  - id: baby-t\n    title: Baby T\n    kind: rapid_review\n    notified: 2025-05-14\n"
        "    children: 2\n    summary: A baby and a sibling were hurt.\n"
        "  - id: family-x\n",
    )
    assert _found(fresh) == []


def test_a_name_in_another_data_file_is_caught_where_it_is_written(fresh: Path) -> None:
    # The learning events of reviews.yaml are words too.
    _replace(
        fresh,
        REVIEWS,
        "      - Information about the risks",
        "      - The 'Harbour' review (Child A) found that information about the risks",
    )
    (found,) = _found(fresh)
    assert found.code == "content.review-name" and "'Harbour'" in found.message
    assert found.location is not None and found.location.path == REVIEWS


def test_the_cli_reports_it_with_file_and_line(fresh: Path) -> None:
    _add(fresh, "Sam's review (Child A) was published in March.")
    result = CliRunner().invoke(app, ["validate", str(fresh)])
    assert result.exit_code == 0  # a warning
    assert f"{LEARNING}:" in result.output and "warning[content.review-name]" in result.output
    assert "'Child A' beside it is the review" in result.output

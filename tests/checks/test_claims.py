"""Claims in the words that the data contradicts: each seeded defect, and a near miss.

The project is a fresh `reportgen init` one (its Executive has two meetings recorded,
its review is about "Child A", its training quote is from a school designated
safeguarding lead); each test adds one sentence to its narrative.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reportgen.diagnostics import Diagnostic
from reportgen.pipeline import validate


def _add(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def _found(root: Path, code: str) -> list[Diagnostic]:
    return [d for d in validate(root).diagnostics if d.code == code]


def test_a_fresh_project_makes_no_claims_the_data_contradicts(fresh: Path) -> None:
    codes = {d.code for d in validate(fresh).diagnostics}
    assert not {c for c in codes if c.startswith("content.")} & {
        "content.meeting-claim",
        "content.quote-two-sources",
        "content.review-name",
        "content.broken-sentence",
    }


def test_met_quarterly_with_two_meetings_is_caught(fresh: Path) -> None:
    _add(fresh, "content/02-arrangements.md", "The Executive met quarterly to review progress.")
    (found,) = _found(fresh, "content.meeting-claim")
    assert "'quarterly'" in found.message
    assert "about 4 times" in found.message and "2 meetings are recorded" in found.message
    assert found.location is not None and found.location.path == "content/02-arrangements.md"


@pytest.mark.parametrize(
    "sentence",
    [
        # As often as recorded.
        "The Executive met twice a year.",
        # A group whose meetings are not recorded cannot be checked.
        "The Quality Assurance Group met quarterly.",
        # A frequency that is not about meeting.
        "The Executive reads the quarterly performance report.",
    ],
)
def test_meeting_claims_the_record_allows_are_not_flagged(fresh: Path, sentence: str) -> None:
    _add(fresh, "content/02-arrangements.md", sentence)
    assert not _found(fresh, "content.meeting-claim")


def test_a_group_purpose_in_data_is_checked_against_its_own_meetings(fresh: Path) -> None:
    path = fresh / "data" / "governance.yaml"
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("  - id: executive\n")
    rest = rest.replace("purpose: ", "purpose: Meets monthly. ", 1)
    path.write_text(head + sep + rest, encoding="utf-8")
    (found,) = _found(fresh, "content.meeting-claim")
    assert "'monthly'" in found.message
    assert found.location is not None and found.location.path == "data/governance.yaml"


def test_the_same_quote_from_two_people_is_caught(fresh: Path) -> None:
    _add(
        fresh,
        "content/08-training.md",
        "“I now know exactly who to call and what to write in a referral,” said a parent.",
    )
    (found,) = _found(fresh, "content.quote-two-sources")
    assert "'a parent'" in found.message
    assert "'school designated safeguarding lead'" in found.message
    assert found.location is not None and found.location.path == "content/08-training.md"


def test_the_same_quote_from_the_same_person_is_not_flagged(fresh: Path) -> None:
    _add(
        fresh,
        "content/08-training.md",
        "“I now know exactly who to call and what to write in a referral” — a school "
        "designated safeguarding lead.",
    )
    assert not _found(fresh, "content.quote-two-sources")


def test_a_review_called_by_another_name_is_caught(fresh: Path) -> None:
    _add(fresh, "content/06-learning.md", "The review about Child B changed how we share plans.")
    (found,) = _found(fresh, "content.review-name")
    assert "'Child B'" in found.message and "Child A" in found.message
    assert found.hint is not None and "'Child A'" in found.hint


@pytest.mark.parametrize(
    "sentence",
    [
        "The review about Child A changed how we share plans.",
        # Not a pseudonym: words after "Child".
        "The Child Sexual Abuse review was published.",
        # A child named in passing, not a review.
        "Child B told us that school helped.",
    ],
)
def test_review_names_that_fit_are_not_flagged(fresh: Path, sentence: str) -> None:
    _add(fresh, "content/06-learning.md", sentence)
    assert not _found(fresh, "content.review-name")


def test_a_sentence_that_stops_mid_way_is_caught(fresh: Path) -> None:
    _add(fresh, "content/06-learning.md", "We shared the learning with the. Partners agreed.")
    (found,) = _found(fresh, "content.broken-sentence")
    assert "'the.'" in found.message


def test_whole_sentences_are_not_broken(fresh: Path) -> None:
    _add(
        fresh,
        "content/06-learning.md",
        "We shared the learning with everyone. Partners agreed. It is what we signed up "
        "to. These are the families we work with. Next year we will do more.",
    )
    assert not _found(fresh, "content.broken-sentence")


@pytest.mark.parametrize(("extra", "flagged"), [(9, False), (8, True)])
def test_a_monthly_group_may_skip_one_month(fresh: Path, extra: int, flagged: bool) -> None:
    # Two meetings are recorded already; a monthly group may take August off (11 of 12).
    path = fresh / "data" / "governance.yaml"
    text = path.read_text(encoding="utf-8")
    more = "".join(
        f"  - group: executive\n    date: 2025-{month:02d}-15\n    attendance:\n      la: present\n"
        for month in range(4, 4 + extra)
    )
    path.write_text(text.replace("\nmeetings:\n", "\nmeetings:\n" + more, 1), encoding="utf-8")
    _add(fresh, "content/02-arrangements.md", "The Executive met monthly.")
    assert bool(_found(fresh, "content.meeting-claim")) is flagged


def test_a_meeting_not_held_does_not_count_towards_quarterly(fresh: Path) -> None:
    # Four executive meetings in the year would make "quarterly" true; one of them was
    # planned but not held, so three took place.
    import yaml

    period = yaml.safe_load((fresh / "report.yaml").read_text(encoding="utf-8"))["period"]
    start = dt.date.fromisoformat(str(period["start"]))
    extra = "".join(
        f"  - group: executive\n    date: {start + dt.timedelta(days=days)}\n{rest}"
        for days, rest in (
            (100, "    attendance:\n      la: present\n"),
            (300, "    held: false\n    not_held_reason: Not quorate\n"),
        )
    )
    path = fresh / "data" / "governance.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("meetings:\n", "meetings:\n" + extra, 1), encoding="utf-8")
    _add(fresh, "content/02-arrangements.md", "The Executive met quarterly to review progress.")
    (found,) = _found(fresh, "content.meeting-claim")
    assert "3 meetings are recorded" in found.message

"""The Working Together 2023 completeness checklist: profile as data, met / partly / missing."""

from __future__ import annotations

import pytest

from reportgen import pipeline
from reportgen.checks.completeness import Checklist, packaged_profile
from reportgen.model.profile import Requirement, Status
from tests.conftest import REPO, ProjectWriter

PROJECTS = REPO / "tests" / "projects"


def _checklist(result: pipeline.ValidationResult) -> Checklist:
    assert result.checklist is not None
    return result.checklist


def _statuses(checklist: Checklist) -> dict[str, str]:
    return {item.id: item.status.value for item in checklist.items}


def test_packaged_profile_lists_the_statutory_items() -> None:
    profile = packaged_profile("wt2023")
    assert profile is not None
    must = {i.id for i in profile.items if i.requirement is Requirement.MUST}
    should = {i.id for i in profile.items if i.requirement is Requirement.SHOULD}
    assert must == {"period", "activity", "reviews", "effectiveness"}
    assert {
        "impact",
        "little-progress",
        "review-actions",
        "voice",
        "scrutiny",
        "contributions",
        "next-priorities",
        "training-impact",
    } <= should


def test_example_checklist() -> None:
    checklist = _checklist(pipeline.validate(REPO))
    statuses = _statuses(checklist)
    # Every item is met, except the CSA audit's recommendations, which have no evidence yet.
    assert statuses.pop("review-actions") == "partly"
    assert set(statuses.values()) == {"met"}
    voice = next(i for i in checklist.items if i.id == "voice")
    assert voice.found == [
        "data/feedback.yaml:7 (feedback with what changed (data/feedback.yaml))",
        "content/09-achievements.md:33 ({{ table feedback }})",
    ]
    partly = next(i for i in checklist.items if i.id == "review-actions")
    assert partly.missing is not None and partly.missing.startswith("5 of 10 have 'evidence'")


def test_minimal_report_misses_the_required_items() -> None:
    checklist = _checklist(pipeline.validate(PROJECTS / "completeness-minimal"))
    statuses = _statuses(checklist)
    assert statuses["period"] == "met"
    assert statuses["activity"] == statuses["reviews"] == statuses["effectiveness"] == "missing"
    # ICB pays, but without governance.yaml it is unknown which partners are statutory.
    assert statuses["contributions"] == "partly"
    lines = checklist.format_text()
    assert lines[0].startswith("Completeness: Working Together to Safeguard Children 2023")
    assert any(
        line.startswith("  [ ] missing must   activity: What the partners did") for line in lines
    )


def test_data_the_narrative_never_places_is_only_partly_evidence(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    feedback = """\
feedback:
  - id: care-leavers
    who: Care leavers
    you_said: We want a say in how our services are designed.
    we_did: The forum's views now shape service development.
"""
    root = write_project({**minimal_files, "data/feedback.yaml": feedback})
    voice = next(i for i in _checklist(pipeline.validate(root)).items if i.id == "voice")
    assert voice.status is Status.PARTLY
    assert voice.missing is not None and "not placed in the report" in voice.missing

    files = {**minimal_files, "data/feedback.yaml": feedback}
    files["content/budget.md"] += "\n{{ table feedback }}\n"
    voice = next(
        i for i in _checklist(pipeline.validate(write_project(files))).items if i.id == "voice"
    )
    assert voice.status is Status.MET


def test_feedback_without_what_changed_is_partly_a_heading(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    feedback = """\
feedback:
  - id: survey
    who: Children and families
    you_said: Few answered the survey.
"""
    files = {**minimal_files, "data/feedback.yaml": feedback}
    files["content/budget.md"] += "\n## Voice of children and families\n\n{{ table feedback }}\n"
    voice = next(
        i for i in _checklist(pipeline.validate(write_project(files))).items if i.id == "voice"
    )
    assert voice.status is Status.PARTLY
    assert voice.found == ["content/budget.md:6 (## Voice of children and families)"]


def test_priorities_with_little_progress_need_a_status_note(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    priorities = """\
priorities:
  - id: exploitation
    title: All age exploitation
    rationale: Harm from outside the family keeps coming up in reviews.
    planned_impact: Young people are safe from exploitation.
    progress: [The Youth Safety Strategy was launched.]
    impact: [Decisions are made in real time at the information sharing forum.]
    status: amber
  - id: domestic-abuse
    title: Domestic abuse
    rationale: Domestic abuse is the most common concern in contacts.
    planned_impact: Children's safety is at the heart of the strategy.
    progress: [A Domestic Abuse Hub started.]
    status: green
"""
    files = {**minimal_files, "data/priorities.yaml": priorities}
    files["content/budget.md"] += "\n{{ cards priorities }}\n"
    checklist = _checklist(pipeline.validate(write_project(files)))
    items = {i.id: i for i in checklist.items}
    assert items["little-progress"].status is Status.MISSING
    assert "data/priorities.yaml:2" in (items["little-progress"].missing or "")
    assert items["impact"].status is Status.PARTLY
    assert items["activity"].status is Status.MET


def test_missing_must_items_are_warnings_should_items_infos() -> None:
    result = pipeline.validate(PROJECTS / "completeness-minimal")
    # The fixture predates the open data export (its ONS-code note: tests/test_export.py).
    by_code = {
        (d.code, d.severity.value)
        for d in result.diagnostics
        if d.code != "config.ons-code-missing"
    }
    assert by_code == {
        ("completeness.missing-required", "warning"),
        ("completeness.missing-recommended", "info"),
    }


def test_own_profile_extends_drops_and_adds() -> None:
    checklist = _checklist(pipeline.validate(PROJECTS / "completeness-own-profile"))
    assert checklist.profile == "ours"
    assert [i.id for i in checklist.items] == ["period", "scrutiny", "at-a-glance"]
    assert _statuses(checklist) == {"period": "met", "scrutiny": "met", "at-a-glance": "missing"}


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ("wt2099", "there is no packaged completeness profile 'wt2099'"),
        ("checks/none.yaml", "profile file 'checks/none.yaml' does not exist"),
    ],
)
def test_unknown_profile(
    write_project: ProjectWriter, minimal_files: dict[str, str], profile: str, message: str
) -> None:
    files = {**minimal_files}
    files["report.yaml"] += f"validation:\n  profile: {profile}\n"
    result = pipeline.validate(write_project(files))
    (diag,) = [d for d in result.diagnostics if d.code == "config.profile-not-found"]
    assert diag.message == message
    assert diag.location is not None and diag.location.line == 20
    assert result.checklist is None


def test_invalid_own_profile_is_a_schema_error(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {**minimal_files, "checks/p.yaml": "id: ours\ntitle: Ours\nitems:\n  - id: x\n"}
    files["report.yaml"] += "validation:\n  profile: checks/p.yaml\n"
    result = pipeline.validate(write_project(files))
    missing = sorted(d.message for d in result.diagnostics if d.code == "schema.missing")
    assert missing == [
        "'description' is required in items #1",
        "'evidence' is required in items #1",
        "'hint' is required in items #1",
        "'requirement' is required in items #1",
        "'title' is required in items #1",
    ]


def test_profile_none_turns_the_checklist_off(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    files = {**minimal_files}
    files["report.yaml"] += "validation:\n  profile: none\n"
    result = pipeline.validate(write_project(files))
    assert result.checklist is None
    assert not [d for d in result.diagnostics if d.code.startswith("completeness.")]

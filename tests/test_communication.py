"""partners.yaml and training.yaml as reports print them: agency sections, commitments,
reach and surveys, training totals alone, breakdowns and evaluation answers."""

from __future__ import annotations

from reportgen import pipeline
from reportgen.views import BlockKey, CardsView, ListView, TableView
from tests.conftest import ProjectWriter

PARTNERS = """\
contributions:
  - agency: Police
    blocks:
      - label: Evidence and impact
        about: [evidence, impact]
        items: [Officers visited every school in the north area.]
    improvement: [Share missing episodes with schools the same day.]
    case_studies:
      - title: Sam's story
        text: [Sam was reported missing four times in a month.]
        outcome: Sam has not gone missing since March.
    figures:
      - {label: Missing episodes, value: '1,204', scope: local}
      - {label: Repeat missing episodes, value: 31.5, unit: percent, scope: national}
key_messages:
  - audience: parents and carers
    messages: [Talk to your child about who they meet online.]
    contacts:
      - {name: Children's front door, phone: 01632 960000, email: front.door@example.org}
reach:
  - {id: visits, label: Website visits, value: 20000, prior: 16000, change: 25}
  - {id: search, label: Visits from search engines, value: 8300, part_of: visits, share: 41.5}
  - {id: subscribers, label: Newsletter subscribers, low: 1200, high: 1450, average: 1320}
  - {id: video, label: Views of the safer sleep video, value: 5400, to_date: true}
surveys:
  - id: practitioners
    title: Practitioner survey
    responses: 212
    sent_to: 1600
    response_rate: 13
pledges:
  - id: children
    title: Our pledge to children
    items:
      - {text: We will listen before we decide.}
      - {text: We will tell you what happens next., new: true}
principles:
  - {title: Think family, text: We see the child within their family.}
children_told_us:
  - They want one worker who knows them.
"""

TRAINING = """\
start: 2024-04-01
end: 2025-03-31
totals:
  bookings: 900
  attended: 700
  cancellations: 120
  did_not_attend: 80
definitions:
  did_not_attend: Booked, did not cancel and did not come.
breakdowns:
  - id: by-area
    title: Attendance by area
    by: Area
    rows:
      - {label: North, share: 55}
      - {label: South, share: 45}
distributions:
  - id: overall
    question: How would you rate the course overall?
    responses: 200
    answers:
      - {label: Excellent, count: 120, share: 60}
      - {label: Good, count: 70, share: 35}
      - {label: Fair, count: 10, share: 5}
"""


def _validate(
    write_project: ProjectWriter, minimal_files: dict[str, str], **files: str
) -> pipeline.ValidationResult:
    named = {f"data/{k}.yaml": v for k, v in files.items()}
    return pipeline.validate(write_project({**minimal_files, **named}))


def test_agency_sections_keep_their_printed_labels_case_studies_and_figures(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    result = _validate(write_project, minimal_files, partners=PARTNERS)
    assert not result.diagnostics.has_errors(), result.diagnostics.errors
    assert result.derived is not None
    cards = result.derived.blocks[BlockKey("cards", "partners.contributions")]
    assert isinstance(cards, CardsView)
    (police,) = cards.cards
    assert [p.heading for p in police.parts] == [
        "What we will improve",
        "Evidence and impact",
        "Case study: Sam's story",
    ]
    assert police.table is not None
    assert [[c.text for c in row] for row in police.table.rows] == [
        ["Missing episodes", "1,204", "Local", "–"],
        ["Repeat missing episodes", "31.5%", "National", "–"],
    ]
    messages = result.derived.blocks[BlockKey("cards", "partners.key_messages")]
    assert isinstance(messages, CardsView)
    assert messages.cards[0].parts[1].items == [
        "Children's front door: 01632 960000, front.door@example.org"
    ]


def test_reach_shares_changes_ranges_and_response_rates_are_derived(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    result = _validate(write_project, minimal_files, partners=PARTNERS)
    assert result.derived is not None
    refs = result.derived.references
    assert refs["reach.search.share"] == "42%"
    assert refs["reach.visits.change"] == "a 25% increase"
    assert refs["reach.subscribers"] == "1,200 to 1,450 (average 1,320)"
    assert refs["reach.video"] == "5,400 to date"
    assert refs["survey.practitioners.rate"] == "13%"
    assert refs["pledge.children.new"] == "1"
    pledge = result.derived.blocks[BlockKey("list", "pledge.children")]
    assert isinstance(pledge, ListView)
    assert [(i.title, i.text) for i in pledge.items][1] == (
        "New",
        "We will tell you what happens next.",
    )


def test_printed_shares_changes_and_rates_that_disagree_are_errors(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    wrong = (
        PARTNERS.replace("change: 25", "change: 20")
        .replace("share: 41.5", "share: 45")
        .replace("response_rate: 13", "response_rate: 31")
    )
    result = _validate(write_project, minimal_files, partners=wrong)
    found = [
        (d.code, d.location.line if d.location else None)
        for d in result.diagnostics
        if d.code == "data.printed-figure-mismatch"
    ]
    assert [line for _, line in found] == [21, 22, 30]
    share = next(d for d in result.diagnostics if "Visits from search" in d.message)
    assert (
        "printed as 45% but 8,300 of 20,000 gives 41.5% (42% when rounded as printed)"
        in share.message
    )


def test_training_totals_alone_definitions_breakdowns_and_answers(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    result = _validate(write_project, minimal_files, training=TRAINING)
    assert not result.diagnostics.has_errors(), result.diagnostics.errors
    mine = ("data.printed-figure", "data.shares-not-100", "data.training-outcomes")
    assert [d.code for d in result.diagnostics if d.code.startswith(mine)] == []
    assert result.derived is not None
    refs = result.derived.references
    assert (refs["training.bookings"], refs["training.attendance_rate"]) == ("900", "78%")
    assert "training.courses" not in refs  # no per-course table: nothing made up
    summary = result.derived.blocks[BlockKey("table", "training.summary")]
    assert isinstance(summary, TableView)
    assert ["Did not attend", "80"] in [[c.text for c in row] for row in summary.rows]
    answers = result.derived.blocks[BlockKey("table", "training.distribution.overall")]
    assert isinstance(answers, TableView)
    assert next([c.text for c in row] for row in answers.rows) == ["Excellent", "120", "60%"]
    areas = result.derived.blocks[BlockKey("table", "training.breakdown.by-area")]
    assert isinstance(areas, TableView)
    assert [[c.text for c in row] for row in areas.rows] == [
        ["North", "–", "55%"],
        ["South", "–", "45%"],
    ]


def test_training_shares_and_outcomes_that_do_not_add_up(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    wrong = (
        TRAINING.replace("did_not_attend: 80", "did_not_attend: 90")
        .replace("share: 45}", "share: 40}")
        .replace("count: 70, share: 35", "count: 70, share: 30")
    )
    result = _validate(write_project, minimal_files, training=wrong)
    found = sorted(
        (d.code, d.location.line if d.location else 0)
        for d in result.diagnostics
        if d.code
        in ("data.shares-not-100", "data.training-outcomes", "data.printed-figure-mismatch")
    )
    assert found == [
        ("data.printed-figure-mismatch", 23),
        ("data.shares-not-100", 15),
        ("data.training-outcomes", 7),
    ]


def test_totals_alone_still_show_attendance_by_type_of_organisation(
    write_project: ProjectWriter, minimal_files: dict[str, str]
) -> None:
    result = pipeline.validate(
        write_project(
            {
                **minimal_files,
                "data/training.yaml": TRAINING
                + "organisations_file: data/training-by-organisation.csv\n",
                "data/training-by-organisation.csv": "organisation_type,bookings,attended\n"
                "Education,500,400\nHealth,400,300\n",
            }
        )
    )
    assert not result.diagnostics.has_errors(), result.diagnostics.errors
    assert result.derived is not None
    table = result.derived.blocks[BlockKey("table", "training.organisations")]
    assert isinstance(table, TableView)
    assert [c.text for c in table.rows[0]] == ["Education", "500", "400", "80%"]
    assert "training.courses" not in result.derived.references

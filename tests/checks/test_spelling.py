"""Spelling of headings and labels: British English, the project's words, and names.

A fresh `reportgen init` project has a correctly spelt heading for each section; each
test changes one heading or label.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from reportgen.diagnostics import Diagnostic
from reportgen.model.meaning import Label, Token, model_meanings
from reportgen.pipeline import validate
from tests.conftest import BUDGET, BUDGET_MD, MINIMAL_CONFIG, REPO, ProjectWriter, edit_once


def _spelling(root: Path) -> list[Diagnostic]:
    return [d for d in validate(root).diagnostics if d.code.startswith("content.spelling")]


def test_a_fresh_project_and_the_example_are_spelt_right(fresh: Path) -> None:
    assert _spelling(fresh) == []
    assert _spelling(REPO) == []


def test_a_misspelt_heading_is_a_warning_with_the_suggestion(fresh: Path) -> None:
    edit_once(fresh, "content/02-arrangements.md", "## Our groups", "## Our safegaurding groups")
    (found,) = _spelling(fresh)
    assert found.code == "content.spelling"
    assert found.severity.value == "warning"
    assert "'safegaurding'" in found.message
    assert found.hint is not None and "did you mean 'safeguarding'?" in found.hint
    assert found.location is not None and found.location.path == "content/02-arrangements.md"


def test_american_spelling_in_a_data_label_is_caught(fresh: Path) -> None:
    edit_once(
        fresh,
        "data/indicators.yaml",
        "label: contacts received by the children's front door",
        "label: contacts received by the children's front door center",
    )
    (found,) = _spelling(fresh)
    assert "'center'" in found.message
    assert found.hint is not None and "'centre'" in found.hint
    assert found.location is not None and found.location.path == "data/indicators.yaml"


def test_names_the_data_holds_are_known_words(fresh: Path) -> None:
    # A person of governance.yaml and a partner's own name, in a heading.
    edit_once(fresh, "data/governance.yaml", "name: Alex Morgan", "name: Alex Okonkwo")
    edit_once(fresh, "content/02-arrangements.md", "## Our groups", "## Okonkwo's groups")
    assert _spelling(fresh) == []


@pytest.mark.parametrize("where", ["report.yaml", "words.txt"])
def test_project_words_are_accepted(fresh: Path, where: str) -> None:
    edit_once(fresh, "content/02-arrangements.md", "## Our groups", "## Our Tiddlesworth groups")
    assert [d.message.split("'")[1] for d in _spelling(fresh)] == ["Tiddlesworth"]
    if where == "words.txt":
        (fresh / "words.txt").write_text("# places\nTiddlesworth\n", encoding="utf-8")
    else:
        config = fresh / "report.yaml"
        text = config.read_text(encoding="utf-8")
        assert "\nvalidation:\n" in text
        config.write_text(
            text.replace("\nvalidation:\n", "\nvalidation:\n  words: [Tiddlesworth]\n", 1),
            encoding="utf-8",
        )
    assert _spelling(fresh) == []


def test_acronyms_and_prose_are_not_spell_checked(fresh: Path) -> None:
    edit_once(fresh, "content/02-arrangements.md", "## Our groups", "## Our LADO and CDOP groups")
    edit_once(fresh, "content/02-arrangements.md", "The Executive sets", "The Exectuive sets")
    assert _spelling(fresh) == []


def test_without_a_dictionary_one_note_says_spelling_was_not_checked(
    fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportgen.checks import spelling

    monkeypatch.setattr(spelling, "dictionary", lambda: None)
    edit_once(fresh, "content/02-arrangements.md", "## Our groups", "## Our safegaurding groups")
    (note,) = _spelling(fresh)
    assert note.code == "content.spelling-unavailable"
    assert note.severity.value == "info"


def test_a_table_label_from_a_csv_is_checked(write_project: ProjectWriter) -> None:
    # The seed's child death table (AR 1186) with one row label misspelt.
    files = {
        "report.yaml": MINIMAL_CONFIG.replace(
            "sections:\n",
            "sections:\n  - id: deaths\n    title: Child deaths\n    file: content/deaths.md\n",
        ),
        "data/budget.yaml": BUDGET,
        "content/budget.md": BUDGET_MD,
        "content/deaths.md": "{{ table tables.factors }}\n",
        "data/tables.yaml": "tables:\n  - id: factors\n    title: Modifiable factors\n"
        "    file: data/tables/factors.csv\n    disclosure: none\n",
        "data/tables/factors.csv": "Factor,Cases\nPoor interagency comunication,12\n"
        "Smoking in pregnancy,9\n",
    }
    root = write_project(files)
    found = [d for d in validate(root).diagnostics if d.code == "content.spelling"]
    assert [d.message.split("'")[1] for d in found] == ["comunication"]
    assert found[0].location is not None
    assert (found[0].location.path, found[0].location.line) == ("data/tables/factors.csv", 2)


def test_names_are_known_by_the_fields_meaning_not_its_name(fresh: Path) -> None:
    # `agency:` is marked ProperName in the schema: its words are the project's own,
    # though no name list ever held the field's name.
    edit_once(fresh, "data/partners.yaml", "  - agency: police", "  - agency: Tiddlesworth Police")
    edit_once(fresh, "content/02-arrangements.md", "## Our groups", "## Our Tiddlesworth groups")
    assert _spelling(fresh) == []


def test_labels_are_the_fields_the_schema_marks_label(fresh: Path) -> None:
    from reportgen.checks.spelling import _labels
    from reportgen.checks.text import all_items

    result = validate(fresh)
    assert result.project is not None
    items = list(all_items(result.project))
    chosen = {(i.path, i.field) for i in _labels(items) if i.kind != "heading"}
    # A title and a figure's label are checked; a description and a note are prose.
    assert ("data/indicators.yaml", "indicators.indicators.0.label") in chosen
    assert ("report.yaml", "sections.0.title") in chosen
    assert not any(field.endswith((".description", ".note", ".text")) for _, field in chosen)


def _schemas() -> list[type[BaseModel]]:
    from reportgen.datasets import declared

    return [d.schema for d in declared()]


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    if model in seen:
        return
    seen.add(model)
    yield model
    for meaning in model_meanings(model):
        for annotation in (meaning.annotation, meaning.item):
            for arg in (annotation, *typing.get_args(annotation)):
                for inner in (arg, *typing.get_args(arg)):
                    if isinstance(inner, type) and issubclass(inner, BaseModel):
                        yield from _models(inner, seen)


def test_every_printed_title_or_label_of_a_data_file_is_marked_label() -> None:
    # The spelling check finds labels by meaning: a new dataset's `title:` that is not
    # marked `Label` (or a `Token`, not words at all) would go unchecked.
    seen: set[type[BaseModel]] = set()
    unmarked = [
        f"{model.__name__}.{meaning.name}"
        for schema in _schemas()
        for model in _models(schema, seen)
        for meaning in model_meanings(model)
        if meaning.name in ("title", "label", "caption", "heading", "grade")
        and not any(isinstance(m, Label | Token) for m in meaning.meanings)
    ]
    assert unmarked == []

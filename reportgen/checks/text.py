"""Every piece of text in a project, with where it is: for the text-based checks.

Narrative is walked token by token (paragraphs, list items, headings, table cells);
data files are walked field by field. `{{ references }}` are masked (same length, no
letters or digits), so checks see the author's own words and offsets stay valid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from reportgen.checks.fields import CONFIG, FieldValue, dataset_values, project_values
from reportgen.diagnostics import Location
from reportgen.model.meaning import Label
from reportgen.project import Project

Kind = Literal["paragraph", "item", "heading", "cell", "data", "title", "empty-item"]
# The kinds `narrative_items` yields ("data" is a data file's, "title" report.yaml's).
NARRATIVE_KINDS = frozenset({"paragraph", "item", "heading", "cell", "empty-item"})

_REF = re.compile(r"\{\{.*?\}\}")


def mask_refs(text: str) -> str:
    """`{{ x }}` replaced by '#' of the same length: no words, offsets kept."""
    return _REF.sub(lambda m: "#" * len(m.group(0)), text)


@dataclass(frozen=True)
class TextItem:
    """One paragraph, list item, heading, table cell or data field."""

    text: str  # as written (references masked)
    kind: Kind
    path: str  # file, relative to the project
    line: int | None  # first line (narrative) or the field's line (data)
    column: int | None = None
    source: str = ""  # section id (narrative) or dataset name (data)
    field: str = ""  # data: dotted path of the field, e.g. priorities.0.progress.1
    label: bool = False  # a heading, or a field the schema marks `Label` (a title, a caption)

    @property
    def narrative(self) -> bool:
        return self.kind not in ("data", "title")

    def location(self, offset: int = 0) -> Location:
        """Where `offset` into the text is: narrative counts lines, data points at the field."""
        if self.narrative and self.line is not None:
            return Location(self.path, self.line + self.text.count("\n", 0, offset))
        return Location(self.path, self.line, self.column)


def narrative_items(project: Project) -> Iterator[TextItem]:
    """Paragraphs, list items, headings and table cells of every section, in order."""
    for section in project.config.sections:
        source = project.narrative.get(section.id)
        if source is None:
            continue
        tokens = source.tokens
        context: list[str] = []
        for i, tok in enumerate(tokens):
            if tok.type.endswith("_open"):
                context.append(tok.type.removesuffix("_open"))
                if tok.type == "list_item_open" and tokens[i + 1].type == "list_item_close":
                    line = tok.map[0] + 1 if tok.map else None
                    yield TextItem("", "empty-item", source.path, line, source=section.id)
            elif tok.type.endswith("_close") and context:
                context.pop()
            elif tok.type == "inline":
                line = tok.map[0] + 1 if tok.map else None
                if "heading" in context:
                    kind: Kind = "heading"
                elif "th" in context or "td" in context:
                    kind = "cell"
                elif "list_item" in context:
                    kind = "item"
                else:
                    kind = "paragraph"
                yield TextItem(mask_refs(tok.content), kind, source.path, line, source=section.id)


def data_items(project: Project) -> Iterator[TextItem]:
    """Every field of every loaded data file that holds words, with the line it is on.

    Which fields hold words is the schema's to say (`reportgen.model.meaning`): ids,
    references, file names and settings are not checked as text."""
    for value in project_values(project, config=False):
        if value.words and not value.key:
            yield _item(value, "data")


def config_items(project: Project) -> Iterator[TextItem]:
    """Titles and other words in report.yaml."""
    for value in dataset_values(project, CONFIG, project.config):
        if value.words and not value.key:
            yield _item(value, "title")


def _item(value: FieldValue, kind: Kind) -> TextItem:
    loc = value.location
    return TextItem(
        mask_refs(str(value.value)),
        kind,
        loc.path,
        loc.line,
        loc.column,
        source=value.dataset,
        field=".".join(str(p) for p in (value.dataset, *value.path))
        if kind == "data"
        else ".".join(str(p) for p in value.path),
        label=value.marked(Label) is not None,
    )


def all_items(project: Project) -> Iterator[TextItem]:
    yield from config_items(project)
    yield from narrative_items(project)
    yield from data_items(project)


def sentence_at(text: str, offset: int) -> str:
    """The sentence of `text` that contains `offset` (roughly: split at . ! ? and newlines)."""
    start = max(text.rfind(". ", 0, offset), text.rfind("\n", 0, offset), -1) + 1
    ends = [i for i in (text.find(". ", offset), text.find("\n", offset)) if i != -1]
    end = min(ends) if ends else len(text)
    return text[start:end]


def normalise(text: str) -> str:
    """Lower case, words only: for comparing texts that should not repeat."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))

"""`reportgen init`: a new report project, complete, commented and valid from the start.

The files come from `reportgen/scaffold/` (text templates, so their comments are
written for a business manager, not generated). A few tokens are filled in:

    @@PARTNERSHIP@@ @@SHORT@@ @@AREA@@   the names (add _Q for a YAML-quoted form)
    @@AREA_ID@@ @@BASENAME@@             ids made from the names
    @@DOCUMENT@@                         what the kind calls the document, e.g. yearly report
    @@PERIOD@@ @@PREVIOUS@@ @@NEXT@@     year labels, e.g. 2024/25, 2023/24, 2025/26
    @@PLAN_LABEL@@ @@PLAN_START@@ @@PLAN_END@@  a business plan's two years after the period
    @@START@@ @@END@@ @@PUBLISHED@@      dates of the period and of publication
    @@DATE+N@@                           N days after the period starts
    @@MODELINE@@                         the YAML language server's schema comment

Other kinds of document (`--kind`) take their own files from `reportgen/scaffolds/KIND/`
and share the annual report's governance.yaml, .gitignore and workflow.

The JSON Schemas are written into `schemas/`, so an editor checks the files at once.
A `.gitignore` and a GitHub Actions workflow (`.github/workflows/report.yml`) come too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from reportgen.datasets import declared
from reportgen.identifiers import anchor
from reportgen.jsonschema import modeline, schema_names, write_schemas
from reportgen.kinds import DocumentKind, default_kind, kind_named, kind_names
from reportgen.write import write_atomic

_PERIOD = re.compile(r"^(\d{4})/(\d{2})$")
_DATE_TOKEN = re.compile(r"@@DATE\+(\d+)@@")
_TOKEN = re.compile(r"@@[A-Z_+0-9]+@@")
_SMALL_WORDS = {"and", "of", "the", "for", "in", "on"}


class ScaffoldError(Exception):
    """The project cannot be created (the folder is not empty, a name is unusable)."""


def _yaml_text(value: str) -> str:
    # JSON strings are valid YAML double-quoted scalars.
    return json.dumps(value, ensure_ascii=False)


def _slug(text: str) -> str:
    return anchor(text) or "report"


def initials(name: str) -> str:
    """'Newham Safeguarding Children Partnership' -> 'NSCP'."""
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", name) if w.lower() not in _SMALL_WORDS]
    return "".join(w[0].upper() for w in words) or "SCP"


def last_complete_year(today: dt.date) -> str:
    """The most recent April-to-March year that has ended, e.g. 2024/25 in June 2025."""
    start = today.year - 1 if today.month >= 4 else today.year - 2
    return f"{start}/{(start + 1) % 100:02d}"


def _period(label: str) -> tuple[int, str]:
    match = _PERIOD.match(label)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ScaffoldError(f"expected a year such as 2024/25 for --period, got '{label}'")
    return int(match.group(1)), label


def _check_name(what: str, value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise ScaffoldError(f"{what} is empty")
    if "{{" in value or "@@" in value or "<" in value:
        raise ScaffoldError(f"{what} cannot contain '{{{{', '@@' or '<': {value!r}")
    return value


# Packaged without their leading dot (package-data globs skip hidden files), written
# with it: the .gitignore and the GitHub Actions workflow (README: Publish from CI).
_DOT_FILES = ("gitignore", "github/")


def _project_rel(packaged: str) -> str:
    return f".{packaged}" if packaged.startswith(_DOT_FILES) else packaged


# What every kind's project takes from the annual report's scaffold, with the data files
# of the annual report's that the kind reads too (governance.yaml, for arrangements).
_SHARED = (".gitignore", ".github/")


def template_files(kind: DocumentKind | None = None) -> dict[str, Traversable]:
    """{project-relative path: packaged template} for every file of a new project."""
    found: dict[str, Traversable] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for item in folder.iterdir():
            if item.is_dir():
                walk(item, f"{prefix}{item.name}/")
            elif not item.name.startswith("."):
                found[_project_rel(f"{prefix}{item.name}")] = item

    walk(files("reportgen") / "scaffold", "")
    if kind is not None and kind is not default_kind():
        shared = (*_SHARED, *(d.file for d in kind.accepted()))
        found = {rel: item for rel, item in found.items() if rel.startswith(shared)}
        walk(files("reportgen") / "scaffolds" / kind.name, "")
    return dict(sorted(found.items()))


def starter_texts(kind: DocumentKind | None = None) -> dict[str, str]:
    """{project-relative path: template text} for every file of a new project of `kind`:
    the packaged scaffold, and the starters its datasets declare for files it lacks."""
    kind = kind or default_kind()
    texts = {rel: t.read_text(encoding="utf-8") for rel, t in template_files(kind).items()}
    accepted = {d.name for d in kind.accepted()}
    for dataset in declared():
        if dataset.name not in accepted:
            continue
        if dataset.starter is not None and dataset.file not in texts:
            texts[dataset.file] = dataset.starter
    return dict(sorted(texts.items()))


def render(
    text: str,
    rel: str,
    *,
    partnership: str,
    short_name: str,
    area: str,
    period: str,
    kind: DocumentKind | None = None,
) -> str:
    """One template with its tokens filled in."""
    start_year, label = _period(period)
    start = dt.date(start_year, 4, 1)
    end = dt.date(start_year + 1, 3, 31)
    names = {"PARTNERSHIP": partnership, "SHORT": short_name, "AREA": area}
    tokens = {
        **names,
        **{f"{key}_Q": _yaml_text(value) for key, value in names.items()},
        "AREA_ID": _slug(area),
        # An annual report is named with its year; the other kinds are not yearly.
        "BASENAME": _slug(
            f"{short_name} annual report {label}"
            if kind is None or kind is default_kind()
            else f"{short_name} {kind.name}"
        ),
        "DOCUMENT": (kind or default_kind()).wording.document,
        "PERIOD": label,
        "PREVIOUS": f"{start_year - 1}/{start_year % 100:02d}",
        "NEXT": f"{start_year + 1}/{(start_year + 2) % 100:02d}",
        "START": start.isoformat(),
        "END": end.isoformat(),
        "PUBLISHED": dt.date(start_year + 1, 9, 30).isoformat(),
        "PLAN_LABEL": f"{start_year + 1} to {start_year + 3}",
        "PLAN_START": dt.date(start_year + 1, 4, 1).isoformat(),
        "PLAN_END": dt.date(start_year + 3, 3, 31).isoformat(),
    }
    if rel in schema_names(kind):
        tokens["MODELINE"] = modeline(rel, kind=kind)
    text = _DATE_TOKEN.sub(lambda m: (start + dt.timedelta(int(m.group(1)))).isoformat(), text)
    text = _TOKEN.sub(lambda m: tokens.get(m.group(0).strip("@"), m.group(0)), text)
    left = _TOKEN.search(text)
    if left:
        raise ValueError(f"scaffold template {rel}: unknown token {left.group(0)}")
    return text


def create_project(
    directory: Path,
    *,
    partnership: str,
    short_name: str | None = None,
    area: str | None = None,
    period: str | None = None,
    today: dt.date | None = None,
    kind: str | None = None,
) -> list[Path]:
    """Write a new project into `directory` (new or empty); return the files written."""
    document = kind_named(kind) if kind is not None else default_kind()
    if document is None:
        raise ScaffoldError(
            f"there is no kind of document called '{kind}'; use one of: " + ", ".join(kind_names())
        )
    partnership = _check_name("the partnership name", partnership)
    short_name = _check_name("the short name", short_name or initials(partnership))
    area = _check_name("the area", area or f"{partnership} area")
    label = period or last_complete_year(today or dt.date.today())
    _period(label)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise ScaffoldError(f"{directory} is not an empty folder; choose a new one")
    written: list[Path] = []
    for rel, template in starter_texts(document).items():
        text = render(
            template,
            rel,
            partnership=partnership,
            short_name=short_name,
            area=area,
            period=label,
            kind=document,
        )
        target = directory / rel
        write_atomic(target, text.encode("utf-8"))
        written.append(target)
    written += write_schemas(directory / "schemas", document)
    return written

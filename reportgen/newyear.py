"""`reportgen new-year`: next year's project, made from this year's.

The new project is a copy of this one, moved on a year: the period, the titles that
name it and the dates of snapshot figures move on; each indicator's value becomes last
year's (`prior`) and last year's joins its `history`; this year's plan for next year
becomes next year's priorities and last year's plan to report on; review and audit
recommendations still open are carried with their last status. What only a person can
do is written into report.yaml under `last_year:` (narrative files not yet reviewed,
figures to type) so that `validate` lists it until it is done.

YAML is edited with ruamel.yaml, which keeps the author's comments and key order. The
new project is written into a temporary folder beside the target and renamed into
place at the end, so a failed run leaves no half-made project.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.diagnostics import DiagnosticList
from reportgen.identifiers import anchor
from reportgen.layout import CONFIG_FILE, INPUT_DIRS, input_files
from reportgen.load.indicator_parts import sum_of_parts
from reportgen.project import Project, last_year_files, load_project, project_files

# A year, or a year label (2024/25) or file-name label (2024-25), standing alone.
_YEARS = re.compile(r"(?<!\d)(20\d{2})(?:([/-])(\d{2}))?(?!\d)")
_LABEL = re.compile(r"^\d{4}/\d{2}$")


class NewYearError(Exception):
    """The new project cannot be made (the message says why, in plain words)."""


@dataclass
class NewYearResult:
    """What `new_year` did, for the command to print."""

    target: Path
    period: str
    carried: list[str] = field(default_factory=list)
    reset: list[str] = field(default_factory=list)
    needs_person: list[str] = field(default_factory=list)


def shift_years(text: str) -> str:
    """Every year and year label in `text` one year on: 2024/25 -> 2025/26, 2025 -> 2026."""

    def one(match: re.Match[str]) -> str:
        year = int(match.group(1)) + 1
        if match.group(2) is None:
            return str(year)
        return f"{year}{match.group(2)}{(year + 1) % 100:02d}"

    return _YEARS.sub(one, text)


def next_date(day: dt.date) -> dt.date:
    """The same day a year on (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def new_year(source: Path, target: Path) -> NewYearResult:
    """Make next year's project from the one at `source`, in the new folder `target`."""
    source = source.resolve()
    target = target.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise NewYearError(f"{target} already exists and is not empty: name a new folder")
    if target == source or any(target.is_relative_to(source / d) for d in INPUT_DIRS):
        # Inside content/, data/ or templates/ it would become an input of this project.
        raise NewYearError("the new project must be a folder of its own, outside this one")
    diags = DiagnosticList()
    project = load_project(source, diags)
    if project is None or project.period is None or diags.has_errors():
        raise NewYearError(
            f"{source} does not validate: run `reportgen validate {source}` and correct it first"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.{os.getpid()}-", dir=target.parent))
    try:
        result = _make(project, source, target, work)
        if target.exists():
            target.rmdir()  # empty, checked above
        os.replace(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return result


def _make(project: Project, source: Path, target: Path, work: Path) -> NewYearResult:
    assert project.period is not None
    old = project.period
    new_label = old.shifted(1)
    result = NewYearResult(target, new_label)
    # Not last year's own report (archive/...): the new one checks against this one.
    files = sorted(set(input_files(source, project_files(project))) - last_year_files(project))
    for rel in files:
        if not (source / rel).is_file():
            continue
        (work / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / rel, work / rel)
    sections = [s.file for s in project.config.sections]
    to_fill: list[str] = []
    edits: dict[str, Callable[[Any], list[str]]] = {
        "data/indicators.yaml": lambda d: _indicators(d, old.label, old.start, old.end, result),
        "data/priorities.yaml": lambda d: _priorities(d, old.label, new_label, result),
        "data/reviews.yaml": lambda d: _reviews(d, old.label, result, old.shifted(-1)),
        "data/training.yaml": lambda d: _training(d, old.label, new_label, result, old.shifted(-1)),
    }
    for rel, edit in edits.items():
        if (work / rel).is_file():
            data = _load(work / rel)
            to_fill += edit(data)
            _dump(work / rel, data)
    for declared in project.kind.accepted():
        if declared.file not in edits and (work / declared.file).is_file():
            to_fill.append(declared.file)
            result.needs_person.append(
                f"{declared.file}: copied as it was; update it for {new_label}"
            )
    _drop_blocks(work, sections, result)
    config = _load(work / CONFIG_FILE)
    # Relative when the two projects share a folder (they move together), else absolute.
    common = Path(os.path.commonpath([source, target]))
    relative = os.path.relpath(source, target) if common != Path(common.anchor) else str(source)
    _config(config, old.label, relative, sections, to_fill, result)
    _dump(work / CONFIG_FILE, config)
    result.carried.append(f"{len(sections)} narrative files, each marked as not yet reviewed")
    return result


def _drop_blocks(work: Path, sections: list[str], result: NewYearResult) -> None:
    """Take out of the narrative the blocks of what the new year no longer has (last
    year's priorities, last year's plan), which would otherwise fail to resolve."""
    priorities = work / "data/priorities.yaml"
    if not priorities.is_file():
        return
    data = _load(priorities)
    kept = {str(p["id"]) for p in data.get("priorities", [])}
    has_plan = data.get("next_year") is not None
    block = re.compile(
        r"^\s*\{\{\s*[a-z]+\s+(priorities\.[A-Za-z0-9_-]+|next_year\.[a-z_]+)\s*\}\}\s*$"
    )
    for rel in sections:
        path = work / rel
        if not path.is_file():
            continue
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out: list[str] = []
        for number, line in enumerate(lines, 1):
            match = block.match(line)
            target = match.group(1) if match else ""
            gone = (target.startswith("next_year.") and not has_plan) or (
                target.startswith("priorities.")
                and target.split(".", 1)[1] not in kept
                and target.split(".", 1)[1] != "themes"
            )
            if gone:
                result.reset.append(
                    f"{rel}:{number}: took out {line.strip()} (no longer in the data)"
                )
                continue
            out.append(line)
        if len(out) != len(lines):
            path.write_text("".join(out), encoding="utf-8")


# --- YAML, round trip --------------------------------------------------------------


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip: comments, key order and quoting are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the author wrote on one
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _load(path: Path) -> Any:
    return _yaml().load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data: Any) -> None:
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _map(**items: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap

    made = CommentedMap()
    for key, value in items.items():
        if value is not None:
            made[key] = value
    return made


def _seq(items: list[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq(items)


def _insert_after(mapping: Any, after: str, key: str, value: Any) -> None:
    """Set `key` right after `after` (at the end when `after` is missing), keeping order."""
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping.keys())
    position = keys.index(after) + 1 if after in keys else len(keys)
    mapping.insert(position, key, value)


# --- report.yaml ---------------------------------------------------------------------


def _config(
    config: Any,
    old_label: str,
    relative: str,
    sections: list[str],
    to_fill: list[str],
    result: NewYearResult,
) -> None:
    period = config["period"]
    period["label"] = shift_years(str(period["label"]))
    period["start"] = next_date(_as_date(period["start"]))
    period["end"] = next_date(_as_date(period["end"]))
    result.reset.append(f"period: {old_label} -> {period['label']}")
    if isinstance(config.get("published"), dt.date | str):
        config["published"] = next_date(_as_date(config["published"]))
        result.needs_person.append(
            f"report.yaml: check the publication date ({config['published']})"
        )
    for key in ("title", "subtitle"):
        if isinstance(config.get(key), str):
            config[key] = shift_years(config[key])
    for section in config.get("sections", []):
        section["title"] = shift_years(str(section["title"]))
    outputs = config.get("outputs")
    if outputs is not None and isinstance(outputs.get("basename"), str):
        outputs["basename"] = shift_years(outputs["basename"])
    glance = config.get("at_a_glance")
    if glance is not None and isinstance(glance.get("title"), str):
        glance["title"] = shift_years(glance["title"])
    result.reset.append("titles and section titles naming the year, and the output file name")
    keys = list(config.keys())
    if "last_year" in keys and keys.index("last_year") > 0:
        # Its comment (on the key before, in ruamel's model) was about the old last year.
        before = keys[keys.index("last_year") - 1]
        if before in config.ca.items and len(config.ca.items[before]) > 2:
            config.ca.items[before][2] = None
    config["last_year"] = _map(
        project=relative,
        not_reviewed=_seq(list(sections)),
        to_fill=_seq(to_fill),
    )
    config.yaml_set_comment_before_after_key(
        "last_year",
        before=f"\nWritten by `reportgen new-year` from the {old_label} report. Delete each\n"
        "line below once it is done: `reportgen validate` lists what is left, and the\n"
        "report is not ready until not_reviewed and to_fill are empty.",
    )


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


# --- indicators ----------------------------------------------------------------------


def _indicators(
    data: Any, old_label: str, start: dt.date, end: dt.date, result: NewYearResult
) -> list[str]:
    """Values to prior, prior to history; returns the figures to fill."""
    to_fill: list[str] = []
    undated: list[str] = []
    part_year: list[str] = []
    march = f"March {end.year}"
    for group in data.get("groups", []):
        title = str(group.get("title", ""))
        if old_label in title or march in title:
            group["title"] = shift_years(title)
    previous = f"{start.year - 1}/{start.year % 100:02d}"
    by_id = {ind.get("id"): ind for ind in data.get("indicators", [])}
    for ind in data.get("indicators", []):
        ident = str(ind["id"])
        period = ind.get("period")
        as_at = ind.get("as_at")
        this_year = (period is not None and str(period) == old_label) or (
            as_at is not None and start <= _as_date(as_at) <= end
        )
        if period is not None and not _LABEL.match(str(period)):
            part_year.append(ident)
            continue
        if not this_year:
            undated.append(ident)
            continue
        if ind.get("prior") is not None:
            before = str(ind.get("prior_period") or previous)
            if _LABEL.match(before):
                history = ind.get("history")
                if history is None:
                    history = _seq([])
                    _insert_after(ind, "prior_period", "history", history)
                if not any(str(h.get("period")) == before for h in history):
                    point = _map(period=before, value=ind["prior"])
                    at = next(
                        (k for k, h in enumerate(history) if str(h.get("period")) > before),
                        len(history),
                    )
                    history.insert(at, point)
        # One with `parts` and no `value` is their sum: this year's sum becomes its prior,
        # and next year it is worked out again from its parts (nothing to type).
        typed = "value" in ind
        value = ind["value"] if typed else sum_of_parts(ind, by_id)
        if value is None:
            continue  # a part cannot be read: an error, and new-year starts from a valid project
        if not typed:
            value = int(value) if value == value.to_integral_value() else float(value)
        anchor = (
            "as_at"
            if "as_at" in ind
            else "period"
            if "period" in ind
            else "value"
            if typed
            else "unit"
        )
        _insert_after(ind, anchor, "prior", value)
        _insert_after(ind, "prior", "prior_period", old_label)
        if period is not None:
            ind["period"] = shift_years(str(period))
        if as_at is not None:
            ind["as_at"] = next_date(_as_date(as_at))
        if typed:
            to_fill.append(f"indicator.{ident}")
    result.carried.append(
        f"{len(to_fill)} indicators: this year's value is now last year's (prior), and last "
        "year's joins the history"
    )
    result.reset.append(
        f"{len(to_fill)} indicator values: still {old_label}'s until typed (listed under "
        "last_year: to_fill)"
    )
    if undated:
        result.needs_person.append(
            f"{len(undated)} indicators with no period or date, copied as they were: check "
            f"they still hold ({', '.join(undated)})"
        )
    if part_year:
        result.needs_person.append(
            f"{len(part_year)} indicators for part of a year, copied as they were: "
            f"{', '.join(part_year)}"
        )
    return to_fill


# --- priorities ----------------------------------------------------------------------


def _slug(text: str) -> str:
    return anchor(text)[:40].strip("-") or "priority"


def _priorities(data: Any, old_label: str, new_label: str, result: NewYearResult) -> list[str]:
    """Next year's plan becomes this year's priorities and the plan to report on."""
    plan = data.get("next_year")
    if plan is None:
        result.needs_person.append(
            f"data/priorities.yaml: the {old_label} report has no plan for {new_label}; "
            "the priorities were copied as they were"
        )
        return ["data/priorities.yaml"]
    carried: list[Any] = []
    seen: set[str] = set()
    for theme in plan.get("priorities", []):
        ident = _slug(str(theme["title"]))
        while ident in seen:
            ident += "-2"
        seen.add(ident)
        description = theme.get("description")
        carried.append(
            _map(
                id=ident,
                title=str(theme["title"]),
                rationale=f"The {old_label} report set '{theme['title']}' as a priority for "
                f"{new_label}.",
                planned_impact=str(description) if description else str(theme["title"]),
                progress=_seq([]),
                status="not_started",
            )
        )
    actions = [
        f"{a['title']}: {a['description']}" if a.get("description") else str(a["title"])
        for a in plan.get("actions", [])
    ]
    ended = [str(p["title"]) for p in data.get("priorities", [])]
    data["themes"] = plan.get("themes", _seq([]))
    data["priorities"] = _seq(carried)
    data["last_year_plan"] = _seq(actions)
    del data["next_year"]
    result.carried.append(
        f"{len(carried)} priorities from the plan for {new_label} (progress to write), and "
        f"{len(actions)} planned actions as the plan to report on (last_year_plan)"
    )
    result.reset.append(
        f"{len(ended)} priorities of {old_label} replaced by the plan's: {', '.join(ended)}"
    )
    result.needs_person.append(
        f"data/priorities.yaml: write the plan for {shift_years(new_label)} (next_year), and "
        "place the new priorities in the narrative ({{ cards priorities }})"
    )
    return [f"priority.{p['id']}" for p in carried]


# --- reviews -------------------------------------------------------------------------


def _earlier(data: Any, figure: str, period: str, value: Any, old_label: str) -> None:
    """Add the year before last's figure to `history`, as the last report published it."""
    entries = data.get("history")
    if entries is None:
        entries = data["history"] = _seq([])
    if any(str(e.get("period")) == period for e in entries):
        return  # already held: the history check compares the two
    entries.append(_map(period=period, **{figure: value}, source=f"{old_label} report"))


def _training(
    data: Any, old_label: str, new_label: str, result: NewYearResult, before: str
) -> list[str]:
    """This year's printed bookings become last year's; last year's join the history.
    The training year moves on a year with the report's (its dates are checked then)."""
    for key in ("start", "end"):
        day = data.get(key)
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        if isinstance(day, dt.date):
            data[key] = next_date(day)
    totals = data.get("totals") or {}
    bookings = totals.get("bookings")
    if bookings is not None:
        if data.get("prior_bookings") is not None:
            _earlier(data, "bookings", before, data["prior_bookings"], old_label)
        data["prior_bookings"] = bookings
        if hasattr(data, "ca"):  # its comment named the year before: it would now mislead
            data.ca.items.pop("prior_bookings", None)
        result.carried.append(
            f"training: {old_label}'s {bookings} bookings are now prior_bookings"
            + (f", {before}'s join the history" if data.get("history") else "")
        )
    result.needs_person.append(
        f"data/training.yaml: type {new_label}'s totals, courses and evaluation, and check "
        "the training year's dates (moved on a year)"
    )
    return ["data/training.yaml"]


def _reviews(data: Any, old_label: str, result: NewYearResult, before: str) -> list[str]:
    """Reviews and audits with open recommendations stay (as earlier work); others go."""
    kept_recs = 0
    dropped: list[str] = []
    for key in ("reviews", "audits"):
        records = data.get(key)
        if not records:
            continue
        kept: list[Any] = []
        for record in records:
            recs = record.get("recommendations") or []
            open_recs = [r for r in recs if str(r.get("status")) != "complete"]
            if not open_recs:
                dropped.append(str(record.get("id")))
                continue
            record["recommendations"] = _seq(open_recs)
            record["timing"] = "prior"  # from an earlier year: its dates are not this year's
            kept_recs += len(open_recs)
            kept.append(record)
        data[key] = _seq(kept)
    for key in ("events", "briefings"):
        if data.get(key):
            dropped.append(f"{len(data[key])} {key}")
            data[key] = _seq([])
    result.carried.append(
        f"{kept_recs} open review and audit recommendations, with their last status"
    )
    if dropped:
        result.reset.append(
            f"data/reviews.yaml: left out, with nothing open to carry: {', '.join(dropped)}"
        )
    notifications = data.get("notifications")
    if notifications is not None and notifications.get("incidents") is not None:
        if notifications.get("prior_incidents") is not None:
            _earlier(
                notifications, "incidents", before, notifications["prior_incidents"], old_label
            )
        notifications["prior_incidents"] = notifications["incidents"]
        result.needs_person.append(
            "data/reviews.yaml: type this year's serious incident notifications (last "
            "year's count is now prior_incidents)"
        )
    return ["data/reviews.yaml"]

"""Statutory completeness: the report against a completeness profile, as a checklist.

The profile (packaged `reportgen/profiles/wt2023.yaml`, or the project's own) lists
what the yearly report must and should contain and what counts as evidence. Each item
comes out met, partly or missing, pointing at the data or section that satisfies it,
or saying what to add. A missing `must` item is a warning
(completeness.missing-required), a missing `should` item an info.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources
from typing import Any

from pydantic import BaseModel, ValidationError

from reportgen.derive import Derived
from reportgen.diagnostics import Code, DiagnosticList, Location, Severity
from reportgen.load.positions import Origins
from reportgen.load.schema import schema_diagnostics
from reportgen.load.yaml_source import load_yaml
from reportgen.model.budget import Budget
from reportgen.model.governance import STATUTORY_TYPES, Governance
from reportgen.model.partners import Partners
from reportgen.model.profile import Evidence, Profile, ProfileItem, Requirement, Status
from reportgen.model.validation import NO_PROFILE
from reportgen.project import Project, inside_project, reference_sources
from reportgen.views import BlockKey

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONFIG_PROFILE_NOT_FOUND = Code(
    "config.profile-not-found",
    Severity.ERROR,
    "The completeness profile cannot be found",
    """
    `validation: profile:` names a packaged profile (`wt2023`), a YAML file inside the
    project, or `none`. A project profile may `extends: wt2023` and add, replace or
    `drop` items.
    """,
)
COMPLETENESS_MISSING_REQUIRED = Code(
    "completeness.missing-required",
    Severity.WARNING,
    "The report lacks something the guidance says it must contain",
    """
    An item the completeness profile marks `must` has no evidence in the data or the
    narrative. `reportgen validate` prints the whole checklist with what satisfies each
    item and what is missing.
    """,
)
COMPLETENESS_MISSING_RECOMMENDED = Code(
    "completeness.missing-recommended",
    Severity.INFO,
    "The report lacks something the guidance says it should contain",
    "An item the completeness profile marks `should` has no evidence.",
)

RANK = {Status.MISSING: 0, Status.PARTLY: 1, Status.MET: 2}


@dataclass
class ChecklistItem:
    """One profile item, judged."""

    id: str
    requirement: Requirement
    title: str
    status: Status
    found: list[str] = field(default_factory=list)  # what satisfies it, with file and line
    missing: str | None = None  # what is missing, and what to add

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "requirement": self.requirement.value,
            "title": self.title,
            "status": self.status.value,
            "found": list(self.found),
            "missing": self.missing,
        }


@dataclass
class Checklist:
    """The whole checklist of one profile."""

    profile: str
    title: str
    items: list[ChecklistItem]

    def to_json(self) -> dict[str, object]:
        return {
            "profile": self.profile,
            "title": self.title,
            "items": [i.to_json() for i in self.items],
        }

    def format_text(self) -> list[str]:
        """Lines of the printed checklist."""
        counts = {s: sum(i.status is s for i in self.items) for s in Status}
        lines = [
            f"Completeness: {self.title} (profile {self.profile}): "
            f"{counts[Status.MET]} met, {counts[Status.PARTLY]} partly, "
            f"{counts[Status.MISSING]} missing"
        ]
        for item in self.items:
            mark = {Status.MET: "[x]", Status.PARTLY: "[~]", Status.MISSING: "[ ]"}[item.status]
            lines.append(
                f"  {mark} {item.status.value:<7} {item.requirement.value:<6} {item.id}: "
                f"{item.title}"
            )
            lines += [f"        found: {f}" for f in item.found]
            if item.missing:
                lines.append(f"        missing: {item.missing}")
        return lines


# --- profiles ----------------------------------------------------------------------


def packaged_profile(name: str) -> Profile | None:
    """A profile shipped in reportgen/profiles/, or None."""
    import yaml

    if not re.fullmatch(r"[a-z0-9_-]+", name):
        return None
    resource = resources.files("reportgen").joinpath(f"profiles/{name}.yaml")
    if not resource.is_file():
        return None
    # Our own trusted file: the C loader reads it about ten times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return Profile.model_validate(yaml.load(resource.read_text("utf-8"), Loader=loader))


def packaged_profiles() -> list[str]:
    folder = resources.files("reportgen").joinpath("profiles")
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_profile(project: Project, diags: DiagnosticList) -> Profile | None:
    """The profile report.yaml selects (None for `none` or when it cannot be loaded)."""
    # Unless report.yaml names one, the kind's own (an annual report: wt2023).
    name = project.config.validation.profile or project.kind.profile
    where = project.where(project.config.validation, "profile")
    if name == NO_PROFILE:
        return None
    if not name.endswith((".yaml", ".yml")):
        found = packaged_profile(name)
        if found is None:
            diags.emit(
                CONFIG_PROFILE_NOT_FOUND,
                f"there is no packaged completeness profile '{name}'",
                where,
                "use one of: "
                + ", ".join([*packaged_profiles(), NO_PROFILE])
                + ", or the path of a YAML file in the project",
            )
        return found
    path = inside_project(project.root, name, where, diags)
    if path is None:
        return None
    if not path.is_file():
        diags.emit(
            CONFIG_PROFILE_NOT_FOUND,
            f"profile file '{name}' does not exist",
            where,
            "check the path; it is relative to the project folder",
        )
        return None
    doc, problems = load_yaml(path, name)
    diags.extend(problems)
    if doc is None:
        return None
    try:
        own = Profile.model_validate(doc.data)
    except ValidationError as exc:
        schema_diagnostics(exc, doc.source_map, Profile, diags)
        return None
    origins = Origins()
    origins.record(own, doc.source_map)
    if own.extends is None:
        return own
    base = packaged_profile(own.extends)
    if base is None:
        diags.emit(
            CONFIG_PROFILE_NOT_FOUND,
            f"profile '{name}' extends '{own.extends}', which is not a packaged profile",
            origins.where(own, "extends"),
            "use one of: " + ", ".join(packaged_profiles()),
        )
        return None
    return _merge(base, own)


def _merge(base: Profile, own: Profile) -> Profile:
    replaced = {item.id: item for item in own.items}
    items = [replaced.pop(i.id, i) for i in base.items if i.id not in own.drop]
    items += list(replaced.values())
    return Profile(id=own.id, title=own.title, items=items)


# --- evidence -------------------------------------------------------------------------


@dataclass
class Finding:
    status: Status
    found: list[str] = field(default_factory=list)
    missing: str | None = None


def _where(loc: Location) -> str:
    return f"{loc.path}:{loc.line}" if loc.line else loc.path


def _filled(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str | list | tuple | dict):
        return bool(value)
    return True


def _resolve(project: Project, path: str) -> list[tuple[tuple[str | int, ...], Any]] | None:
    """(data path, value) pairs a dotted path reaches; `[]` fans out over a list."""
    dataset, *parts = path.split(".")
    model = project.datasets.get(dataset)
    if model is None:
        return None
    current: list[tuple[tuple[str | int, ...], Any]] = [((), model)]
    for part in parts:
        fan = part.endswith("[]")
        name = part.removesuffix("[]")
        following: list[tuple[tuple[str | int, ...], Any]] = []
        for at, value in current:
            child = getattr(value, name, None) if isinstance(value, BaseModel) else None
            if fan and isinstance(child, list):
                following += [((*at, name, i), v) for i, v in enumerate(child)]
            elif child is not None:
                following.append(((*at, name), child))
        current = following
    return current


def _used(project: Project, prefixes: list[str]) -> list[str]:
    """Where the narrative places a block or reference starting with one of `prefixes`."""
    places = []
    for source in project.narrative.values():
        for ref in source.refs:
            # A profile names a block as narrative writes it (`table budget.income`).
            written = str(BlockKey(ref.kind, ref.target)) if ref.kind else ref.target
            if any(written.startswith(p) for p in prefixes):
                places.append(f"{source.path}:{ref.line} ({{{{ {written} }}}})")
    return places


def _shown(project: Project, evidence: Evidence, finding: Finding) -> Finding:
    """Data that the narrative never places is only partly evidence."""
    if not evidence.shown_by or finding.status is Status.MISSING:
        return finding
    places = _used(project, evidence.shown_by)
    if places:
        finding.found.append(places[0])
        return finding
    return Finding(
        Status.PARTLY,
        finding.found,
        f"{evidence.label} is in the data but not placed in the report: quote "
        + " or ".join(f"{{{{ {p} ... }}}}" for p in evidence.shown_by[:2]),
    )


def _data(project: Project, evidence: Evidence, path: str) -> Finding:
    reached = _resolve(project, path)
    dataset = path.split(".")[0]
    if not reached or not any(_filled(v) for _, v in reached):
        return Finding(Status.MISSING, missing=f"not found: {evidence.label}")
    at, _value = reached[0]
    # The profile's path comes from data, not code: the nearest written part stands for it.
    return Finding(Status.MET, [f"{_where(project.nearest(dataset, *at))} ({evidence.label})"])


def _value_word(value: object) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def _each(project: Project, evidence: Evidence) -> Finding:
    paths = evidence.each if isinstance(evidence.each, list) else [evidence.each or ""]
    assert evidence.field is not None
    entries: list[tuple[str, tuple[str | int, ...], Any]] = []
    present = False
    for path in paths:
        reached = _resolve(project, path)
        if reached is None:
            continue
        present = True
        dataset = path.split(".")[0]
        for at, value in reached:
            items = value if isinstance(value, list) else [value]
            base = at if isinstance(value, list) else at[:-1]
            for i, entry in enumerate(items):
                if all(
                    _value_word(getattr(entry, key, None)) in allowed
                    for key, allowed in evidence.when.items()
                ):
                    entries.append((dataset, (*base, i) if isinstance(value, list) else at, entry))
    if not present:
        # In a reader's words: "no recommendations in data/reviews.yaml", not the path.
        dataset, *_, last = paths[0].replace("[]", "").split(".")
        where = f"no {last.replace('_', ' ')} in data/{dataset.replace('_', '-')}.yaml"
        return Finding(Status.MISSING, missing=f"not found: {evidence.label} ({where})")
    if not entries:
        return Finding(Status.MET, [f"{evidence.label}: none needed"])
    done = [e for e in entries if _filled(getattr(e[2], evidence.field, None))]
    lacking = [e for e in entries if not _filled(getattr(e[2], evidence.field, None))]
    first = _entry_at(project, *done[0]) if done else None
    found = [f"{_where(first)} ({evidence.label})"] if first else []
    if not lacking or (evidence.any and done):
        return Finding(Status.MET, found)
    gaps = ", ".join(_where(_entry_at(project, *e)) for e in lacking[:3])
    more = f" and {len(lacking) - 3} more" if len(lacking) > 3 else ""
    summary = f"{len(done)} of {len(entries)} have '{evidence.field}'; without: {gaps}{more}"
    return Finding(Status.PARTLY if done else Status.MISSING, found, summary)


def _entry_at(project: Project, dataset: str, at: tuple[str | int, ...], entry: Any) -> Location:
    """Where an entry a profile's path reached is: a record knows; else its path's nearest."""
    if isinstance(entry, BaseModel):
        return project.where(entry)
    return project.nearest(dataset, *at)


def _heading(project: Project, evidence: Evidence) -> Finding:
    pattern = re.compile(evidence.heading or "", re.I)
    for section in project.config.sections:
        if pattern.search(section.title):
            return Finding(Status.MET, [f"{section.file} (section '{section.title}')"])
        source = project.narrative.get(section.id)
        for level, title, line in source.headings if source else []:
            if pattern.search(title):
                return Finding(Status.MET, [f"{section.file}:{line} ({'#' * level} {title})"])
    return Finding(Status.MISSING, missing=f"not found: {evidence.label}")


def _check(project: Project, evidence: Evidence) -> Finding:
    if evidence.check == "twelve-month-period":
        # The length is the kind's to judge (an annual report: 365 or 366 days).
        period = project.period
        if period is None:
            return Finding(Status.MISSING, missing=f"a {project.kind.title.lower()} is undated")
        if (problem := project.kind.period_rule.span_problem(period)) is None:
            where = _where(project.where(project.config, "period"))
            return Finding(Status.MET, [f"{where} ({period.label}, {period.days} days)"])
        return Finding(Status.MISSING, missing=problem)
    if evidence.check == "statutory-partner-funding":
        budget = project.dataset("budget", Budget)
        if budget is None:
            return Finding(Status.MISSING, missing="no data/budget.yaml")
        gov = project.dataset("governance", Governance)
        where = _where(project.where(budget.income))
        if gov is None:
            return Finding(
                Status.PARTLY,
                [f"{where} (income lines)"],
                "cannot tell which partners are statutory: add data/governance.yaml",
            )
        statutory = [p.id for p in gov.partners if p.type in STATUTORY_TYPES]
        paying = {line.partner for line in budget.income.lines if line.partner}
        unpaid = [p for p in statutory if p not in paying]
        if not statutory:
            return Finding(Status.MISSING, missing="governance.yaml lists no statutory partners")
        if not unpaid:
            return Finding(Status.MET, [f"{where} ({', '.join(statutory)})"])
        status = Status.PARTLY if len(unpaid) < len(statutory) else Status.MISSING
        return Finding(status, [where], "no income line for " + ", ".join(unpaid))
    if evidence.check == "agency-sections-cover-areas":
        return _agency_areas(project)
    return Finding(Status.MISSING, missing=f"unknown built-in check '{evidence.check}'")


def _agency_areas(project: Project) -> Finding:
    """Each area has an agency section (`area:`) or a block (`covers:`) that names it."""
    areas = [a.id for a in project.config.partnership.areas]
    if len(areas) < 2:  # nothing to tell apart: every section is about the one area
        where = _where(project.where(project.config.partnership, "areas"))
        return Finding(Status.MET, [f"{where} (the partnership covers one area)"])
    partners = project.dataset("partners", Partners)
    if partners is None or not partners.contributions:
        return Finding(Status.MISSING, missing="no agency sections in data/partners.yaml")
    where = _where(project.where(partners, "contributions"))
    named = {a for c in partners.contributions for a in c.areas_named()}
    unnamed = [a for a in areas if a not in named]
    if not unnamed:
        placed = _used(project, ["cards partners.contributions"])
        if not placed:
            return Finding(
                Status.PARTLY,
                [where],
                "the agency sections are not placed in the report: quote "
                "{{ cards partners.contributions }}",
            )
        return Finding(Status.MET, [f"{where} ({', '.join(areas)})", placed[0]])
    status = Status.PARTLY if len(unnamed) < len(areas) else Status.MISSING
    return Finding(
        status,
        [where] if status is Status.PARTLY else [],
        "no agency section or block covers "
        + ", ".join(project.config.area_label(a) for a in unnamed),
    )


def _evidence(project: Project, evidence: Evidence) -> Finding:
    if evidence.data:
        finding = _shown(project, evidence, _data(project, evidence, evidence.data))
    elif evidence.each:
        finding = _shown(project, evidence, _each(project, evidence))
    elif evidence.heading:
        finding = _heading(project, evidence)
    elif evidence.block:
        places = _used(project, [evidence.block])
        finding = (
            Finding(Status.MET, places[:1])
            if places
            else Finding(Status.MISSING, missing=f"not found: {evidence.label}")
        )
    else:
        finding = _shown(project, evidence, _check(project, evidence))
    if RANK[finding.status] > RANK[evidence.gives]:
        finding = Finding(evidence.gives, finding.found, f"only {evidence.label}")
    return finding


def _sources(item: ProfileItem) -> list[str | None]:
    """The datasets (keys of `Project.failed`) an item's evidence comes from."""
    keys: list[str | None] = []
    for evidence in item.evidence:
        each = evidence.each if isinstance(evidence.each, list) else [evidence.each]
        for path in [evidence.data, *each]:
            if path:
                keys.append(path.split(".")[0])
        if evidence.block:
            keys += reference_sources(evidence.block.split(" ")[-1])
        if evidence.check == "statutory-partner-funding":
            keys += ["budget", "governance"]
        if evidence.check == "agency-sections-cover-areas":
            keys += ["partners"]
    return keys


def judge(project: Project, item: ProfileItem) -> ChecklistItem:
    """The best evidence for one item."""
    findings = [_evidence(project, e) for e in item.evidence]
    best = max(findings, key=lambda f: RANK[f.status])
    missing = best.missing
    if best.status is not Status.MET:
        missing = f"{missing}; {item.hint}" if missing else item.hint
    return ChecklistItem(item.id, item.requirement, item.title, best.status, best.found, missing)


def check_completeness(
    project: Project, derived: Derived, diags: DiagnosticList
) -> Checklist | None:
    """Judge the report against its profile; warn about missing `must` items."""
    profile = load_profile(project, diags)
    if profile is None:
        return None
    items = [judge(project, item) for item in profile.items]
    where = project.where(project.config.validation, "profile")
    if where.line is None:
        where = Location(where.path)
    by_id = {item.id: item for item in profile.items}
    for item in items:
        if item.status is not Status.MISSING:
            continue
        sources = _sources(by_id[item.id])
        if project.blocked(*sources) or any(project.incomplete(s) for s in sources):
            continue  # its evidence is in a file (or an item) that failed: reported there
        message = f"{item.title} ({profile.id}: {item.id}) is missing: {item.missing}"
        if item.requirement is Requirement.MUST:
            diags.emit(COMPLETENESS_MISSING_REQUIRED, message, where)
        else:
            diags.emit(COMPLETENESS_MISSING_RECOMMENDED, message, where)
    return Checklist(profile.id, profile.title, items)


__all__ = ["Checklist", "ChecklistItem", "check_completeness", "judge", "load_profile"]

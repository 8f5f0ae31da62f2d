"""The catalogue of diagnostic codes: what each one means and how to fix it.

Each code is declared once, as a `Code` beside the check that emits it; this module
collects those declarations from the modules below. `reportgen explain CODE` prints an
entry, the severity rules of report.yaml read the default severities here, and
`reportgen/docs/validation.md` is generated from this module (`make docs`). Tests fail
when a module declares codes but is not listed, or when a call site names a code without
its declaration.
"""

from __future__ import annotations

import textwrap
from importlib import resources
from types import ModuleType

from reportgen import datasets, digest, glance, lastyear, project, readiness, theme, write
from reportgen.checks import (
    acronyms,
    across,
    agencies,
    arithmetic,
    arrangements,
    business_plan,
    claims,
    completeness,
    consistency,
    disclosure,
    errata,
    hygiene,
    lado,
    links,
    narrative,
    periods,
    printed,
    registers,
    review_names,
    severity,
    snapshots,
    spelling,
    totals,
)
from reportgen.diagnostics import Code
from reportgen.export import checks as export_checks
from reportgen.export import collect
from reportgen.load import (
    csv_source,
    files,
    markdown_source,
    schema,
    tables,
    xlsx_source,
    yaml_advice,
    yaml_source,
)
from reportgen.render import pdf, sandbox, template_rules

FAMILIES = {
    "config": "report.yaml and the validation settings",
    "load": "reading files",
    "yaml": "YAML syntax",
    "csv": "CSV files (and the sheets of workbooks, read the same way)",
    "xlsx": "Excel workbooks",
    "schema": "fields and types of data files",
    "table": "generic CSV tables",
    "data": "figures and records that must agree",
    "dates": "periods, dates and year labels",
    "content": "narrative and text hygiene",
    "disclosure": "small counts of children",
    "completeness": "statutory content (the completeness profile)",
    "digest": "the plain-language digest (outputs: digest)",
    "arrangements": "published arrangements (kind: arrangements)",
    "plan": "business plans (kind: business-plan)",
    "across": "one document against another (reportgen validate A B)",
    "theme": "fonts, colours and logo",
    "template": "project templates",
    "render": "rendering the outputs",
    "write": "writing the outputs",
    "collect": "combining data exports (reportgen collect)",
    "history": "last year's report and figures over the years",
    "ready": "what a report started by `reportgen new-year` still needs from a person",
}


# Every module that declares codes, lowest layer first (a test keeps this complete),
# but for the modules of reportgen/datasets/, which are found with their datasets.
DECLARING_MODULES: tuple[ModuleType, ...] = (
    files,
    yaml_advice,
    yaml_source,
    csv_source,
    xlsx_source,
    markdown_source,
    schema,
    tables,
    project,
    totals,
    errata,
    acronyms,
    claims,
    agencies,
    consistency,
    arithmetic,
    completeness,
    disclosure,
    hygiene,
    lado,
    links,
    narrative,
    periods,
    printed,
    registers,
    review_names,
    severity,
    snapshots,
    spelling,
    arrangements,
    business_plan,
    across,
    glance,
    digest,
    lastyear,
    readiness,
    theme,
    template_rules,
    sandbox,
    pdf,
    write,
    export_checks,
    collect,
)


def _collect() -> dict[str, Code]:
    """Every declared code, by family (in FAMILIES order), then alphabetically."""
    found: dict[str, Code] = {}
    # A dataset's module may declare the codes of its own checks: found with it.
    for module in (*DECLARING_MODULES, *datasets.modules()):
        for value in vars(module).values():
            if not isinstance(value, Code):
                continue
            # The same object is a code imported from its home module; another is a copy.
            if found.setdefault(value.code, value) is not value:
                raise RuntimeError(f"diagnostic code {value.code} is declared twice")
    order = list(FAMILIES)
    return dict(sorted(found.items(), key=lambda item: (order.index(item[1].family), item[0])))


CATALOGUE: dict[str, Code] = _collect()


def lookup(code: str) -> Code | None:
    return CATALOGUE.get(code)


def explain(code: str) -> str:
    """The text `reportgen explain CODE` prints."""
    entry = CATALOGUE[code]
    lines = [f"{entry.code} ({entry.severity.value}): {entry.title}", ""]
    lines += textwrap.wrap(" ".join(entry.explanation.split()), 88)
    lines.append("")
    if entry.code.startswith("disclosure."):
        lines.append("Severity: error; disclosure codes can never be lowered.")
    elif entry.lowerable:
        lines.append(
            f"Default severity: {entry.severity.value}. Change it in report.yaml with "
            f"validation: severity: {{{entry.code}: error}}."
        )
    else:
        lines.append("Default severity: error. A project can raise codes, not lower errors.")
    return "\n".join(lines)


def listing() -> str:
    """One line per code, for `reportgen explain` without a code."""
    width = max(len(code) for code in CATALOGUE)
    return "\n".join(
        f"{e.code:<{width}}  {e.severity.value:<7}  {e.title}" for e in CATALOGUE.values()
    )


_INTRO = """\
# Validation

<!-- Generated by `python -m reportgen.catalogue` from the codes declared beside each
check and reportgen/profiles/wt2023.yaml; a test fails when this file is out of date. -->

`reportgen validate` is the check a partnership business manager runs before anything is
published, and the gate a CI pipeline relies on. It reads every file, runs every check,
and reports every problem in one run; a build runs the same checks first and writes
nothing while there are errors.

## Running it

```sh
reportgen validate [PROJECT] [--strict] [--format text|json|github]
reportgen explain [CODE]      # what a code means; without CODE, every code
```

- **text** (the default): one line per problem in compiler form
  (`data/budget.yaml:21:10: error[data.total-mismatch]: ...`, with a hint), then the
  completeness checklist, then what the disclosure policy withholds, then a summary by
  file and by code.
- **json**: one document on standard output: `diagnostics` (code, severity, message,
  hint, location with path, line, column, CSV row and field), `summary` (counts, and
  counts `by_file` and `by_code`), `checklist` (profile and items with status, what was
  found and what is missing) and `disclosure` (threshold, symbol, and each withheld
  figure's location and reason, never its value).
- **github**: GitHub Actions workflow commands, one per problem
  (`::error file=data/budget.yaml,line=21,col=10,title=data.total-mismatch::...`), so
  problems show on the pull request's changed lines. Paths are relative to where
  reportgen runs.

`--strict` turns every warning into an error. Exit codes: **0** no errors (warnings and
infos allowed, unless `--strict`); **1** the project has errors; **2** an internal error
in reportgen (the traceback is saved to a file, without report data) or a command-line
usage error; **130** interrupted. `reportgen explain` exits 1 for an unknown code.

Severities: an **error** stops the build; a **warning** is a likely mistake a person
should look at (it fails only under `--strict`); an **info** is printed for the record.

## Settings in report.yaml

```yaml
validation:
  profile: wt2023              # or a YAML file in the project, or none
  severity:                    # raise a code's severity (or lower a warning)
    content.placeholder: error
  disclosure:
    threshold: 5               # counts of children from 1 to 5 are shown as the symbol
    symbol: c
    # override: {reason: ..., approved_by: ..., date: 2025-06-01}   # only to go below 5
```

A project can raise any code's severity and lower warnings and infos; errors can never be
lowered (`config.severity-lowered`), and an unknown code is an error too.

## Disclosure control

Small counts can identify children. The policy replaces every count of children from 1 up
to the threshold (default 5; 0 is shown) with the symbol (default `c`). It is applied in
one place, when figures are derived, so tables, charts (their bars, labels, data tables
and text alternatives), tiles, the "at a glance" page and inline `{{ references }}` all
show the same thing; a change against last year (`.difference`) is withheld with it.

- **What counts as children.** Generic CSV tables (`data/tables.yaml`, such as child
  death tables) and indicators with `unit: count` are counts of children unless the table,
  the indicator group or the indicator says `disclosure: none` (residents, staff, sessions,
  allegations about adults). Serious incident notifications and the children covered by a
  review always are. Money, training, attendance, reach and audit samples are not.
- **Secondary suppression.** A suppressed cell must not be recoverable from a total and the
  other cells. Every row and column of a table with its total, and every indicator with
  the `parts` it adds up to, is a line; where a line would have exactly one unknown, the
  smallest other non-zero figure of the line is withheld too, until no line has exactly one.
- **Legend.** Tables with withheld cells explain the symbol in their note; the narrative
  must quote `{{ disclosure.legend }}` once (`disclosure.legend-missing`).
- **Text.** A small count typed into prose ("3 children", "three infant deaths") is an
  error (`disclosure.count-in-text`): quote the figure so the policy applies.
- **Tightening and loosening.** A higher threshold suppresses more. A threshold below the
  default is an error unless `override` records the reason, who approved it and when; the
  override is then reported on every run (`config.disclosure-override`).
- `reportgen validate` lists every figure it will withhold, with its file and line and
  why (a small count, or secondary), never the value.

"""


def _profile_markdown() -> str:
    import yaml

    from reportgen.model.profile import Profile

    text = resources.files("reportgen").joinpath("profiles/wt2023.yaml").read_text("utf-8")
    profile = Profile.model_validate(yaml.safe_load(text))
    lines = [
        "## Completeness profile",
        "",
        f"The packaged profile `{profile.id}` ({profile.title}) lists what the yearly report "
        "must and should contain. `validate` prints it as a checklist: each item is **met**, "
        "**partly** met or **missing**, pointing at the file and line (or section) that "
        "satisfies it, or saying what to add. Data counts only when the narrative places it "
        "(e.g. `{{ table feedback }}`). A missing `must` item is a warning "
        "(`completeness.missing-required`), a missing `should` item an info.",
        "",
        "A project selects a profile with `validation: profile:`. Its own profile is a YAML "
        "file in the project with `id`, `title`, `extends: wt2023`, `drop: [ids]` and `items` "
        "(an item with an existing id replaces it). The fields are those of "
        "`reportgen/model/profile.py`.",
        "",
        "| item | requirement | what the report contains | evidence |",
        "|---|---|---|---|",
    ]
    for item in profile.items:
        evidence = "; ".join(e.label for e in item.evidence)
        lines.append(
            f"| `{item.id}` | {item.requirement.value} | **{item.title}.** "
            f"{item.description} | {evidence} |"
        )
    return "\n".join(lines) + "\n"


def validation_markdown() -> str:
    """The whole of reportgen/docs/validation.md."""
    parts = [_INTRO, _profile_markdown(), "", "## Diagnostic codes", ""]
    parts.append(
        "Every code with its default severity. `reportgen explain CODE` prints the same "
        "explanation."
    )
    parts.append("")
    for family, about in FAMILIES.items():
        entries = [e for e in CATALOGUE.values() if e.family == family]
        if not entries:
            continue
        parts += [f"### `{family}.*`: {about}", ""]
        for e in entries:
            explanation = " ".join(e.explanation.split())
            parts.append(f"- **`{e.code}`** ({e.severity.value}): {e.title}. {explanation}")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def main() -> None:
    """Print reportgen/docs/validation.md."""
    import sys

    sys.stdout.write(validation_markdown())


if __name__ == "__main__":
    main()

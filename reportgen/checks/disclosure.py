"""Disclosure checks: the policy itself, small counts written out in text, the legend.

Suppression is applied in `reportgen.derive` (see `reportgen.disclosure`); these checks
make sure nothing gets round it: a policy looser than the default must be recorded, a
count such as "3 children" typed into prose is an error, and a report that withholds
figures must explain the symbol.
"""

from __future__ import annotations

import logging
import re

from reportgen.checks.text import TextItem
from reportgen.derive import Derived
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.model.validation import DEFAULT_THRESHOLD
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONFIG_DISCLOSURE_OVERRIDE = Code(
    "config.disclosure-override",
    Severity.INFO,
    "The disclosure threshold is below the default, by recorded decision",
    """
    The report suppresses fewer small counts than reportgen's default policy (1 to 5),
    because `validation: disclosure: override:` records who agreed it, when and why.
    This is printed on every run so the decision stays visible.
    """,
)
DISCLOSURE_POLICY_LOOSENED = Code(
    "disclosure.policy-loosened",
    Severity.ERROR,
    "The disclosure threshold is below the default without a recorded override",
    """
    The default policy suppresses counts of children from 1 to 5. A lower threshold
    needs `validation: disclosure: override:` with a reason, who approved it and when.
    """,
)
DISCLOSURE_COUNT_IN_TEXT = Code(
    "disclosure.count-in-text",
    Severity.ERROR,
    "A small count of children is written out in text",
    """
    Text such as "3 children" or "three infant deaths" publishes a count the disclosure
    policy would suppress in a table. Quote the figure with a `{{ reference }}` (which
    the policy controls) or write "a small number of".
    """,
)
DISCLOSURE_LEGEND_MISSING = Code(
    "disclosure.legend-missing",
    Severity.ERROR,
    "Figures are suppressed but the report does not explain the symbol",
    """
    Tables with suppressed cells explain the symbol in their note, but tiles, charts and
    sentences do not. Quote `{{ disclosure.legend }}` once in the narrative (for example
    in "About this report").
    """,
)

log = logging.getLogger(__name__)

_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10}  # fmt: skip
_PLURAL = (
    r"children|infants|babies|deaths|young people|young persons|boys|girls|pupils|teenagers"
    r"|adolescents|care leavers|victims|survivors|siblings|families"
)
_SINGULAR = r"child|infant|baby|death|young person|boy|girl|pupil|teenager|victim"
_COUNT = re.compile(
    r"(?<![\w£$.,/-])(?P<n>\d+|" + "|".join(_NUMBER_WORDS) + r")\s+"
    r"(?:(?P<adj>[a-z][a-z-]*)\s+)?"
    r"(?P<noun>" + _PLURAL + "|" + _SINGULAR + r")\b(?!['’])",
    re.I,
)


def check_policy(project: Project, diags: DiagnosticList) -> None:
    """A threshold below the default needs an override, and the override is reported."""
    policy = project.config.validation.disclosure
    if policy.threshold >= DEFAULT_THRESHOLD:
        return
    where = project.where(policy, "threshold")
    if policy.override is None:
        diags.emit(
            DISCLOSURE_POLICY_LOOSENED,
            f"the disclosure threshold is {policy.threshold}, below the default of "
            f"{DEFAULT_THRESHOLD}, and no override is recorded",
            where,
            "remove 'threshold' (or raise it), or record the decision under "
            "validation: disclosure: override: (reason, approved_by, date)",
        )
        return
    override = policy.override
    message = (
        f"counts of children above {policy.threshold} are published (the default suppresses up "
        f"to {DEFAULT_THRESHOLD}): agreed by {override.approved_by} on {override.date}: "
        f"{override.reason}"
    )
    log.info("disclosure policy loosened: %s", message)
    diags.emit(
        CONFIG_DISCLOSURE_OVERRIDE,
        message,
        project.where(policy, "override"),
    )


def check_counts_in_text(project: Project, items: list[TextItem], diags: DiagnosticList) -> None:
    """Small counts of children typed as words or digits, out of the policy's reach."""
    threshold = project.config.validation.disclosure.threshold
    if threshold < 1:
        return
    for item in items:
        for match in _COUNT.finditer(item.text):
            word = match.group("n").lower()
            # Only short numbers can be small counts (and int() refuses 4,300+ digits).
            n = _NUMBER_WORDS.get(word) or (int(word) if word.isdigit() and len(word) < 9 else 0)
            singular = re.fullmatch(_SINGULAR, match.group("noun"), re.I) is not None
            if not 1 <= n <= threshold or singular != (n == 1):
                continue
            adj = (match.group("adj") or "").lower()
            if adj in ("of", "to", "and", "or", "in", "per", "times", "years", "months", "year"):
                continue
            diags.emit(
                DISCLOSURE_COUNT_IN_TEXT,
                f"'{match.group(0)}' gives a count of {n}, which the disclosure policy "
                f"suppresses (1 to {threshold})",
                item.location(match.start()),
                "quote the figure with a {{ reference }} so the policy applies, or write "
                "'a small number of'",
            )


def check_legend(project: Project, derived: Derived, diags: DiagnosticList) -> None:
    """When figures are withheld, the narrative must explain the symbol once."""
    withheld = derived.disclosure.withheld
    if not withheld:
        return
    used = any(
        ref.target == "disclosure.legend" and ref.kind is None
        for source in project.narrative.values()
        for ref in source.refs
    )
    if used:
        return
    first = withheld[0]
    diags.emit(
        DISCLOSURE_LEGEND_MISSING,
        f"{len(withheld)} figure(s) are shown as '{derived.disclosure.symbol}' (the first from "
        f"{first.location.path}) but the report never explains the symbol",
        project.where(project.config, "sections"),
        "quote {{ disclosure.legend }} once, e.g. in the section about this report",
    )

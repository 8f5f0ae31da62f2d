"""Disclosure checks: the policy itself, small counts written out in text, the legend.

Suppression is applied in `reportgen.derive` (see `reportgen.disclosure`); these checks
make sure nothing gets round it: a policy looser than the default must be recorded, a
count such as "3 children" typed into prose is an error, and a report that withholds
figures must explain the symbol.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction

from reportgen.checks.text import TextItem
from reportgen.derive import Derived
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.model.reviews import Reviews
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
_WORD_OR_DIGITS = r"\d+|one|" + "|".join(_NUMBER_WORDS)
# "4 of the 10 audited cases", "two of these children": a count of part of a group. An
# audit's cases are children's cases, so "cases" counts children here.
_OF_THE = re.compile(
    r"(?<![\w£$.,/-])(?P<n>" + _WORD_OR_DIGITS + r")\s+of\s+(?:the|these|those|our|their)\s+"
    r"(?:(?:" + _WORD_OR_DIGITS + r")\s+)?(?:(?P<adj>[a-z][a-z-]*)\s+)?"
    r"(?P<noun>" + _PLURAL + r"|cases)\b(?!['’])",
    re.I,
)
# "half of the six children": a share of a stated number of children.
_FRACTIONS = {"half": Fraction(1, 2), "a third": Fraction(1, 3), "one third": Fraction(1, 3),
              "a quarter": Fraction(1, 4), "one quarter": Fraction(1, 4),
              "two thirds": Fraction(2, 3), "three quarters": Fraction(3, 4)}  # fmt: skip
_SHARE_OF = re.compile(
    r"\b(?P<share>" + "|".join(_FRACTIONS) + r")\s+of\s+(?:the\s+|these\s+|those\s+|our\s+)?"
    r"(?P<n>\d+|" + "|".join(_NUMBER_WORDS) + r")\s+(?:(?P<adj>[a-z][a-z-]*)\s+)?"
    r"(?P<noun>" + _PLURAL + r"|cases)\b(?!['’])",
    re.I,
)
# A number after these words is a label, an age or a ratio, not a count of children:
# "Year 6 children", "Level 3 safeguarding", "aged 4", "one in 5 children".
_NOT_A_COUNT_AFTER = re.compile(
    r"\b(?:year|years|level|levels|key stage|stage|tier|phase|section|chapter|priority|"
    r"step|module|part|wave|round|standard|grade|band|aged?|ages|under|over|in|out of|"
    r"every|per|page|ward|room|cohort)\s*$",
    re.I,
)
_COUNT = re.compile(
    r"(?<![\w£$.,/-])(?P<n>" + _WORD_OR_DIGITS + r")\s+"
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


def _number(word: str) -> int:
    """A count written in digits or words; 0 for what is not a short number."""
    word = word.lower()
    if word == "one":
        return 1
    # Only short numbers can be small counts (and int() refuses 4,300+ digits).
    return _NUMBER_WORDS.get(word) or (int(word) if word.isdigit() and len(word) < 9 else 0)


def _small_counts(text: str, threshold: int) -> Iterator[tuple[re.Match[str], int]]:
    """Each phrase of `text` that states a count of children from 1 to `threshold`."""
    for match in _COUNT.finditer(text):
        n = _number(match.group("n"))
        singular = re.fullmatch(_SINGULAR, match.group("noun"), re.I) is not None
        if not 1 <= n <= threshold or singular != (n == 1):
            continue
        adj = (match.group("adj") or "").lower()
        if adj in ("of", "to", "and", "or", "in", "per", "times", "years", "months", "year"):
            continue
        if _NOT_A_COUNT_AFTER.search(text[: match.start()]):
            continue
        # "one child in five" is a ratio, "one death can have several causes" a general
        # statement: neither is one child.
        if n == 1 and re.match(
            r"\s+(?:in\s+(?:\d|every|" + "|".join(_NUMBER_WORDS) + r")|"
            r"(?:can|may|might|could|should|would|must)\b)",
            text[match.end() :],
            re.I,
        ):
            continue
        yield match, n
    for match in _OF_THE.finditer(text):
        n = _number(match.group("n"))
        if 1 <= n <= threshold and not _NOT_A_COUNT_AFTER.search(text[: match.start()]):
            yield match, n
    for match in _SHARE_OF.finditer(text):
        whole = _number(match.group("n"))
        n = round(whole * _FRACTIONS[match.group("share").lower()])
        if 1 <= n <= threshold:
            yield match, n


def check_counts_in_text(project: Project, items: list[TextItem], diags: DiagnosticList) -> None:
    """Small counts of children typed as words or digits, out of the policy's reach."""
    threshold = project.config.validation.disclosure.threshold
    if threshold < 1:
        return
    for item in items:
        for match, n in sorted(_small_counts(item.text, threshold), key=lambda f: f[0].start()):
            diags.emit(
                DISCLOSURE_COUNT_IN_TEXT,
                f"'{match.group(0)}' gives a count of {n}, which the disclosure policy "
                f"suppresses (1 to {threshold})",
                item.location(match.start()),
                "quote the figure with a {{ reference }} so the policy applies, or write "
                "'a small number of'",
            )


# "40% of cases", "50% of files": a share of an audit's cases, which are children's.
_SHARE_OF_CASES = re.compile(
    r"(?<![\d.])(?P<pct>\d{1,3}(?:\.\d+)?)\s?%\s+of\s+(?:the\s+)?(?:cases|files|children"
    r"|young people|records)\b",
    re.I,
)


def check_audit_shares(project: Project, diags: DiagnosticList) -> None:
    """A share of an audit's cases in its own text gives a count: "40% of 10 cases" is 4.

    The audit's findings (strengths, improvements, recommendations) are about its cases,
    so the number of cases is the base; a share that stands for 1 to threshold children is
    written out as surely as "4 children"."""
    threshold = project.config.validation.disclosure.threshold
    reviews = project.dataset("reviews", Reviews)
    if threshold < 1 or reviews is None:
        return
    for audit in reviews.audits:
        if audit.cases is None:
            continue  # a share of an audit whose size is not stated gives no count away
        texts = [("strengths", j, t) for j, t in enumerate(audit.strengths)]
        texts += [("improvements", j, t) for j, t in enumerate(audit.improvements)]
        for key, j, text in texts:
            for match in _SHARE_OF_CASES.finditer(text):
                n = round(Decimal(match.group("pct")) * audit.cases / 100)
                if not 1 <= n <= threshold:
                    continue
                diags.emit(
                    DISCLOSURE_COUNT_IN_TEXT,
                    f"'{match.group(0)}' (of {audit.cases} cases audited) gives a count of "
                    f"{n}, which the disclosure policy suppresses (1 to {threshold})",
                    project.where(audit, key, j),
                    "say it without the share (e.g. 'in some cases'), or give the share only "
                    "for a larger audit",
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

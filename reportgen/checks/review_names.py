"""One review called by two names, in reviews.yaml or in the words that refer to reviews.

A review is known by a name (a pseudonym such as "Child Q", "Family X" or "Sam", a
place such as "the 'Riverside' review") and often by a reference ("LCSPR 2023-01").
Every name of a review comes from reviews.yaml: its title, the pseudonym, quoted name or
reference in the title, its `reference:` and its id. Two things are flagged:

- two records in reviews.yaml that are one review (the same notification date, area and
  number of children, or the same reference) under two names (`data.review-two-names`);
- words that call a review by a name reviews.yaml does not give it
  (`content.review-name`): beside one of its own names ("the Riverside review
  (LCSPR 2023-01)"), in the sentence that gives its notification month, or a name of
  the same form as the reviews' own ("Child B" where reviews.yaml holds "Child A").

A name with its reference, a possessive ("Child M's review") or a plural ("the Family X
reviews") is the same name; two different reviews are two names on purpose.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from reportgen.checks.text import NARRATIVE_KINDS, TextItem, sentence_at
from reportgen.diagnostics import Code, DiagnosticList, Severity
from reportgen.model.reviews import Review, Reviews
from reportgen.project import Project

# The diagnostic codes this module emits; reportgen.catalogue collects them.
CONTENT_REVIEW_NAME = Code(
    "content.review-name",
    Severity.WARNING,
    "A review is called by a name that no review in reviews.yaml has",
    """
    Reviews are known by a name given to the child or family ("Child Q", "Baby R",
    "Family S", "Sam"), sometimes by a place ("the 'Riverside' review") or a reference
    ("LCSPR 2023-01"). The text calls a review by a name that reviews.yaml does not give
    it, where the text shows which review it means: the name stands beside another name
    of the review ("the Riverside review (LCSPR 2023-01)"), the sentence gives the month
    the review was notified, or the name has the same form as the reviews' own ("Child B"
    where reviews.yaml holds "Child A"). The same review is likely called by two names.
    Use the name the review was published under, or give its reference in `reference:`.
    """,
)
DATA_REVIEW_TWO_NAMES = Code(
    "data.review-two-names",
    Severity.WARNING,
    "Two reviews in reviews.yaml look like one review under two names",
    """
    Two records were notified on the same day, in the same area, about the same number
    of children (or carry the same reference), under different titles: one review has
    been typed twice, once under each of its names, and the report would count it twice.
    Keep one record, under the name the review was published under.
    """,
)

# "Child Q", "Baby R2", "Family X": reviews are published under a letter given to the
# child. A word after "Child" ("Child Sexual Abuse") is not a name; "Child M's" is.
_PSEUDONYM = re.compile(
    r"\b(Child|Baby|Family|Sibling|Siblings|Young Person)\s+([A-Z]\d?)(?:['’]s\b|s\b)?(?![\w'’-])"
)
# "LCSPR 2023-01", "CSPR 23/02", "SCR-2019-4".
_REFERENCE = re.compile(r"\b(?:L?CSPR|LSCPR|SCR|RR)[\s-]?\d{2,4}[-/]\d{1,3}\b")
_REVIEW = r"(?:rapid review|review|LCSPR|CSPR|SCR)s?"
# "the 'Riverside' review", "the review known as 'Riverside'".
_QUOTED = re.compile(
    r"['‘\"“]([A-Z][\w’' -]{1,40}?)['’\"”]\s+" + _REVIEW + r"\b"
    r"|\b" + _REVIEW + r"\s+(?:known as|called|named)\s+['‘\"“]([A-Z][\w’' -]{1,40}?)['’\"”]"
)
# Unquoted: "the Riverside review", "Sam's review", "the review for Sam". Such a word is
# only a name when the text shows which review it is (see the module docstring).
_PLAIN = re.compile(
    r"\bthe\s+([A-Z][a-z]+)\s+" + _REVIEW + r"\b"
    r"|\b([A-Z][a-z]+)['’]s\s+" + _REVIEW + r"\b"
    r"|\b" + _REVIEW + r"\s+(?:of|for|into|about|concerning)\s+([A-Z][a-z]+)\b"
)
# Capitalised words that are not names of reviews ("the Thematic review", "Ofsted's review").
_NOT_NAMES = frozenset(
    """the a an this that our their its thematic national local rapid practice serious
    safeguarding independent joint multi annual case learning domestic homicide child
    children adult adults safeguarding partnership partners panel ofsted council board
    executive government police health school schools agency agencies first second third
    last next recent previous final published new one two three each every which""".split()  # noqa: SIM905
)
_MONTHS = [
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
]
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)
# A name beside another name of the same review: "X (Y)", "X, also known as Y".
_BESIDE = re.compile(
    r"^(?:['’]s)?['’\"”]?\s*(?:" + _REVIEW + r")?"
    r"\s*(?:\(|,?\s*(?:also\s+)?(?:known as|called|referred to as)\s+)"
)
_REVIEW_WORDS = re.compile(r"\b(review|LCSPR|CSPR|rapid review|learning)\b", re.I)


def key(name: str) -> str:
    """A name as compared: no quotes, possessive or case; words and digits only."""
    name = re.sub(r"['’]s\b|(?<=s)['’]", "", name)
    return " ".join(re.findall(r"[a-z0-9]+", name.lower()))


@dataclass(frozen=True)
class _Mention:
    """A name a text calls a review by."""

    name: str
    start: int
    end: int
    form: str  # pseudonym, reference, quoted or plain


def _mentions(text: str) -> Iterator[_Mention]:
    for m in _PSEUDONYM.finditer(text):
        yield _Mention(f"{m.group(1)} {m.group(2)}", m.start(), m.end(), "pseudonym")
    for m in _REFERENCE.finditer(text):
        yield _Mention(m.group(0), m.start(), m.end(), "reference")
    for m in _QUOTED.finditer(text):
        group = 1 if m.group(1) else 2
        yield _Mention(m.group(group).strip(), m.start(group), m.end(group), "quoted")
    for m in _PLAIN.finditer(text):
        group = next(g for g in (1, 2, 3) if m.group(g))
        word = m.group(group)
        if word.lower() not in _NOT_NAMES and word.lower() not in _MONTHS:
            yield _Mention(word, m.start(group), m.end(group), "plain")


def review_names(review: Review) -> set[str]:
    """Every name (as `key`) reviews.yaml gives a review."""
    names = {key(review.title), key(review.id)}
    if review.reference:
        names.add(key(review.reference))
    within = {key(m.name) for m in _mentions(review.title)}
    if within:
        return names | within
    # "Local child safeguarding practice review about Sam": the words after the kind.
    plain = re.sub(
        r"(?i)\b(local|child|safeguarding|practice|rapid|thematic|review|lcspr|cspr|scr|"
        r"about|for|of|into|the|concerning)\b",
        " ",
        review.title,
    )
    if len(key(plain)) > 1:
        names.add(key(plain))
    return names


class _Index:
    """Which review each name of reviews.yaml is (a name two reviews share is neither's)."""

    def __init__(self, reviews: list[Review], not_names: set[str]) -> None:
        self.reviews = reviews
        self.not_names = not_names  # the words of the areas' and partnership's names
        by_name: dict[str, list[Review]] = {}
        for review in reviews:
            for name in review_names(review):
                by_name.setdefault(name, []).append(review)
        self.by_name = {n: rs[0] for n, rs in by_name.items() if len(rs) == 1}
        self.shared = {n for n, rs in by_name.items() if len(rs) > 1}

    def find(self, name: str) -> Review | None:
        """The review a name is one of, or None; a plural ("Family Xs") is the name too."""
        k = key(name)
        found = self.by_name.get(k)
        if found is None and k.endswith("s"):
            found = self.by_name.get(k[:-1])
        return found

    def known(self, name: str) -> bool:
        k = key(name)
        return k in self.shared or self.find(name) is not None

    def notified_in(self, sentence: str) -> Review | None:
        """The one review notified in a month the sentence names, or None."""
        months = {
            (_MONTHS.index(m.group(1).lower()) + 1, int(m.group(2)))
            for m in _MONTH_YEAR.finditer(sentence)
        }
        found = [
            r for r in self.reviews if r.notified and (r.notified.month, r.notified.year) in months
        ]
        return found[0] if len(found) == 1 else None


def check_review_names(project: Project, items: list[TextItem], diags: DiagnosticList) -> None:
    reviews = project.dataset("reviews", Reviews)
    if reviews is None or not reviews.reviews:
        return
    _records(project, reviews, diags)
    partnership = project.config.partnership
    places = [partnership.name, partnership.short_name or ""]
    for area in partnership.areas:
        places += [area.id, area.name, area.short_label or ""]
    index = _Index(reviews.reviews, set(key(" ".join(places)).split()))
    for item in items:
        if item.kind not in NARRATIVE_KINDS and item.kind != "data":
            continue
        _words(index, item, diags)


def _same_review(a: Review, b: Review) -> str | None:
    """Why two records are one review (in words), or None."""
    if a.reference and b.reference and key(a.reference) == key(b.reference):
        return f"both have the reference '{a.reference}'"
    if a.notified is None or a.notified != b.notified:
        return None
    if a.area and b.area and a.area != b.area:
        return None
    if a.children is not None and b.children is not None and a.children != b.children:
        return None
    why = f"both were notified on {a.notified.day} {a.notified:%B %Y}"
    if a.area and a.area == b.area:
        why += " in the same area"
    if a.children is not None and a.children == b.children:
        why += f", about {a.children} {'child' if a.children == 1 else 'children'}"
    return why


def _records(project: Project, reviews: Reviews, diags: DiagnosticList) -> None:
    for i, later in enumerate(reviews.reviews):
        for earlier in reviews.reviews[:i]:
            if key(earlier.title) == key(later.title):
                continue  # one name: a duplicate title is another check's
            why = _same_review(earlier, later)
            if why is None:
                continue
            diags.emit(
                DATA_REVIEW_TWO_NAMES,
                f"review '{later.title}' looks like review '{earlier.title}' under another "
                f"name: {why}",
                project.where(later, "title"),
                "keep one record, under the name the review was published under "
                "(its reference can go in `reference:`)",
            )
            break


def _words(index: _Index, item: TextItem, diags: DiagnosticList) -> None:
    mentions = sorted(
        (
            m
            for m in _mentions(item.text)
            if m.form != "plain" or key(m.name) not in index.not_names
        ),
        key=lambda m: m.start,
    )
    for n, mention in enumerate(mentions):
        if index.known(mention.name) or _beside_known(index, item.text, mentions, n):
            continue
        sentence = sentence_at(item.text, mention.start)
        meant, name, how = _which(index, item.text, mentions, n, sentence)
        if meant is None:
            meant, name, how = _same_form(index, mention, sentence)
        if meant is None:
            continue
        diags.emit(
            CONTENT_REVIEW_NAME,
            f"'{mention.name}' is not a name of a review in reviews.yaml; {how}",
            item.location(mention.start),
            f"is this the review {_called(meant, name)}? use one name for a review throughout "
            "(a reference can go in its `reference:`)",
        )


def _called(review: Review, name: str) -> str:
    """How a hint names the review: by the name it matched, a reference with its title."""
    return f"'{review.title}' ({name})" if _REFERENCE.fullmatch(name) else f"'{name}'"


def _beside(text: str, mentions: list[_Mention], n: int) -> Iterator[_Mention]:
    """The names standing beside the `n`th: "X (Y)", "X, also known as Y"."""
    mention = mentions[n]
    for i in (n - 1, n + 1):
        if 0 <= i < len(mentions):
            other = mentions[i]
            first, second = (other, mention) if other.start < mention.start else (mention, other)
            if _BESIDE.match(text[first.end : second.start]):
                yield other


def _beside_known(index: _Index, text: str, mentions: list[_Mention], n: int) -> bool:
    """A reference beside a review's name is that review's: its id, not another name."""
    return mentions[n].form == "reference" and any(
        index.known(other.name) for other in _beside(text, mentions, n)
    )


def _which(
    index: _Index, text: str, mentions: list[_Mention], n: int, sentence: str
) -> tuple[Review | None, str, str]:
    """The review the text shows an unknown name to be (and its name, and how it shows
    it): by a name beside it, or by the month the sentence says it was notified."""
    for other in _beside(text, mentions, n):
        if found := index.find(other.name):
            return found, other.name, f"'{other.name}' beside it is the review '{found.title}'"
    found = index.notified_in(sentence) if _REVIEW_WORDS.search(sentence) else None
    if found is not None and found.notified is not None:
        when = f"{found.notified:%B %Y}"
        return found, found.title, f"the review notified in {when} is '{found.title}'"
    return None, "", ""


def _same_form(index: _Index, mention: _Mention, sentence: str) -> tuple[Review | None, str, str]:
    """An unknown pseudonym or reference where reviews.yaml names its reviews that way."""
    if mention.form not in ("pseudonym", "reference") or not _REVIEW_WORDS.search(sentence):
        return None, "", ""
    head = mention.name.split()[0] if mention.form == "pseudonym" else ""
    same: dict[str, Review] = {}
    for review in index.reviews:
        for m in _mentions(f"{review.title} {review.reference or ''}"):
            if m.form == mention.form and (not head or m.name.split()[0] == head):
                same[m.name] = review
    if not same:
        return None, "", ""
    close = difflib.get_close_matches(mention.name, sorted(same), n=1, cutoff=0.0)
    return same[close[0]], close[0], f"it holds {', '.join(sorted(same))}"

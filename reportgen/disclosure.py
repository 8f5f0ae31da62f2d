"""Disclosure control: small counts of children are never published.

The policy (report.yaml `validation.disclosure`) replaces every count of children from
1 up to the threshold (5 by default) with a symbol (`c`). `reportgen.derive` applies it
in one place, so tables, charts, their text alternatives and data tables, tiles and
inline references all show the same thing.

Secondary suppression: a suppressed cell must not be recoverable by subtraction. Every
published total is a line (its parts plus the total); a line with exactly one unknown
gives that unknown away, so another cell of the line is suppressed too (the smallest
non-zero one), and this is repeated until no line has exactly one unknown. This is the
standard rule used for published statistics; it does not solve every system of
equations, which is why small tables are best shown as a whole.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from reportgen import figures
from reportgen.diagnostics import Location
from reportgen.load.tables import CrossTab
from reportgen.model.controls import Disclosure
from reportgen.model.indicators import Indicator, Indicators, Unit
from reportgen.model.validation import DEFAULT_SYMBOL, DEFAULT_THRESHOLD, DisclosurePolicy
from reportgen.project import Project

K = TypeVar("K", bound=Hashable)

Reason = Literal["small", "secondary"]


@dataclass(frozen=True)
class Suppression:
    """One figure withheld from every output (its value is never recorded here)."""

    location: Location
    what: str  # e.g. "table 'cdop_mode': 'Palliative care', '≤ 28 days'"
    reason: Reason

    def describe(self, threshold: int) -> str:
        why = (
            f"a count from 1 to {threshold}"
            if self.reason == "small"
            else "secondary: it would reveal a suppressed count"
        )
        return f"{self.what}: {why}"

    def to_json(self) -> dict[str, object]:
        loc = self.location
        return {
            "what": self.what,
            "reason": self.reason,
            "location": {
                "path": loc.path,
                "line": loc.line,
                "column": loc.column,
                "row": loc.row,
                "field": loc.field,
            },
        }


@dataclass
class DisclosureControl:
    """The policy in force for one build, and a record of what it withheld."""

    threshold: int = DEFAULT_THRESHOLD
    symbol: str = DEFAULT_SYMBOL
    withheld: list[Suppression] = field(default_factory=list)

    @classmethod
    def from_policy(cls, policy: DisclosurePolicy) -> DisclosureControl:
        return cls(threshold=policy.threshold, symbol=policy.symbol)

    def is_small(self, value: int) -> bool:
        """True for a count the policy suppresses: 1 to the threshold (0 is shown)."""
        return 1 <= value <= self.threshold

    def record(self, location: Location, what: str, reason: Reason) -> None:
        entry = Suppression(location, what, reason)
        if entry not in self.withheld:
            self.withheld.append(entry)

    def count(self, value: int, location: Location, what: str) -> str:
        """A count of children as printed: the symbol when it is small, else the figure."""
        if self.is_small(value):
            self.record(location, what, "small")
            return self.symbol
        return figures.count(value)

    def indicators(self, project: Project, data: Indicators) -> tuple[set[str], set[str]]:
        """Ids of indicators whose value, and whose last year's value, are withheld."""
        groups = {g.id: g for g in data.groups}
        values: dict[str, int] = {}
        small: set[str] = set()
        small_prior: set[str] = set()
        where: dict[str, Indicator] = {}
        for ind in data.indicators:
            group = groups.get(ind.group)
            kind = ind.disclosure or (group.disclosure if group else None) or Disclosure.CHILDREN
            if ind.unit is not Unit.COUNT or kind is not Disclosure.CHILDREN:
                continue
            where[ind.id] = ind
            values[ind.id] = int(ind.value)
            if self.is_small(int(ind.value)):
                small.add(ind.id)
                loc = project.where(ind, "value")
                self.record(loc, f"indicator '{ind.id}'", "small")
            if ind.prior is not None and self.is_small(int(ind.prior)):
                small_prior.add(ind.id)
                loc = project.where(ind, "prior")
                self.record(loc, f"indicator '{ind.id}', last year's value", "small")
        # A total and its parts: suppress another part so the total cannot reveal one.
        lines = [
            [*ind.parts, ind.id]
            for ind in data.indicators
            if ind.id in values and ind.parts and all(p in values for p in ind.parts)
        ]
        for ident in sorted(protect(values, lines, small)):
            loc = project.where(where[ident], "value")
            self.record(loc, f"indicator '{ident}'", "secondary")
            small.add(ident)
        return small, small_prior

    def crosstab(
        self, table_id: str, tab: CrossTab, column_totals: bool, fallback: Location
    ) -> set[tuple[int, int]]:
        """Cells of a CSV table to withhold; totals are row `len(rows)`, column `len(columns)`."""
        rows, cols = len(tab.rows), len(tab.columns)
        values: dict[tuple[int, int], int] = {}
        for r, (_label, cells) in enumerate(tab.rows):
            for c, value in enumerate(cells):
                values[(r, c)] = value
            values[(r, cols)] = sum(cells)
        for c in range(cols):
            values[(rows, c)] = sum(cells[c] for _label, cells in tab.rows)
        values[(rows, cols)] = sum(sum(cells) for _label, cells in tab.rows)
        with_row_totals = cols > 1
        hidden = {(rows, c) for c in range(cols)} if not column_totals and cols > 1 else set()
        # One column: its row totals repeat the cells, and its total is the grand total.
        published = [k for k in values if with_row_totals or k[1] < cols]
        # A cell that could not be read (its error stops the build) is not a count: it and
        # the totals that need it are not judged.
        unknown = tab.unknown()
        small = {
            k
            for k in published
            if k not in hidden and k not in unknown and self.is_small(values[k])
        }
        secondary = protect(values, grid_lines(rows, cols, with_row_totals), small, hidden)
        for key in sorted(small | secondary):
            self.record(
                _cell_location(tab, key, fallback),
                _cell_name(table_id, tab, key),
                "small" if key in small else "secondary",
            )
        return small | secondary

    def gradings(
        self,
        audit_id: str,
        grades: Sequence[tuple[str, int | None]],
        total: int | None,
        at: Location,
    ) -> set[int]:
        """Rows of an audit's grading table to withhold: the grades of 1 to threshold
        cases (children's cases), and another so that the total cannot give one away.

        Each grade is (name, cases); a grade given only as a share has its cases worked
        out from the total, as the table prints them (None: neither is known). With no
        total stated, nothing can be worked back from it: only the small grades go."""
        values = {i: cases for i, (_name, cases) in enumerate(grades) if cases is not None}
        small = {i for i, cases in values.items() if self.is_small(cases)}
        if not small:
            return set()
        secondary: set[int] = set()
        if total is not None:
            total_key = len(grades)
            line = [*values, total_key]
            every = {**values, total_key: total}
            # The total (cases audited) stays published: it is not a count from 1 to
            # threshold unless it is one itself, and then every grade of it is small too.
            secondary = protect(every, [line], small) - {total_key}
        for i in sorted(small | secondary):
            self.record(
                at,
                f"audit '{audit_id}': grade '{grades[i][0]}'",
                "small" if i in small else "secondary",
            )
        return small | secondary

    @property
    def legend(self) -> str:
        """The legend line the report prints wherever figures may be withheld."""
        return (
            f"Figures shown as {self.symbol} are counts of children from 1 to {self.threshold}, "
            "or figures that would reveal one; they are not published, so that no child can "
            "be identified."
        )

    def to_json(self) -> dict[str, object]:
        return {
            "threshold": self.threshold,
            "symbol": self.symbol,
            "withheld": [s.to_json() for s in self.withheld],
        }


def protect(
    values: Mapping[K, int],
    lines: Sequence[Sequence[K]],
    primary: Iterable[K],
    hidden: Iterable[K] = (),
) -> set[K]:
    """Cells to suppress as well as `primary`, so no suppressed cell can be worked out.

    `lines` are sets of cells bound by one sum (the parts and their total). `hidden`
    cells are not published at all (e.g. a total the table leaves out): they are
    unknown to a reader but need no protection of their own.
    """
    protected = set(primary)
    unknown = protected | set(hidden)
    secondary: set[K] = set()
    changed = True
    while changed:
        changed = False
        for line in lines:
            missing = [k for k in line if k in unknown]
            if len(missing) != 1 or missing[0] not in protected:
                continue
            candidates = [k for k in line if k not in unknown]
            if not candidates:
                continue
            # Smallest non-zero figure first (zeros are often guessable), then zeros; the
            # total (the last of the line) only when nothing else is left.
            parts = candidates[:-1] if line[-1] in candidates else candidates

            def order(key: K) -> tuple[int, int]:
                return (values[key] == 0, values[key])

            pool = sorted(parts, key=order) or candidates
            choice = pool[0]
            secondary.add(choice)
            protected.add(choice)
            unknown.add(choice)
            changed = True
    return secondary


def _cell_location(tab: CrossTab, key: tuple[int, int], fallback: Location) -> Location:
    r, c = key
    rows, cols = len(tab.rows), len(tab.columns)
    record = tab.record_index[r] if r < rows else tab.total_record
    column = tab.columns[c] if c < cols else tab.total_column
    if record is None or column is None:
        return fallback
    return tab.source_map.locate((record, column))


def _cell_name(table_id: str, tab: CrossTab, key: tuple[int, int]) -> str:
    r, c = key
    rows, cols = len(tab.rows), len(tab.columns)
    if r < rows and c < cols:
        return f"table '{table_id}': '{tab.rows[r][0]}', '{tab.columns[c]}'"
    if r < rows:
        return f"table '{table_id}': total of row '{tab.rows[r][0]}'"
    if c < cols:
        return f"table '{table_id}': total of column '{tab.columns[c]}'"
    return f"table '{table_id}': grand total"


def grid_lines(rows: int, columns: int, with_row_totals: bool) -> list[list[tuple[int, int]]]:
    """Lines of a cross-tab whose totals sit in row `rows` and column `columns`.

    Each row (its cells, then its total) and each column (its cells, then its total) is a
    line, as are the row of column totals and the column of row totals (both ending in
    the grand total). Without row totals (a one-column table) only columns are lines.
    """
    lines: list[list[tuple[int, int]]] = []
    if with_row_totals:
        for r in range(rows + 1):
            lines.append([(r, c) for c in range(columns + 1)])
        for c in range(columns + 1):
            lines.append([(r, c) for r in range(rows + 1)])
    else:
        for c in range(columns):
            lines.append([(r, c) for r in range(rows + 1)])
    return lines


__all__ = ["DisclosureControl", "Suppression", "grid_lines", "protect"]

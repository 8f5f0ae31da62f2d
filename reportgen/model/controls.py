"""Markers that validation and disclosure control read on records of several files.

- `Timing` says when an item happened relative to the report period, so an item
  from an earlier year can be used on purpose (and is not reported as out of period).
- `Disclosure` says whether small counts in a table or indicator are counts of
  children, which the report's disclosure policy suppresses.
"""

from __future__ import annotations

from enum import StrEnum


class Timing(StrEnum):
    """When a dated item falls, relative to the report period."""

    CURRENT = "current"  # inside the report period (the default, and checked)
    PRIOR = "prior"  # before the period, used on purpose (e.g. last year's inspection)
    COMPARATOR = "comparator"  # another period, shown only for comparison
    FORWARD = "forward"  # after the period: a plan, a due date, a looking-ahead item


class Disclosure(StrEnum):
    """Whether small counts could identify a child."""

    CHILDREN = "children"  # counts of children (or of events about them): small ones suppressed
    NONE = "none"  # not about individual children (money, staff, sessions): shown as typed

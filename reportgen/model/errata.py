"""A printed figure known to be wrong: typed as the source prints it, with its erratum.

Real documents print totals that their own lines do not add up to. A typed total that
disagrees is an error that stops the build, so a transcriber who knows the source is
wrong says so where the figure is typed:

    total:
      printed: 202900
      erratum: the source's total; its lines add to £202,600

The check then warns instead (`data.known-erratum`, reportgen/checks/errata.py), the
output shows the figure reportgen computes, and a template may show the erratum as a
note. A figure that may be typed this way has the type `PrintedMoney`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, PlainSerializer, PlainValidator, SerializationInfo

from reportgen.model.common import Money, Record, Text, _to_money


class Misprint(Record):
    """A figure as the source prints it, known to be wrong, and what is wrong with it."""

    printed: Money = Field(description="The figure exactly as the source prints it.")
    erratum: Text = Field(
        description="What is wrong with it, in plain words, e.g. 'the source's total; its "
        "lines add to £202,600' (may be shown to readers as a note)."
    )


def _to_money_or_misprint(value: Any) -> Decimal | Misprint:
    """A mapping is a misprint, anything else the amount: errors then name only the form
    typed, at its own key (a plain union would report both forms' errors)."""
    if isinstance(value, Mapping | Misprint):
        return Misprint.model_validate(value)
    return _to_money(value)


def _dump(value: Decimal | Misprint, info: SerializationInfo) -> object:
    """As Money and Misprint dump themselves (the plain validator hides which it is)."""
    if isinstance(value, Misprint):
        return value.model_dump(mode=info.mode)
    return str(value) if info.mode == "json" else value


# A printed total: the amount, or the amount as printed with its erratum (a mapping).
PrintedMoney = Annotated[
    Decimal | Misprint,
    PlainValidator(_to_money_or_misprint, json_schema_input_type=Money | Misprint),
    PlainSerializer(_dump),
]

# Said in the description of every field of that type (the generated docs).
ERRATUM_HOW = (
    " One the source prints wrong is typed as a Misprint, `printed:` with an `erratum:` "
    "(a warning, not an error; the output shows the computed figure)."
)


def printed_value(figure: Decimal | Misprint) -> Decimal:
    """The figure as typed, whether or not it carries an erratum."""
    return figure.printed if isinstance(figure, Misprint) else figure


def with_errata(note: str | None, *figures: Decimal | Misprint | None) -> str | None:
    """A table's note, followed by the errata typed with the figures it totals."""
    said = [
        f"Note on the source: {f.erratum.rstrip('.')}." for f in figures if isinstance(f, Misprint)
    ]
    return " ".join([note, *said] if note else said) or None

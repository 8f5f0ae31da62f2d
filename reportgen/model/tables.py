"""data/tables.yaml (+ CSV): generic tables and cross-tabs with checked totals."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from reportgen.model.common import Record, Slug, Text
from reportgen.model.controls import Disclosure
from reportgen.model.meaning import ENTRY_NAME, LABEL, PROJECT_FILE, PROPER_NAME, IdOf


class TableSpec(Record):
    """A table kept in a CSV file: first column labels rows, the rest are counts.

    A row or column headed 'Total' in the CSV is a typed total: it is checked
    against the sum of the others, and shown as computed.
    """

    id: Annotated[Slug, IdOf("table")] = Field(
        description="Short id used in {{ table tables.ID }}."
    )
    title: Annotated[Text, ENTRY_NAME, LABEL] = Field(description="Caption as printed.")
    file: Annotated[Text, PROJECT_FILE] = Field(
        description="CSV file, or .xlsx workbook, relative to the project. A title row above "
        "the header and note rows under the data are skipped."
    )
    sheet: str | None = Field(
        None, description="For a workbook: the sheet to read (default: the first sheet)."
    )
    range: str | None = Field(
        None,
        description="For a workbook: the cells to read, e.g. A3:E12 (default: the whole sheet).",
    )
    row_totals: bool = Field(True, description="Show a total for each row.")
    column_totals: bool = Field(True, description="Show a total for each column.")
    chart: bool = Field(False, description="Also offer a bar chart of the row totals.")
    source: Annotated[str, PROPER_NAME] | None = Field(
        None, description="Where the figures come from."
    )
    note: str | None = Field(None, description="Printed note (optional).")
    disclosure: Disclosure = Field(
        Disclosure.CHILDREN,
        description="children (the default: small counts are suppressed) or none for a table "
        "that does not count children.",
    )


class Tables(Record):
    """The whole of data/tables.yaml."""

    tables: list[TableSpec] = Field(min_length=1, description="Tables kept as CSV.")

"""How the derive steps of several datasets word what they show (no dataset here)."""

from __future__ import annotations

import datetime as dt

from reportgen.model.common import Rag

RAG_WORDS = {
    Rag.RED: "Red",
    Rag.AMBER: "Amber",
    Rag.GREEN: "Green",
    Rag.COMPLETE: "Complete",
    Rag.NOT_STARTED: "Not started",
}


def long_date(value: object) -> str:
    """A date as a reader writes it (1 April 2024); anything else as it is."""
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)

"""Cells a spreadsheet would run as a formula: every CSV and workbook kimu writes neutralises them with
a leading ' (OWASP's advice), and the import takes it off again, so an export imports back unchanged.
A module of its own, so that a list printed as CSV does not load the CSV reader."""

from typing import TypeVar

# A text cell starting with one of these is run as a formula by a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
T = TypeVar("T")


def neutralise(value: T) -> T | str:
    """Prefix a text that a spreadsheet would run as a formula with '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """Undo neutralise() so that an exported file imports back unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text

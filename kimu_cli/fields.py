"""The longest text kimu keeps in each field, and the one function every text a person types or a
file brings goes through (`clean`).

Limits, in characters (Unicode code points: Python's len() and SQLite's length() count alike):

    ref (participants)                                          64
    names: site, municipality, NAV office, leader, participant,
           NAV veileder, goal, transition detail (employer,
           school)                                             200
    notes: participant notes, attendance note, transition note,
           contact note                                       2 000

A reference is something to type every day; a name, a place or a goal fits on a line; a note is a
few short paragraphs, not a case file (participants' data are confidential: store what the work
needs). `clean` refuses a longer text with one short line that gives the sizes, never the text
(`notes: 2 513 characters, at most 2 000`).

SQLite enforces the same numbers with a CHECK (length(column) <= N) on each column (migration
`text_limits` in schema.py writes them as literal numbers, frozen as every migration is);
tests/test_field_lengths.py insists that a new file's CHECKs and LIMITS agree, field for field. A
later change of a limit is a new migration as well as a new number here.
"""

import re

from kimu_cli import idnumber
from kimu_cli.errors import KimuError

REF = 64
NAME = 200
NOTE = 2_000

# "table.column" -> the most characters it holds.
LIMITS = {
    "sites.name": NAME,
    "sites.municipality": NAME,
    "sites.nav_office": NAME,
    "leaders.name": NAME,
    "participants.ref": REF,
    "participants.name": NAME,
    "participants.veileder": NAME,
    "participants.goal": NAME,
    "participants.notes": NOTE,
    "attendance.note": NOTE,
    "transitions.detail": NAME,
    "transitions.note": NOTE,
    "contacts.note": NOTE,
}

# Control characters (C0, DEL, C1) other than tab and line feed: a NUL cuts a text short in SQLite
# and in C programs reading the file, the others do not belong in a name or a note. A carriage
# return before a line feed (a Windows line end) is taken out first; one alone is refused.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(value: object, field: str, label: str | None = None) -> str | None:
    """The text of field ("table.column", a key of LIMITS) as kimu stores it: stripped, None when
    empty; KimuError naming label (default: the column, as its option is spelled) when it is
    longer than the field's limit, holds a control character or an identity number. The message
    never repeats the text."""
    label = label or field.partition(".")[2].replace("_", "-")
    text = str(value if value is not None else "").replace("\r\n", "\n").strip()
    if not text:
        return None
    most = LIMITS[field]
    if len(text) > most:
        raise KimuError("fields_count_characters_at_most", label=label, count=thousands(len(text)), most=thousands(most))
    if (control := _CONTROL.search(text)) is not None:
        raise KimuError("fields_control_character_u_value", label=label, value1=ord(control.group()), value2=control.start() + 1)
    idnumber.refuse(text, label)
    return text


def fits(text: str, field: str) -> bool:
    """True when clean(text, field) returns text unchanged, for a text that is not empty: the
    importer's fast path asks this of every note (cheaply; False: clean has the verdict)."""
    return (len(text) <= LIMITS[field] and _CONTROL.search(text) is None and text == text.strip()
            and not idnumber.is_identity_number_in(text))


def thousands(n: int) -> str:
    """2513 -> '2 513', as a Norwegian reader writes it."""
    return f"{n:,}".replace(",", " ")

"""Follow-up contacts (kontakter): who was contacted about a participant, when and how (issue 18).

Every write goes through this module (add, remove, and the importer's check/find/insert/update), each
with its audit row. The rules:

- a contact belongs to the participant, dated today or earlier (never in the future), and not before
  the participant's first enrollment: the follow-up began then;
- a contact after an enrollment ended, or between two periods, is allowed (a call after someone
  dropped out is follow-up too): it is listed with the enrollment that covers its date
  (`enrollment_start`), empty when none does, and with the leader and site of the latest period
  that started on or before it, as a transition is;
- with whom: participant, veileder, leader, school, employer (deltaker, veileder, arbeidsleder,
  skole, arbeidsgiver); how: phone, meeting, message, visit (telefon, møte, melding, besøk);
- the note is optional and short (fields.clean: at most 2 000 characters, no control characters,
  no identity numbers); nothing but the date, whom and how is needed for the work;
- one contact per participant, day, person and way (the database's UNIQUE): logging the same call
  twice is refused, importing a file again changes nothing.

An attendance alert is followed up when the participant has a contact dated on or after the day its
trouble began (attendance.alerts' `since`): see `followed_up`.
"""

import sqlite3
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, TypedDict, cast

from kimu_cli import audit, dates, fields, filters, labels, participants, rules, vocab
from kimu_cli.errors import KimuError

if TYPE_CHECKING:
    from kimu_cli.attendance import Alert

# code -> Norwegian words (and spellings without æøå) accepted for it.
WITH_WHOM = {
    "participant": ["deltaker", "deltakeren"],
    "veileder": ["nav veileder", "nav-veileder", "navveileder"],
    "leader": ["arbeidsleder", "arbeidslederen"],
    "school": ["skole", "skolen"],
    "employer": ["arbeidsgiver", "arbeidsgiveren"],
}
HOW = {
    "phone": ["telefon", "tlf", "ringt", "samtale"],
    "meeting": ["møte", "mote"],
    "message": ["melding", "sms", "e-post", "epost"],
    "visit": ["besøk", "besok"],
}
_WITH = vocab._lookup(WITH_WHOM)
_HOW = vocab._lookup(HOW)

# The interface: JSON keys = CSV columns (also when the list is empty); `with` and `how` as the
# options and the import's columns call them.
COLUMNS = ("id", "ref", "date", "with", "how", "note", "leader", "site", "enrollment_start")
EXPORT_COLUMNS = ("ref", "date", "with", "how", "note")


def word(column: str, code: str) -> str:
    """A with-whom or how code as a sentence says it: the code in English, the word in bokmål
    (lower case inside a sentence, an abbreviation as it is: telefon, NAV-veileder)."""
    text = str(labels.coded(column, code))
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def with_whom(value: object, field: str = "with") -> str:
    return vocab._resolve(_WITH, value, field, WITH_WHOM)


def how(value: object, field: str = "how") -> str:
    return vocab._resolve(_HOW, value, field, HOW)


class Checked(TypedDict):
    """A contact as check() returns it, for find, insert and update_note."""

    participant_id: int
    ref: str
    date: str  # ISO
    with_whom: str  # a code of WITH_WHOM
    how: str  # a code of HOW
    note: str | None


# A line of `kimu contact list` (COLUMNS). ("with" is a keyword: the functional syntax.)
Contact = TypedDict("Contact", {
    "id": int,
    "ref": str,
    "date": str,
    "with": str,
    "how": str,
    "note": str | None,
    "leader": str | None,  # of the latest period started on or before the date (None: before any)
    "site": str | None,
    "enrollment_start": str | None,  # of the enrollment covering the date (None: none does)
})


def check(conn: sqlite3.Connection, ref: str, with_: str, how_: str, date: object = None,
          note: str | None = None) -> Checked:
    """One contact as a person or a file gives it -> clean dict {participant_id, ref, date, with_whom,
    how, note}; KimuError naming the field otherwise. date None or empty: today."""
    p = participants.get(conn, ref)
    with_ = with_whom(with_)
    how_ = how(how_)
    day = dates.iso(date, "date") or dates.today().isoformat()
    if day > dates.today().isoformat():
        raise KimuError("contact_future", day=day)
    first = conn.execute("SELECT min(start_date) FROM enrollments WHERE participant_id = ?", (p["id"],)).fetchone()[0]
    if first is None:
        raise KimuError("contact_never_enrolled", ref=p["ref"])
    if day < first:
        raise KimuError("contact_before_first", day=day, ref=p["ref"], first=first)
    return {"participant_id": p["id"], "ref": p["ref"], "date": day, "with_whom": with_, "how": how_,
            "note": fields.clean(note, "contacts.note")}


def find(conn: sqlite3.Connection, row: Checked) -> sqlite3.Row | None:
    """The same contact (participant, date, with whom, how) as stored (id, note), or None."""
    return conn.execute(
        "SELECT id, note FROM contacts WHERE participant_id = ? AND date = ? AND with_whom = ? AND how = ?",
        (row["participant_id"], row["date"], row["with_whom"], row["how"]),
    ).fetchone()


def _values(row: Mapping[str, object]) -> dict[str, object]:
    """The audited values of a contact (row from check or get)."""
    return {"ref": row["ref"], "date": row["date"], "with": row.get("with_whom", row.get("with")),
            "how": row["how"], "note": row["note"]}


def insert(conn: sqlite3.Connection, row: Checked) -> int:
    """Store a checked row not stored yet (find), with its audit row; returns its id."""
    cur = conn.execute(
        "INSERT INTO contacts (participant_id, date, with_whom, how, note) "
        "VALUES (:participant_id, :date, :with_whom, :how, :note)", row)
    audit.record(conn, "add", "contact", cur.lastrowid, audit.diff({}, _values(row)), row["participant_id"])
    return cast(int, cur.lastrowid)


def update_note(conn: sqlite3.Connection, contact_id: int, old_note: str | None, row: Checked) -> str:
    """The importer's correction of a stored contact's note (an empty cell never erases one):
    'updated' or 'unchanged'."""
    if row["note"] is None or row["note"] == old_note:
        return "unchanged"
    conn.execute("UPDATE contacts SET note = ? WHERE id = ?", (row["note"], contact_id))
    audit.record(conn, "edit", "contact", contact_id, {"note": [old_note, row["note"]]}, row["participant_id"])
    return "updated"


def add(conn: sqlite3.Connection, ref: str, with_: str, how_: str, date: object = None,
        note: str | None = None) -> Contact:
    """Record a contact; returns it as list_contacts does."""
    row = check(conn, ref, with_, how_, date, note)
    if (same := find(conn, row)) is not None:
        raise KimuError("contact_exists", ref=row["ref"], with_whom=word("with", row["with_whom"]),
                        how=word("how", row["how"]), date=row["date"], id=same["id"])
    return get(conn, insert(conn, row))


_LIST = f"""
    SELECT c.id, p.ref, c.date, c.with_whom AS "with", c.how, c.note, l.name AS leader, s.name AS site,
           (SELECT e.start_date FROM enrollments e WHERE e.participant_id = c.participant_id
              AND {rules.covers('c.date')}) AS enrollment_start,
           c.participant_id
    FROM contacts c
    JOIN participants p ON p.id = c.participant_id
    LEFT JOIN leaders l ON l.id = (
        SELECT e.leader_id FROM enrollments e WHERE e.participant_id = c.participant_id AND e.start_date <= c.date
        ORDER BY e.start_date DESC LIMIT 1)
    LEFT JOIN sites s ON s.id = l.site_id
"""


def get(conn: sqlite3.Connection, contact_id: int | str) -> Contact:
    row = conn.execute(_LIST + " WHERE c.id = ?", (contact_id,)).fetchone()
    if row is None:
        raise KimuError("contact_unknown", id=contact_id)
    return cast(Contact, {k: row[k] for k in COLUMNS})


def list_contacts(conn: sqlite3.Connection, start: object = None, end: object = None, leader: str | None = None,
                  site: str | None = None, ref: str | None = None) -> list[Contact]:
    """Contacts, oldest first, keys COLUMNS. start/end bound the date (inclusive); leader and site
    are those of the enrollment the contact belongs to."""
    first, last = dates.iso(start, "from"), dates.iso(end, "to")
    params = {
        "start": first,
        "end": last,
        "ref": participants.get(conn, ref)["ref"] if ref else None,
        **filters.params(conn, leader, site),
    }
    if first and last and first > last:
        raise KimuError("from_after_to", start=first, end=last)
    sql = _LIST + f"""
        WHERE c.date BETWEEN coalesce(:start, '0000-01-01') AND coalesce(:end, '{rules.OPEN_END}')
          AND (:ref IS NULL OR p.ref = :ref) AND {filters.WHERE}
        ORDER BY c.date, p.ref, c.id
    """
    return cast(list[Contact], [{k: r[k] for k in COLUMNS} for r in conn.execute(sql, params)])


def remove(conn: sqlite3.Connection, contact_id: int | str) -> Contact:
    """Delete one contact recorded in error (audited with its values); returns it."""
    old = get(conn, contact_id)
    participant_id = participants.get(conn, old["ref"])["id"]
    conn.execute("DELETE FROM contacts WHERE id = ?", (old["id"],))
    changes = {k: [v, None] for k, v in _values(old).items() if v is not None}
    audit.record(conn, "remove", "contact", old["id"], changes, participant_id)
    return old


# --- follow-up of alerts -------------------------------------------------------------------------

def contact_days(conn: sqlite3.Connection, refs: Iterable[str], first: str, last: str) -> dict[str, list[str]]:
    """{ref: the days of the participant's contacts from first to last, in order}, for the refs given
    (one query for all the alerts of a list or a week)."""
    import json

    sql = """SELECT p.ref, c.date FROM json_each(?) j JOIN participants p ON p.ref = j.value
             JOIN contacts c ON c.participant_id = p.id AND c.date BETWEEN ? AND ? ORDER BY p.ref, c.date"""
    found: dict[str, list[str]] = {}
    for ref, day in conn.execute(sql, (json.dumps(sorted(set(refs))), first, last)):
        found.setdefault(ref, []).append(day)
    return found


def followed_up(conn: sqlite3.Connection, alerts: Iterable["Alert"], on: object = None) -> list["Alert"]:
    """The alerts (attendance.alerts, each with `since`) with `last_contact` (the participant's last
    contact on or after since, up to on) and `followed_up` (there is one), open ones first, each
    group in the order given."""
    day = cast(str, dates.iso(on or dates.today(), "on"))  # on or today: a date
    alerts = list(alerts)
    days = contact_days(conn, (a["ref"] for a in alerts), min((a["since"] for a in alerts), default=day), day)
    out: list[Alert] = []
    for alert in alerts:
        contacted = days.get(alert["ref"], [])
        last = contacted[-1] if contacted and contacted[-1] >= alert["since"] else None
        out.append({**alert, "last_contact": last, "followed_up": last is not None})
    return sorted(out, key=lambda a: a["followed_up"])  # stable: the order given within each group


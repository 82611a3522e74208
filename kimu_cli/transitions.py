"""Transitions (overganger): moves to education or work, and milestones such as fagbrev.

A move may end the open enrollment with reason moved_on, or leave it open so the
leader keeps following through MFY until fagbrev and a job ("Helt i mål").
"""

import sqlite3
from typing import TypedDict, cast

from kimu_cli import audit, dates, fields, filters, participants, rules, vocab
from kimu_cli.errors import KimuError
from kimu_cli.vocab import MOVED_ON_GROUPS, TRANSITION_KINDS

# The interface: JSON keys = CSV columns (also when the list is empty).
COLUMNS = ("id", "ref", "date", "kind", "group", "detail", "note", "leader", "site")


def group(kind: str) -> str:
    """education, work or milestone."""
    return TRANSITION_KINDS[kind][0]


class Checked(TypedDict):
    """A transition as `check` accepts it, ready for `insert`."""

    participant_id: int
    ref: str
    date: str  # ISO
    kind: str  # canonical (vocab.TRANSITION_KINDS)
    detail: str | None
    note: str | None


def check(conn: sqlite3.Connection, ref: str, kind: str, date: object, detail: str | None = None,
          note: str | None = None) -> Checked:
    """One transition as a person or a file gives it -> clean dict
    {participant_id, ref, date, kind, detail, note}; KimuError naming the field otherwise.

    The checks: known ref, kind in English or Norwegian (vocab.transition_kind), a real date
    not in the future and not before the participant's first enrollment (a transition after
    an ended enrollment is fine: a job found later counts), detail and note as fields.clean takes them.
    The CSV importer reuses this so the rules live here once.
    """
    p = participants.get(conn, ref)
    kind = vocab.transition_kind(kind)
    day = cast(str, dates.iso(date, "date"))  # a date is required: the CLI argument, a column import insists on
    if day > dates.today().isoformat():
        raise KimuError("transitions_day_future_record_transition", day=day)
    first = conn.execute("SELECT min(start_date) FROM enrollments WHERE participant_id = ?", (p["id"],)).fetchone()[0]
    if first is None or day < first:
        raise KimuError("transitions_day_before_ref_was", day=day, ref=p['ref'], first=first or 'never')
    return {"participant_id": p["id"], "ref": p["ref"], "date": day, "kind": kind,
            "detail": fields.clean(detail, "transitions.detail"), "note": fields.clean(note, "transitions.note")}


def find(conn: sqlite3.Connection, row: Checked) -> sqlite3.Row | None:
    """The same transition (participant, date, kind) as stored (id, detail, note), or None."""
    return conn.execute(
        "SELECT id, detail, note FROM transitions WHERE participant_id = ? AND date = ? AND kind = ?",
        (row["participant_id"], row["date"], row["kind"]),
    ).fetchone()


def add(conn: sqlite3.Connection, ref: str, kind: str, date: object, detail: str | None = None,
        note: str | None = None, end: bool = False) -> "Transition":
    """Record a transition; with end, the open enrollment ends on that date with reason moved_on.

    end needs a move to education or work: this one, or an earlier one of the participant
    (a fagbrev after MFY may end the follow-up). Returns the transition as list_transitions does.
    """
    row = check(conn, ref, kind, date, detail, note)
    if (same := find(conn, row)) is not None:
        raise KimuError("transitions_ref_already_has_kind", ref=row['ref'], kind=row['kind'], date=row['date'], id=same['id'])
    if end and group(row["kind"]) not in MOVED_ON_GROUPS and not _has_move(conn, row):
        raise KimuError("transitions_kind_milestone_ref_has", kind=row['kind'], ref=row['ref'])
    transition_id = insert(conn, row)
    if end:
        participants.end(conn, row["ref"], row["date"], "moved_on")
    return get(conn, transition_id)


def insert(conn: sqlite3.Connection, row: Checked) -> int:
    """Store a row check() returned, not stored yet (find), with its audit row; returns its id.
    The importer calls this directly: it has checked and looked the row up already."""
    cur = conn.execute(
        "INSERT INTO transitions (participant_id, date, kind, detail, note) "
        "VALUES (:participant_id, :date, :kind, :detail, :note)",
        row,
    )
    values = {k: row[k] for k in ("ref", "date", "kind", "detail", "note")}
    audit.record(conn, "add", "transition", cur.lastrowid, audit.diff({}, values), row["participant_id"])
    return cast(int, cur.lastrowid)


def update(conn: sqlite3.Connection, same: sqlite3.Row, row: "Checked") -> dict[str, list[object]]:
    """Give a stored transition (find) the detail and note of row (check) that row has, with its audit
    row; returns the changes ({field: [old, new]}, empty when nothing differs). The importer's re-import."""
    old = {k: same[k] for k in ("detail", "note")}
    changes = audit.diff(old, {k: row[k] for k in ("detail", "note") if row[k] is not None})
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)  # column names are ours
        conn.execute(f"UPDATE transitions SET {assignments} WHERE id = ?",
                     (*(v[1] for v in changes.values()), same["id"]))
        audit.record(conn, "edit", "transition", same["id"], changes, row["participant_id"])
    return changes


def _has_move(conn: sqlite3.Connection, row: Checked) -> bool:
    kinds = [k for k in TRANSITION_KINDS if group(k) in MOVED_ON_GROUPS]
    return conn.execute(
        f"SELECT 1 FROM transitions WHERE participant_id = ? AND date <= ? "
        f"AND kind IN ({', '.join('?' * len(kinds))})",
        (row["participant_id"], row["date"], *kinds),
    ).fetchone() is not None


# The leader and site of a transition: those of the enrollment covering its date, else of
# the latest one before it (a job found after the period).
_LIST = """
    SELECT t.id, p.ref, t.date, t.kind, k.kind_group AS "group", t.detail, t.note, l.name AS leader, s.name AS site
    FROM transitions t
    JOIN participants p ON p.id = t.participant_id
    JOIN transition_kinds k ON k.kind = t.kind
    LEFT JOIN leaders l ON l.id = (
        SELECT e.leader_id FROM enrollments e WHERE e.participant_id = t.participant_id AND e.start_date <= t.date
        ORDER BY e.start_date DESC LIMIT 1)
    LEFT JOIN sites s ON s.id = l.site_id
"""


class Transition(TypedDict):
    """A transition as `kimu transition list` shows it (COLUMNS)."""

    id: int
    ref: str
    date: str
    kind: str
    group: str  # education, work or milestone
    detail: str | None
    note: str | None
    leader: str | None  # of the enrollment it belongs to (None: before any)
    site: str | None


def get(conn: sqlite3.Connection, transition_id: int | str) -> Transition:
    row = conn.execute(_LIST + " WHERE t.id = ?", (transition_id,)).fetchone()
    if row is None:
        raise KimuError("transitions_no_transition_transition_id", transition_id=transition_id)
    return cast(Transition, dict(row))


def list_transitions(conn: sqlite3.Connection, start: object = None, end: object = None, kind: str | None = None,
                     leader: str | None = None, site: str | None = None, ref: str | None = None) -> list[Transition]:
    """Transitions, oldest first, keys: id, ref, date, kind, group, detail, note, leader, site.

    start/end bound the date (inclusive), kind accepts the Norwegian aliases, leader and site
    are those of the enrollment the transition belongs to.
    """
    params = {
        "start": dates.iso(start, "from"),
        "end": dates.iso(end, "to"),
        "kind": vocab.transition_kind(kind) if kind else None,
        "ref": participants.get(conn, ref)["ref"] if ref else None,
        **filters.params(conn, leader, site),
    }
    sql = _LIST + f"""
        WHERE t.date BETWEEN coalesce(:start, '0000-01-01') AND coalesce(:end, '{rules.OPEN_END}')
          AND (:kind IS NULL OR t.kind = :kind) AND (:ref IS NULL OR p.ref = :ref) AND {filters.WHERE}
        ORDER BY t.date, p.ref, t.id
    """
    return cast(list[Transition], [dict(r) for r in conn.execute(sql, params)])


class Event(TypedDict):
    id: int
    date: str
    kind: str
    detail: str | None
    note: str | None


def timeline(conn: sqlite3.Connection, ref: str) -> dict[str, list[Event]]:
    """For participant show: {transitions: [...], milestones: [...]}, rows id, date, kind, detail, note."""
    out: dict[str, list[Event]] = {"transitions": [], "milestones": []}
    for t in list_transitions(conn, ref=ref):
        out["milestones" if t["group"] == "milestone" else "transitions"].append(
            {"id": t["id"], "date": t["date"], "kind": t["kind"], "detail": t["detail"], "note": t["note"]})
    return out


def remove(conn: sqlite3.Connection, transition_id: int | str) -> Transition:
    """Delete one transition (audited with its values); an enrollment it ended stays ended."""
    old = get(conn, transition_id)
    participant_id = participants.get(conn, old["ref"])["id"]
    conn.execute("DELETE FROM transitions WHERE id = ?", (old["id"],))
    values = {k: old[k] for k in ("ref", "date", "kind", "detail", "note")}
    changes = {k: [v, None] for k, v in values.items() if v is not None}
    audit.record(conn, "remove", "transition", old["id"], changes, participant_id)
    return old

"""Participants (deltakere) and their enrollments (periods followed by one leader).

A participant's status is derived from the enrollments, never stored:
active (an enrollment covers the day), waiting (one starts later), ended.
"""

import sqlite3
from collections.abc import Mapping
from typing import Any, TypedDict, cast

from kimu_cli import audit, dates, fields, filters, leaders, limits, names, rules, vocab
from kimu_cli.errors import KimuError

PERSONAL_FIELDS = ("name", "birth_year", "veileder", "goal", "notes")
STATUSES = ("active", "waiting", "ended", "all")

# The enrollment that decides a participant's status and leader on :on: the one that
# covers the day, else the latest. Used by list and show.
CURRENT_ENROLLMENT = f"""
    SELECT e.*, row_number() OVER (
        PARTITION BY e.participant_id
        ORDER BY ({rules.overlaps(':on', ':on')}) DESC,
                 e.start_date DESC) AS pick
    FROM enrollments e
"""
STATUS_CASE = f"""
    CASE WHEN e.start_date > :on THEN 'waiting'
         WHEN {rules.until()} >= :on THEN 'active'
         ELSE 'ended' END
"""


def get(conn: sqlite3.Connection, ref: str, field: str = "ref") -> sqlite3.Row:
    """A participant by exact ref; an unknown ref suggests the closest ones (kimu_cli.names)."""
    return names.exact(conn, "participant", ref, field)


def _clean_personal(personal: Mapping[str, object]) -> dict[str, Any]:
    """Validate the personal fields a user typed (PERSONAL_FIELDS); None means 'not given'."""
    out = {}
    for key, value in personal.items():
        if value is None:
            continue
        if key == "birth_year":
            value = check_birth_year(value)
        else:
            value = fields.clean(value, f"participants.{key}")
        out[key] = value
    return out


def check_birth_year(value: Any, field: str = "birth-year") -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise KimuError("participants_value_year", field=field, value=value) from None
    if not 1900 <= year <= dates.today().year:
        raise KimuError("participants_year_plausible_birth_year", field=field, year=year)
    return year


def check_ref(ref: object) -> str:
    ref = fields.clean(ref, "participants.ref") or ""
    if not ref:
        raise KimuError("participants_participant_needs_reference")
    return ref


def _leader_open_on(conn: sqlite3.Connection, leader: str, start: str) -> sqlite3.Row:
    row = leaders.get(conn, leader)
    if row["ended"] and row["ended"] < start:
        raise KimuError("participants_name_ended_ended_before", name=row['name'], ended=row['ended'], start=start)
    if row["started"] and row["started"] > start:
        raise KimuError("participants_name_starts_started_after", name=row['name'], started=row['started'], start=start)
    return row


def _enroll(conn: sqlite3.Connection, participant_id: int, ref: str, leader: str, start: str, force: bool) -> int:
    leader_row = _leader_open_on(conn, leader, start)
    forced = limits.check_room(conn, leader_row, start, force, participant_id)
    cur = conn.execute(
        "INSERT INTO enrollments (participant_id, leader_id, start_date, forced) VALUES (?, ?, ?, ?)",
        (participant_id, leader_row["id"], start, int(bool(forced))),
    )
    changes = {"leader": [None, leader_row["name"]], "start_date": [None, start]}
    audit.record(conn, "enroll", "enrollment", ref, changes, participant_id)
    if forced:
        audit.record(conn, "force", "enrollment", ref, {"capacity_override": [None, forced]}, participant_id)
    return cast(int, cur.lastrowid)


def add(conn: sqlite3.Connection, ref: str, leader: str, start: object, force: bool = False,
        **personal: object) -> str:
    """A new participant with a first enrollment. Like reenroll, end and edit it returns the
    stored ref; `show` is the one reader of the result, for callers that print it."""
    ref = check_ref(ref)
    day = cast(str, dates.iso(start, "start"))  # required: the CLI option, a column import insists on
    details = _clean_personal(personal)
    if conn.execute("SELECT 1 FROM participants WHERE ref = ?", (ref,)).fetchone():
        raise KimuError("participants_participant_ref_already_exists", ref=ref)
    columns = ["ref", *details]
    cur = conn.execute(
        f"INSERT INTO participants ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        (ref, *details.values()),
    )
    audit.record(conn, "add", "participant", ref, audit.diff({}, {"ref": ref, **details}), cur.lastrowid)
    _enroll(conn, cast(int, cur.lastrowid), ref, leader, day, force)
    return ref


def reenroll(conn: sqlite3.Connection, ref: str, leader: str, start: object, force: bool = False) -> str:
    """A participant who comes back gets a new enrollment; the old ones are kept."""
    p = get(conn, ref)
    day = cast(str, dates.iso(start, "start"))  # required: the CLI option
    last = conn.execute(
        "SELECT start_date, end_date FROM enrollments WHERE participant_id = ? ORDER BY start_date DESC LIMIT 1",
        (p["id"],),
    ).fetchone()
    if last and last["end_date"] is None:
        raise KimuError("participants_ref_still_enrolled_since", ref=p['ref'], start_date=last['start_date'])
    if last and day <= last["end_date"]:
        raise KimuError("participants_start_after_last_period", start=day, end_date=last['end_date'])
    _enroll(conn, p["id"], p["ref"], leader, day, force)
    return p["ref"]


def open_enrollment(conn: sqlite3.Connection, participant: sqlite3.Row | Mapping[str, Any]) -> sqlite3.Row:
    row = conn.execute(
        "SELECT * FROM enrollments WHERE participant_id = ? AND end_date IS NULL", (participant["id"],)
    ).fetchone()
    if row is None:
        raise KimuError("participants_ref_has_no_open", ref=participant['ref'])
    return row


def end(conn: sqlite3.Connection, ref: str, date: object, reason: str | None,
        enrollment: sqlite3.Row | Mapping[str, Any] | None = None) -> str:
    """End the open enrollment, or correct the end of `enrollment` (an ended one: the importer)."""
    p = get(conn, ref)
    e = enrollment or open_enrollment(conn, p)
    end_date = cast(str, dates.iso(date, "date"))  # required: the CLI argument, an import's column
    reason = vocab.end_reason(reason)
    if end_date < e["start_date"]:
        raise KimuError("participants_end_end_date_before", end_date=end_date, start_date=e['start_date'])
    later = conn.execute(
        "SELECT count(*), max(date) FROM attendance WHERE participant_id = ? AND date > ? AND date <= ?",
        (p["id"], end_date, e["end_date"] or rules.OPEN_END),
    ).fetchone()
    if later[0]:
        raise KimuError(
            "participants_ref_has_attendance_value", ref=p['ref'], value1=later[0], end_date=end_date, value3=later[1]
        )
    conn.execute("UPDATE enrollments SET end_date = ?, end_reason = ? WHERE id = ?", (end_date, reason, e["id"]))
    changes = audit.diff(dict(e), {"end_date": end_date, "end_reason": reason})
    audit.record(conn, "edit" if e["end_date"] else "end", "enrollment", p["ref"], changes, p["id"])
    return p["ref"]


def edit(conn: sqlite3.Connection, ref: str, new_ref: str | None = None, leader: str | None = None,
         start: object = None, **personal: object) -> str:
    """Correct a participant's details; --leader/--start correct the current enrollment."""
    p = dict(get(conn, ref))
    changes = _clean_personal(personal)
    if new_ref is not None:
        checked = check_ref(new_ref)
        if conn.execute("SELECT 1 FROM participants WHERE ref = ? AND id <> ?", (checked, p["id"])).fetchone():
            raise KimuError("participants_new_ref_already_used", new_ref=checked)
        changes["ref"] = checked
    if not changes and leader is None and start is None:
        raise KimuError("participants_give_at_least_one")
    if changes:
        assignments = ", ".join(f"{column} = ?" for column in changes)  # column names are ours
        conn.execute(f"UPDATE participants SET {assignments} WHERE id = ?", (*changes.values(), p["id"]))
        audit.record(conn, "edit", "participant", p["ref"], audit.diff(p, changes), p["id"])
    if leader is not None or start is not None:
        _correct_enrollment(conn, p, leader, start)
    return changes.get("ref", p["ref"])


def _correct_enrollment(conn: sqlite3.Connection, p: Mapping[str, Any], leader: str | None, start: object) -> None:
    e = conn.execute(
        "SELECT * FROM enrollments WHERE participant_id = ? ORDER BY start_date DESC LIMIT 1", (p["id"],)
    ).fetchone()
    if e is None:  # only possible when a row was deleted behind kimu's back
        raise KimuError("participants_ref_has_no_period", ref=p["ref"])
    new: dict[str, Any] = {}
    if start is not None:
        new["start_date"] = dates.iso(start, "start")
        if e["end_date"] and new["start_date"] > e["end_date"]:
            raise KimuError("participants_start_date_after_period", start_date=new['start_date'], end_date=e['end_date'])
        early = conn.execute(
            "SELECT count(*) FROM attendance WHERE participant_id = ? AND date >= ? AND date < ?",
            (p["id"], e["start_date"], new["start_date"]),
        ).fetchone()[0]
        if early:
            raise KimuError("participants_ref_has_attendance_early", ref=p['ref'], early=early, start_date=new['start_date'])
    if leader is not None:
        new["leader_id"] = _leader_open_on(conn, leader, new.get("start_date", e["start_date"]))["id"]
    assignments = ", ".join(f"{column} = ?" for column in new)  # column names are ours
    conn.execute(f"UPDATE enrollments SET {assignments} WHERE id = ?", (*new.values(), e["id"]))
    audit.record(conn, "edit", "enrollment", p["ref"], audit.diff(dict(e), new), p["id"])


class ParticipantRow(TypedDict):
    """A line of `kimu participant list`: the participant and their current enrollment."""

    ref: str
    name: str | None
    leader: str
    site: str
    start_date: str
    end_date: str | None
    end_reason: str | None
    status: str  # active, waiting or ended on the day


def list_participants(conn: sqlite3.Connection, leader: str | None = None, site: str | None = None,
                      status: str = "active", on: object = None) -> list[ParticipantRow]:
    if status not in STATUSES:
        raise KimuError("participants_unknown_value_status_one", status=status, STATUSES=', '.join(STATUSES))
    on = dates.iso(on or dates.today(), "on")
    sql = f"""
        SELECT p.ref, p.name, l.name AS leader, s.name AS site, e.start_date, e.end_date, e.end_reason,
               {STATUS_CASE} AS status
        FROM participants p
        JOIN ({CURRENT_ENROLLMENT}) e ON e.participant_id = p.id AND e.pick = 1
        JOIN leaders l ON l.id = e.leader_id
        JOIN sites s ON s.id = l.site_id
        WHERE {filters.WHERE} AND (:status = 'all' OR {STATUS_CASE} = :status)
        ORDER BY s.name, l.name, p.ref
    """
    params = {"on": on, "status": status, **filters.params(conn, leader, site)}
    return cast(list[ParticipantRow], [dict(r) for r in conn.execute(sql, params)])


class Enrollment(TypedDict):
    start_date: str
    end_date: str | None
    end_reason: str | None
    leader: str
    site: str
    forced: int  # 1: stored over a capacity limit with --force


def enrollments(conn: sqlite3.Connection, participant_id: int) -> list[Enrollment]:
    sql = """
        SELECT e.start_date, e.end_date, e.end_reason, l.name AS leader, s.name AS site, e.forced
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id JOIN sites s ON s.id = l.site_id
        WHERE e.participant_id = ? ORDER BY e.start_date
    """
    return cast(list[Enrollment], [dict(r) for r in conn.execute(sql, (participant_id,))])

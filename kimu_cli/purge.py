"""`kimu purge`: anonymise participants whose follow-up ended long ago.

What identifies a person goes (ref, name, veileder, goal, notes, free-text notes and
details on attendance, transitions and contacts, and the same values in the audit log); what the
statistics count stays (enrollments with dates, leaders and end reasons, attendance
statuses, transition kinds and dates, birth year as a decade).
"""

import json
import sqlite3
from typing import Any, TypedDict, cast

from kimu_cli import audit, dates
from kimu_cli.errors import KimuError

CANDIDATES = """
    SELECT p.id, p.ref, max(e.end_date) AS last_end_date
    FROM participants p JOIN enrollments e ON e.participant_id = p.id
    WHERE p.anonymised = 0
    GROUP BY p.id
    HAVING count(e.end_date) = count(*) AND max(e.end_date) < :before
    ORDER BY last_end_date, p.ref
"""


class Candidate(TypedDict):
    """A participant `kimu purge` anonymises (CANDIDATES)."""

    id: int
    ref: str
    last_end_date: str


def candidates(conn: sqlite3.Connection, before: object) -> list[Candidate]:
    """Participants whose every enrollment ended before `before` and who still carry personal data."""
    rows = conn.execute(CANDIDATES, {"before": dates.iso(before, "ended-before")})
    return cast(list[Candidate], [dict(r) for r in rows])


def purge(conn: sqlite3.Connection, before: object) -> list[Candidate]:
    """Anonymise every candidate (inside the caller's transaction); returns who was anonymised."""
    done = candidates(conn, before)
    conn.execute("PRAGMA secure_delete = ON")  # the old values are overwritten in the file, not just unlinked
    for p in done:
        anonymise(conn, p["id"], p["ref"])
    return done


def anonymous_ref(participant_id: int) -> str:
    return f"ANON-{participant_id}"


def anonymise(conn: sqlite3.Connection, participant_id: int, old_ref: str) -> None:
    ref = anonymous_ref(participant_id)
    if conn.execute("SELECT 1 FROM participants WHERE ref = ? AND id <> ?", (ref, participant_id)).fetchone():
        raise KimuError("purge_another_participant_already_has", ref=ref)
    conn.execute(
        """
        UPDATE participants
        SET ref = :ref, name = NULL, veileder = NULL, goal = NULL, notes = NULL,
            birth_year = birth_year / 10 * 10, anonymised = 1
        WHERE id = :id
        """,
        {"ref": ref, "id": participant_id},
    )
    conn.execute("UPDATE attendance SET note = NULL WHERE participant_id = ? AND note IS NOT NULL", (participant_id,))
    conn.execute("UPDATE transitions SET detail = NULL, note = NULL WHERE participant_id = ?", (participant_id,))
    conn.execute("UPDATE contacts SET note = NULL WHERE participant_id = ? AND note IS NOT NULL", (participant_id,))
    redacted = _redact_audit(conn, participant_id, old_ref, ref)
    audit.record(conn, "purge", "participant", ref, {"anonymised": [0, 1], audit.VOUCHES: [None, redacted]},
                 participant_id)


def _redact_audit(conn: sqlite3.Connection, participant_id: int, old_ref: str, ref: str) -> dict[str, str]:
    """The one update the audit log allows: a redaction, here of the personal values; {id: digest}
    of the rows redacted, for the purge's own row to vouch for them."""
    rows = conn.execute(
        """
        SELECT id, record, changes FROM audit_log
        WHERE redacted = 0 AND (participant_id = ? OR (participant_id IS NULL AND record = ? COLLATE NOCASE))
        """,
        (participant_id, old_ref),
    ).fetchall()
    refs = _refs_ever(old_ref, rows)
    conn.executemany(
        "UPDATE audit_log SET redacted = 1, record = ?, changes = ? WHERE id = ?",
        [(_rename(r["record"], refs, ref), redact_changes(r["changes"]), r["id"]) for r in rows],
    )
    return audit.vouch(conn, [r["id"] for r in rows])


def _refs_ever(current: str, rows: list[sqlite3.Row]) -> list[str]:
    """Every ref the participant has had (participant edit --ref), longest first."""
    refs = {current}
    for r in rows:
        refs.update(v for v in json.loads(r["changes"] or "{}").get("ref", []) if v)
    return sorted(refs, key=len, reverse=True)


def _rename(record: str | None, refs: list[str], ref: str) -> str | None:
    """'D-2026-014 2026-11-20' -> 'ANON-7 2026-11-20'; records that are not a ref stay as they are."""
    for old in refs:
        if record and record.lower().startswith(old.lower()) and record[len(old):len(old) + 1] in ("", " "):
            return ref + record[len(old):]
    return record


def redact_changes(changes_json: str | None) -> str | None:
    """{field: [old, new]} with the values of personal fields replaced; birth years become decades."""
    if not changes_json:
        return changes_json
    changes: dict[str, list[Any]] = json.loads(changes_json)
    for key, values in changes.items():
        if key in audit.PERSONAL_KEYS:
            changes[key] = [None if v is None else audit.REDACTED for v in values]
        elif key == "birth_year":
            changes[key] = [None if v is None else int(v) // 10 * 10 for v in values]
    return json.dumps(changes, ensure_ascii=False)

"""The audit log: every change is written here in the same transaction as the change."""

import json

from kimu_cli import dates


def diff(old, new):
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}


def record(conn, action, entity, record, changes=None, participant_id=None):
    """Append one audit row. Call inside the transaction that makes the change."""
    conn.execute(
        """
        INSERT INTO audit_log (login, command, action, entity, record, participant_id, changes)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
        (
            conn.login or "unknown",
            conn.command,
            action,
            entity,
            None if record is None else str(record),
            participant_id,
            json.dumps(changes, ensure_ascii=False, default=str) if changes else None,
        ),
    )


# An entry's keys, as `entries` returns them and `kimu audit` shows them.
COLUMNS = ("id", "at", "login", "command", "action", "entity", "record", "changes", "redacted")


def entries(conn, since=None, ref=None, limit=None):
    """Audit rows, oldest first, optionally from a date and for one participant ref (under any
    ref they have had); `changes` as {field: [old, new]}. limit keeps the newest rows."""
    params = {"since": dates.iso(since, "since"), "limit": limit or -1}
    for_participant = ""
    if ref is not None:
        from kimu_cli import participants

        # By id, so the audit_log_participant index is used (a log grows like attendance).
        params["participant_id"] = participants.get(conn, ref)["id"]
        for_participant = "AND participant_id = :participant_id"
    sql = f"""
        SELECT * FROM (
            SELECT {', '.join(COLUMNS)} FROM audit_log
            WHERE (:since IS NULL OR at >= :since) {for_participant}
            ORDER BY id DESC LIMIT :limit
        ) ORDER BY id
    """
    rows = [dict(r) for r in conn.execute(sql, params)]
    for row in rows:
        row["changes"] = json.loads(row["changes"]) if row["changes"] else {}
    return rows


def describe(changes):
    """One line for a table: 'field: old -> new; ...'."""
    return "; ".join(f"{field}: {_value(old)} -> {_value(new)}" for field, (old, new) in changes.items())


def _value(v):
    return "-" if v is None else str(v)

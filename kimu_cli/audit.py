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


def entries(conn, since=None, ref=None, limit=None):
    """Audit rows, oldest first, optionally from a date and for one participant ref (under any
    ref they have had); `changes` as {field: [old, new]}."""
    if ref is not None:
        from kimu_cli import participants

        ref = participants.get(conn, ref)["ref"]
    sql = """
        SELECT a.id, a.at, a.login, a.command, a.action, a.entity, a.record, a.changes, a.redacted
        FROM audit_log a
        LEFT JOIN participants p ON p.id = a.participant_id
        WHERE (:since IS NULL OR a.at >= :since)
          AND (:ref IS NULL OR p.ref = :ref)
        ORDER BY a.id
    """
    rows = [dict(r) for r in conn.execute(sql, {"since": dates.iso(since, "since"), "ref": ref})]
    for row in rows:
        row["changes"] = json.loads(row["changes"]) if row["changes"] else {}
    return rows[-limit:] if limit else rows


def describe(changes):
    """One line for a table: 'field: old -> new; ...'."""
    return "; ".join(f"{field}: {_value(old)} -> {_value(new)}" for field, (old, new) in changes.items())


def _value(v):
    return "-" if v is None else str(v)

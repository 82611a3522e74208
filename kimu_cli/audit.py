"""The audit log: every change is written here in the same transaction as the change, as one link of
a hash chain.

Each row carries `digest`, the SHA-256 of its content as written (CONTENT, as canonical JSON), and
`chain`, the SHA-256 of the previous row's chain and its own digest. SQLite's triggers refuse every
DELETE, every INSERT that reuses an id (INSERT OR REPLACE), and every UPDATE but a redaction
(`is_redaction`, a function only kimu's connections have). A purge or `kimu db redact` that redacts
rows records, in its own row, the digest of each redacted row's new content, so the chain vouches for
the redaction. `verify` (run by `kimu db check`) recomputes both and names the first row where they
break.

What this can promise: a change made through kimu, or by another client that leaves the triggers in
place, is refused; an edit behind the triggers' back (dropping them, editing the file's bytes) breaks
the chain at the row it touched. What it cannot: anyone who can write the file can also recompute
every digest and chain after their edit. A backup kept elsewhere, or the chain head printed in the
weekly summary (`audit.head`), is what makes such a rewrite visible: compare the head of that day.
"""

import hashlib
import json
import re
import sqlite3
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

from kimu_cli import dates

if TYPE_CHECKING:
    from kimu_cli import db

# The columns a row's digest covers, in this order.
CONTENT = ("id", "at", "login", "command", "action", "entity", "record", "participant_id", "changes")
GENESIS = ""  # the chain before the first row
REDACTED = "[redacted]"
# Audit values that may identify a person (purge replaces them by REDACTED).
PERSONAL_KEYS = {"ref", "name", "veileder", "goal", "notes", "note", "detail"}
# The key of a purge's or a redaction's own row that vouches for the rows it redacted: {id: digest}.
VOUCHES = "redacted_rows"


# {field: [old, new]}: what an audit row records of a change.
Changes = dict[str, list[Any]]


def diff(old: Mapping[str, object], new: Mapping[str, object]) -> Changes:
    """{field: [old, new]} for the fields whose value changed."""
    return {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}


def digest(row: Mapping[str, object] | sqlite3.Row) -> str:
    """SHA-256 (hex) of a row's CONTENT: what the chain vouches for."""
    content = json.dumps([row[c] for c in CONTENT], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def link(previous: str, row_digest: str) -> str:
    """The chain of a row: SHA-256 (hex) of the previous row's chain and the row's digest."""
    return hashlib.sha256(f"{previous}{row_digest}".encode("ascii")).hexdigest()


def head(conn: sqlite3.Connection) -> tuple[int, str]:
    """(id, chain) of the last row: the whole log's fingerprint, to note down elsewhere."""
    last = conn.execute("SELECT id, chain FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return (last["id"], last["chain"]) if last else (0, GENESIS)


def record(conn: sqlite3.Connection, action: str, entity: str, record: object,
           changes: Mapping[str, object] | None = None, participant_id: int | None = None) -> None:
    """Append one audit row, the next link of the chain. Call inside the transaction that makes the
    change (its write lock keeps the id and the previous link ours until it commits)."""
    kimu = cast("db.Connection", conn)  # opened by db.open_file, which sets login and command
    last_id, last_chain = head(conn)
    row: dict[str, object] = {
        "id": last_id + 1,
        "at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
        "login": kimu.login or "unknown",
        "command": kimu.command,
        "action": action,
        "entity": entity,
        "record": None if record is None else str(record),
        "participant_id": participant_id,
        "changes": json.dumps(changes, ensure_ascii=False, default=str) if changes else None,
    }
    row["digest"] = digest(row)
    row["chain"] = link(last_chain, str(row["digest"]))
    conn.execute(f"INSERT INTO audit_log ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                 tuple(row.values()))


def vouch(conn: sqlite3.Connection, ids: Collection[object]) -> dict[str, str]:
    """{id: digest of its content now} of rows just redacted, for the redacting row's VOUCHES."""
    marks = ",".join("?" * len(ids))
    return {str(r["id"]): digest(r) for r in conn.execute(
        f"SELECT {', '.join(CONTENT)} FROM audit_log WHERE id IN ({marks})", tuple(ids))}


def verify(conn: sqlite3.Connection) -> tuple[int, str] | None:
    """None when the chain and every row's content hold, else (id, why) of the first row where they
    break: a row inserted, removed, reordered or changed other than by a vouched redaction."""
    vouched: dict[str, str] = {}
    for (changes,) in conn.execute(f"SELECT changes FROM audit_log WHERE changes LIKE '%{VOUCHES}%' ORDER BY id"):
        vouched.update(json.loads(changes).get(VOUCHES, [None, {}])[1] or {})
    previous = GENESIS
    for row in conn.execute(f"SELECT {', '.join(CONTENT)}, digest, chain FROM audit_log ORDER BY id"):
        if row["digest"] is None or row["chain"] != link(previous, row["digest"]):
            return row["id"], "the chain breaks here: a row was inserted, removed or replaced"
        now = digest(row)
        if now != row["digest"] and vouched.get(str(row["id"])) != now:
            return row["id"], "its content differs from what was written, and no redaction vouches for it"
        previous = row["chain"]
    return None


def is_redaction(old: str | None, new: str | None) -> bool:
    """True when new is old redacted (one text column of an audit row): the same, some digits masked
    (kimu db redact), a leading ref replaced by ANON-<n> (purge), or, in a JSON object of
    {field: [old, new]}, values of personal fields replaced by REDACTED and birth years by their
    decade (purge). SQLite's trigger on audit_log asks this of every update (as the SQL function
    audit_log_append_only_allows)."""
    from kimu_cli import idnumber

    if old == new or idnumber.masks(old, new):
        return True
    if old is None or new is None:
        return False
    anonymous = re.fullmatch(r"ANON-\d+((?: .*)?)", new, re.DOTALL)
    if anonymous and old.endswith(anonymous[1]) and len(old) > len(anonymous[1]):
        return True
    return _redacted_changes(old, new)


def _redacted_changes(old: str, new: str) -> bool:
    try:
        before, after = json.loads(old), json.loads(new)
    except ValueError:
        return False
    if not (isinstance(before, dict) and isinstance(after, dict) and before.keys() == after.keys()):
        return False
    return all(_redacted_values(key, before[key], after[key]) for key in before)


def _redacted_values(key: str, before: object, after: object) -> bool:
    if before == after:
        return True
    if not (isinstance(before, list) and isinstance(after, list) and len(before) == len(after)):
        return False
    return all(a == b or (key in PERSONAL_KEYS and a is not None and b == REDACTED)
               or (key == "birth_year" and isinstance(a, int) and b == a // 10 * 10)
               for a, b in zip(before, after))


# An entry's keys, as `entries` returns them and `kimu audit` shows them.
COLUMNS = ("id", "at", "login", "command", "action", "entity", "record", "changes", "redacted")


class Entry(TypedDict):
    """One audit row as `entries` returns it (COLUMNS)."""

    id: int
    at: str  # UTC, 2026-11-20T12:34:56.789Z
    login: str
    command: str  # the kimu command that made the change, e.g. "participant add"
    action: str  # add, edit, end, remove, purge, redact, ...
    entity: str  # participant, leader, site, transition, attendance, database, ...
    record: str | None  # which one: a ref, a name, an id
    changes: Changes
    redacted: int  # 1 when a purge or redaction has masked the row


def entries(conn: sqlite3.Connection, since: object = None, participant_id: int | None = None,
            limit: int | None = None) -> list[Entry]:
    """Audit rows, oldest first, optionally from a date and for one participant (by id: under any
    ref they have had); `changes` as {field: [old, new]}. limit keeps the newest rows."""
    params: dict[str, object] = {"since": dates.iso(since, "since"), "limit": limit or -1}
    for_participant = ""
    if participant_id is not None:
        # By id, so the audit_log_participant index is used (a log grows like attendance).
        params["participant_id"] = participant_id
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
    return cast(list[Entry], rows)


def describe(changes: Changes) -> str:
    """One line for a table: 'field: old -> new; ...'."""
    return "; ".join(f"{field}: {_value(old)} -> {_value(new)}" for field, (old, new) in changes.items())


def _value(v: object) -> str:
    return "-" if v is None else str(v)

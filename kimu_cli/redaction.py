"""Identity numbers that got into the file behind kimu's back (written with sqlite3, or stored by an
older kimu): found in every text of every table, the audit log included (`kimu db check`), and
masked in place (`kimu db redact`).

kimu refuses an identity number in every text it takes in (idnumber.refuse), so a find here means a
write that bypassed kimu. The search reads every column of every table, since SQLite stores text in
any column; a value shorter than 11 characters cannot hold 11 digits and is skipped in SQL.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypedDict

from kimu_cli import audit, idnumber


class Found(TypedDict):
    """Where an identity number is: never the number itself."""

    table: str
    column: str
    row: str  # the row as people know it (a ref, a name, a ref and a date), else its key
    key: dict[str, object]  # the key's columns and values, to find the row again
    fix: str  # the command that corrects the field, where there is one


# How people know a row of the tables they edit, and the command that corrects a field of it.
_KNOWN = {
    "participants": ("ref", "'kimu participant edit REF --<field> ...'"),
    "leaders": ("name", "'kimu leader edit NAME --name ...'"),
    "sites": ("name", ""),
    "transitions": ("id", "'kimu transition remove ID', then add it again"),
    "contacts": ("id", "'kimu contact remove ID', then add it again"),
    "attendance": ("(SELECT ref FROM participants WHERE id = participant_id) || ' ' || date",
                   "'kimu attendance record' the day again with another --note"),
}


def _has_identity_number(value: object) -> bool:
    return isinstance(value, str) and idnumber.is_identity_number_in(value)


# The audit log's columns SQLite's trigger keeps as written (schema.AUDIT_LOG_ONLY_REDACTION). A
# number there is in a row forged behind kimu's back (its chain breaks): it is found, but cannot be
# masked in place; the way out is a backup from before. (kimu's own hashes there are hex digests,
# which idnumber does not read for numbers.)
KEPT = {("audit_log", column) for column in ("id", "at", "participant_id", "digest", "chain")}


def maskable(place: Found) -> bool:
    """True when redact can mask the number at place (not in a column the audit log keeps)."""
    return (place["table"], place["column"]) not in KEPT


def find(conn: sqlite3.Connection) -> list[Found]:
    """Every text value in the file that holds an identity number, table by table, in key order."""
    conn.create_function("kimu_has_identity_number", 1, _has_identity_number, deterministic=True)
    found: list[Found] = []
    for table, keys in _tables(conn):
        key_sql = ", ".join(f'"{k}"' for k in keys)
        label, fix = _KNOWN.get(table, ("'row ' || " + " || ' ' || ".join(keys), ""))
        for column in _columns(conn, table):
            sql = (f'SELECT {label}, {key_sql} FROM "{table}" WHERE typeof("{column}") = \'text\' '
                   f'AND length("{column}") >= {idnumber.LENGTH} AND kimu_has_identity_number("{column}") '
                   f"ORDER BY {key_sql}")
            for row in conn.execute(sql):  # names from sqlite_master, quoted
                # The row as people know it may hold a number itself, written in a way a printed
                # line does not read as one (two spaces, a line break): masked as the file is read.
                found.append({"table": table, "column": column, "row": idnumber.mask(str(row[0])),
                              "key": dict(zip(keys, tuple(row)[1:])), "fix": fix})
    return found


def _tables(conn: sqlite3.Connection) -> list[tuple[str, list[str]]]:
    """(table, the columns that find one row) of every table but SQLite's own."""
    tables = []
    for name, without_rowid in conn.execute(
            "SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"):
        if without_rowid:
            keys = [r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk",
                                               (name,))]
        else:
            keys = ["rowid"]
        tables.append((name, keys))
    return tables


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM pragma_table_info(?) ORDER BY cid", (table,))]


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("SAVEPOINT redact_one")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK TO redact_one")
        raise
    finally:
        conn.execute("RELEASE redact_one")


def redact(conn: sqlite3.Connection) -> list[Found]:
    """Mask every identity number found (its digits become '•'), in the audit log too, and record
    where in the audit log, without the numbers; the places masked. Not masked: a number in a column
    the audit log keeps as written (maskable), or in a row SQLite refuses to change because it breaks
    a rule of its table already (written with checks or foreign keys off): only a backup from before
    takes those away. Call inside a transaction."""
    done: list[Found] = []
    audit_rows: set[Any] = set()  # audit_log ids, from a Found key
    for place in (place for place in find(conn) if maskable(place)):
        where = " AND ".join(f'"{k}" = ?' for k in place["key"])
        params = tuple(place["key"].values())
        column = place["column"]
        (value,) = conn.execute(f'SELECT "{column}" FROM "{place["table"]}" WHERE {where}', params).fetchone()
        also = ", redacted = 1" if place["table"] == "audit_log" else ""
        masked = idnumber.mask(value)
        update = f'UPDATE "{place["table"]}" SET "{column}" = ?{also} WHERE {where}'
        try:
            with _savepoint(conn):
                try:
                    conn.execute(update, (masked, *params))
                except sqlite3.IntegrityError:  # a unique value (a ref) that masks like another: told apart
                    conn.execute(update, (f"{masked} #{'-'.join(map(str, params))}", *params))
        except sqlite3.IntegrityError:  # a rule the row breaks already: left to a backup, the rest goes on
            continue
        done.append(place)
        if place["table"] == "audit_log":
            audit_rows.update(params)
    if done:
        audit.record(conn, "redact", "database", None,
                     {"masked": [None, [idnumber.mask(f"{p['table']} {p['row']} {p['column']}") for p in done]],
                      audit.VOUCHES: [None, audit.vouch(conn, sorted(audit_rows))]})
    return done

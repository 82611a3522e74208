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


# kimu's own hashes (audit.py): hex, where 11 digits between letters are chance, not a number.
_HASHES = {("audit_log", "digest"), ("audit_log", "chain")}


def find(conn: sqlite3.Connection) -> list[Found]:
    """Every text value in the file that holds an identity number, table by table, in key order."""
    conn.create_function("kimu_has_identity_number", 1, _has_identity_number, deterministic=True)
    found: list[Found] = []
    for table, keys in _tables(conn):
        key_sql = ", ".join(f'"{k}"' for k in keys)
        label, fix = _KNOWN.get(table, ("'row ' || " + " || ' ' || ".join(keys), ""))
        for column in _columns(conn, table):
            if (table, column) in _HASHES:
                continue
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
    where in the audit log, without the numbers. Call inside a transaction."""
    found = find(conn)
    audit_rows: set[Any] = set()  # audit_log ids, from a Found key
    for place in found:
        where = " AND ".join(f'"{k}" = ?' for k in place["key"])
        params = tuple(place["key"].values())
        column = place["column"]
        (value,) = conn.execute(f'SELECT "{column}" FROM "{place["table"]}" WHERE {where}', params).fetchone()
        also = ""
        if place["table"] == "audit_log":
            also = ", redacted = 1"
            audit_rows.update(params)
        masked = idnumber.mask(value)
        update = f'UPDATE "{place["table"]}" SET "{column}" = ?{also} WHERE {where}'
        try:
            with _savepoint(conn):
                conn.execute(update, (masked, *params))
        except sqlite3.IntegrityError:  # a unique value (a ref) that masks like another: told apart
            conn.execute(update, (f"{masked} #{'-'.join(map(str, params))}", *params))
    if found:
        audit.record(conn, "redact", "database", None,
                     {"masked": [None, [idnumber.mask(f"{p['table']} {p['row']} {p['column']}") for p in found]],
                      audit.VOUCHES: [None, audit.vouch(conn, sorted(audit_rows))]})
    return found

"""`kimu db backup` and `kimu db restore`: consistent copies through SQLite's online backup API.

A backup is taken from one read snapshot (WAL lets writers go on meanwhile) into a
private temporary file that is renamed into place only when complete. A restore checks
the file first, keeps the database it replaces, and writes the restored pages into the
live file with the same API, in one write transaction, so other kimu processes simply wait.
"""

import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from kimu_cli import audit, db
from kimu_cli.errors import KimuError
from kimu_cli.schema import MIGRATIONS

KIMU_TABLES = {"sites", "leaders", "participants", "enrollments", "attendance", "transitions", "audit_log"}


def _stamp():
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _copy(source, dest):
    """Copy the database behind connection `source` to a new private file `dest`, as one snapshot."""
    with db.written_whole(dest) as partial:
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # a self-contained file, no -wal beside it
        finally:
            target.close()


def backup(conn, dest, overwrite=False):
    """Copy the open database to dest (a file, or a folder for a time-stamped name: one that
    exists, or one given with a trailing slash, created 0700)."""
    folder = str(dest).endswith(("/", os.sep))
    dest = Path(dest).expanduser()
    if folder and not dest.exists():
        try:
            dest.mkdir(parents=True, mode=0o700)
        except OSError as e:
            raise KimuError(f"backup: cannot create folder '{dest}': {e.strerror}") from None
    if dest.is_dir():
        dest = dest / f"kimu-{_stamp()}.db"
    if dest.exists() and not overwrite:
        raise KimuError(f"backup: '{dest}' already exists; choose another name or add --overwrite")
    in_use = conn.execute("PRAGMA database_list").fetchone()["file"]
    if dest.exists() and dest.samefile(in_use):
        raise KimuError(f"backup: '{dest}' is the database itself; choose another name")
    if not dest.parent.is_dir():
        raise KimuError(f"backup: folder '{dest.parent}' does not exist")
    try:
        _copy(conn, dest)
    except OSError as e:
        raise KimuError(f"backup: cannot write '{dest}': {e.strerror}") from None
    return {"backup": str(dest), "bytes": dest.stat().st_size}


def check_file(src):
    """Open src read-only and insist it is a sound kimu database this kimu can use."""
    src = Path(src).expanduser()
    if not src.is_file():
        raise KimuError(f"restore: '{src}' is not a file")
    conn = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro", uri=True)
    try:
        _check(conn, src)
    except sqlite3.DatabaseError as e:
        conn.close()
        raise KimuError(f"restore: '{src}' is not a usable SQLite database ({e}); nothing was changed") from None
    except KimuError:
        conn.close()
        raise
    return conn


def _check(conn, src):
    problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
    if problems:
        raise KimuError(f"restore: '{src}' is damaged ({problems[0]}); nothing was changed")
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    version = db.schema_version(conn)
    if not KIMU_TABLES <= tables or version < 1:
        raise KimuError(f"restore: '{src}' is not a kimu database; nothing was changed")
    if version > len(MIGRATIONS):
        raise KimuError(
            f"restore: '{src}' was written by a newer kimu (schema {version}, this kimu knows "
            f"{len(MIGRATIONS)}); upgrade kimu first; nothing was changed"
        )


def restore(target, src, command="db restore"):
    """Replace the database at target with src, keeping the replaced one beside it."""
    target = db.resolve_path(target)
    if target.is_dir():
        raise KimuError(f"database: '{target}' is a directory, not a file")
    source = check_file(src)
    try:
        if Path(src).resolve() == target.resolve():
            raise KimuError(f"restore: '{src}' is the database in use")
        kept = _replace(target, source)
    finally:
        source.close()
    conn = db.connect(target, command=command)  # upgrades a restored file from an older kimu
    try:
        with db.transaction(conn):
            audit.record(conn, "restore", "database", str(Path(src).resolve()), {"replaced_kept_as": [None, kept]})
    finally:
        conn.close()
    return {"restored": str(src), "database": str(target), "replaced_kept_as": kept}


def _replace(target, source):
    if not target.exists():
        _copy(source, target)
        return None
    kept = target.with_name(f"{target.name}.replaced-{_stamp()}")
    try:
        current = db.connect(target, migrate=False)
    except KimuError:  # a file kimu cannot open (damaged, or from a newer kimu) is moved aside as it is
        for file, aside in zip(db.with_sidecars(target), db.with_sidecars(kept)):
            if file.exists():
                os.replace(file, aside)
        _copy(source, target)
        return str(kept)
    try:
        # A WAL database cannot take pages of another size; kimu files all use SQLite's default.
        if source.execute("PRAGMA page_size").fetchone()[0] != current.execute("PRAGMA page_size").fetchone()[0]:
            raise KimuError("restore: the file's page size differs from the database's; nothing was changed")
        _copy(current, kept)
        source.backup(current)  # one write transaction on the live file
    finally:
        current.close()
    return str(kept)

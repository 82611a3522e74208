"""`kimu db backup` and `kimu db restore`: consistent copies through SQLite's online backup API.

A backup is taken from one read snapshot (WAL lets writers go on meanwhile) into a
private temporary file that is renamed into place only when complete. A restore checks
the file first, keeps the database it replaces, and writes the restored pages into the
live file with the same API, in one write transaction, so other kimu processes simply wait.
"""

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

from kimu_cli import audit, db, idnumber, labels, outputs
from kimu_cli.errors import KimuError
from kimu_cli.schema import MIGRATIONS


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def kept_name(live: Path) -> Path:
    """Where a database that a restore (or `demo --replace`) replaces is kept: beside it, time-stamped,
    and never over one kept before (two restores within a second would write the first one's over)."""
    stamp = _stamp()
    kept, n = live.with_name(f"{live.name}.replaced-{stamp}"), 1
    while kept.exists() or kept.is_symlink():
        n += 1
        kept = live.with_name(f"{live.name}.replaced-{stamp}-{n}")
    return kept


def _copy(source: sqlite3.Connection, dest: Path, database: Path | None, what: str = "backup") -> None:
    """Copy the database behind connection `source` to a new private file `dest`, as one snapshot,
    put in place whole (outputs.written_whole_by_name: never the database, never through a link)."""
    with outputs.written_whole_by_name(dest, database, what) as partial:
        target = sqlite3.connect(partial)
        try:
            _pages(source, target)
            target.execute("PRAGMA journal_mode = DELETE")  # a self-contained file, no -wal beside it
        finally:
            target.close()


def _pages(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """source.backup(target), failing as every command does when another process holds the target's
    lock past its busy timeout: Python's backup retries a busy step forever (a restore would wait
    for a long import to end, however long)."""

    def progress(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):  # after the target's busy timeout
            raise sqlite3.OperationalError("database is locked")

    source.backup(target, progress=progress)


class BackedUp(TypedDict):
    backup: str  # the file written
    bytes: int


def backup(conn: sqlite3.Connection, dest: str | os.PathLike[str], overwrite: bool = False) -> BackedUp:
    """Copy the open database to dest (a file, or a folder for a time-stamped name: one that
    exists, or one given with a trailing slash, created 0700)."""
    if str(dest) == outputs.STDOUT:  # elsewhere '-' is standard output: never a file called '-'
        raise KimuError("backup_not_stdout")
    folder = db.names_folder(dest)
    path = Path(dest).expanduser()
    if folder and path.exists() and not path.is_dir():  # 'notes.txt/': a folder was meant, not that file
        raise KimuError("outputs_folder_parent_missing", what="backup", parent=path,
                        missing=labels.later("folder_not_a_folder"))
    created = path if folder and not path.exists() else None
    if created:
        try:
            path.mkdir(parents=True, mode=0o700)
        except OSError as e:
            raise KimuError("backup_cannot_create_folder_dest", dest=path, strerror=e.strerror) from None
    try:
        if path.is_dir() and not path.is_symlink():
            path = path / f"kimu-{_stamp()}.db"
        database = db.file_of(conn)
        outputs.check_target(path, database, "backup")
        if path.exists() and not overwrite:
            raise KimuError("backup_dest_already_exists_choose", dest=path)
        _copy(conn, path, database)
    except BaseException:
        if created:  # a failed backup leaves nothing, not even the folder it made
            created.rmdir()
        raise
    return {"backup": str(path), "bytes": path.stat().st_size}


class Restored(TypedDict):
    restored: str  # the backup file
    database: str  # the database it replaced
    replaced_kept_as: str | None  # the replaced database, kept beside it (None: there was none)


def restore(target: str | os.PathLike[str] | None, src: str | os.PathLike[str],
            command: str = "db restore") -> Restored:
    """Replace the database at target with src, keeping the replaced one beside it.

    src is copied into a private temporary database (deleted by SQLite when closed, even after a
    kill), checked there completely, upgraded, and given its audit row; only then is it written
    into the live file, in one write transaction. Killed at any point, the live file is the old
    database or the restored one with its audit row."""
    live = db.resolve_path(target)
    if live.is_dir():
        raise KimuError("backup_target_directory_file", target=live)
    source = Path(src).expanduser()
    idnumber.refuse(str(source), "backup file")  # its path goes into the audit log
    if live.exists() and source.exists() and source.samefile(live):
        raise KimuError("backup_src_database", src=source)
    kept = kept_name(live) if live.exists() else None
    prepared = _prepared(source, command, kept)
    try:
        _replace(live, prepared, kept)
    finally:
        prepared.close()
    return {"restored": str(source), "database": str(live), "replaced_kept_as": str(kept) if kept else None}


def _prepared(src: Path, command: str, kept: Path | None) -> db.Connection:
    """src copied into a temporary database, checked, upgraded and audited."""
    source = _open_read_only(src)
    temporary = sqlite3.connect("", factory=db.Connection, isolation_level=None)
    try:
        try:
            source.backup(temporary)
        except sqlite3.DatabaseError as e:
            raise KimuError("backup_src_usable_sqlite_database", src=src, e=e) from None
        finally:
            source.close()
        temporary.row_factory = sqlite3.Row
        temporary.command, temporary.login = command, db.login()
        db.functions(temporary)
        temporary.execute("PRAGMA foreign_keys = ON")
        _check(temporary, src)
        db.upgrade(temporary)
        _check_rules(temporary, src)
        with db.transaction(temporary):
            audit.record(temporary, "restore", "database", str(src.resolve()),
                         {"replaced_kept_as": [None, str(kept) if kept else None]})
    except BaseException:
        temporary.close()
        raise
    return temporary


def _open_read_only(src: Path) -> sqlite3.Connection:
    if not src.is_file():
        raise KimuError("backup_src_file", src=src)
    try:
        with open(src, "rb") as f:
            if f.read(len(db.SQLITE_MAGIC)) != db.SQLITE_MAGIC:
                raise KimuError("backup_src_usable_sqlite_database_2", src=src)
        return sqlite3.connect(db.read_only_uri(src), uri=True)
    except (OSError, sqlite3.Error) as e:
        raise KimuError("backup_cannot_read_src_e", src=src, e=e) from None


def _refused(src: Path, why: str) -> KimuError:
    return KimuError("backup_src_why_nothing_was", src=src, why=why)


def _check(conn: sqlite3.Connection, src: Path) -> None:
    """Insist that conn holds a sound SQLite database with exactly the schema kimu gave a file of its
    version, and a version this kimu knows."""
    from kimu_cli import checks

    try:
        damage = [p for p in checks.integrity(conn) if p["fix"] != checks.BROKEN_CHECK]  # rules: see _check_rules
        if damage:
            raise _refused(src, labels.later("restore_damaged", record=damage[0]["record"]))
        version = db.schema_version(conn)
        if version > len(MIGRATIONS):
            raise _refused(src, labels.later("restore_newer", version=version, known=len(MIGRATIONS)))
        differs = _schema_differences(conn, version) if version >= 1 else labels.later("restore_no_version")
    except sqlite3.DatabaseError as e:
        raise _refused(src, labels.later("restore_unusable", error=e)) from None
    if differs:
        raise _refused(src, labels.later("restore_not_kimu", differs=differs))


def _check_rules(conn: sqlite3.Connection, src: Path) -> None:
    """Nothing `kimu db check` would find (on the upgraded copy: the rules are this kimu's)."""
    from kimu_cli import checks

    problems = checks.rules(conn)
    if problems:
        first = problems[0]
        raise _refused(src, labels.later("restore_fails_check", count=len(problems), check=first["check"],
                                         record=first["record"]))


def _schema_differences(conn: sqlite3.Connection, version: int) -> str:
    """What conn's schema lacks or has otherwise than a new file after `version` migrations ('' if
    nothing): every table with its columns, index and trigger, and the migrations recorded."""
    expected = _schema(_reference(version))
    actual = _schema(conn)
    for name, shape in expected.items():
        if name not in actual:
            return f"no {shape[0]} '{name}'"
        if actual[name] != shape:
            return f"{shape[0]} '{name}' differs"
    extra = sorted(set(actual) - set(expected))
    if extra:  # a trigger or view of someone else's would run in the live file
        return f"{actual[extra[0]][0]} '{extra[0]}' is not kimu's"
    ran = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'kimu' ORDER BY id")]
    if ran != [fn.__name__ for fn in MIGRATIONS[:version]]:
        return "its recorded migrations differ"
    return ""


def _schema(conn: sqlite3.Connection) -> dict[str, tuple[Any, ...]]:
    """{name: (type, table, columns, normalised SQL)} of every table, index, view and trigger (the SQL
    holds a table's CHECKs too)."""
    shapes: dict[str, tuple[Any, ...]] = {}
    for kind, name, table, sql in conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                                               "WHERE name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\'"):
        columns: tuple[Any, ...] = ()
        if kind == "table":
            columns = tuple(tuple(c)[1:] for c in conn.execute("SELECT * FROM pragma_table_info(?)", (name,)))
        shapes[name] = (kind, table, columns, " ".join((sql or "").split()))
    return shapes


def _reference(version: int) -> sqlite3.Connection:
    """A new in-memory database after the first `version` migrations."""
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    conn = sqlite3.connect(":memory:")
    migrations = Migrations("kimu")
    for fn in MIGRATIONS[:version]:
        migrations()(fn)
    migrations.apply(Database(conn, recursive_triggers=False))
    return conn


def _replace(target: Path, prepared: sqlite3.Connection, kept: Path | None) -> None:
    """Write the prepared database into target (created if missing), the replaced one kept."""
    if kept is None:
        _copy(prepared, target, None, "restore")
        return
    try:
        current = db.connect(target, migrate=False)
    except db.NotKimu:  # a FIFO, a device, another program's file: refused as it is, never moved aside
        raise
    except KimuError:  # a kimu file kimu cannot open (damaged, or from a newer kimu) is moved aside as it is
        for file, aside in zip(db.with_sidecars(target), db.with_sidecars(kept)):
            if file.exists():
                os.replace(file, aside)
        _copy(prepared, target, None, "restore")
        return
    try:
        # A WAL database cannot take pages of another size; kimu files all use SQLite's default.
        if prepared.execute("PRAGMA page_size").fetchone()[0] != current.execute("PRAGMA page_size").fetchone()[0]:
            raise KimuError("backup_file_page_size_differs")
        _copy(current, kept, target)
        try:
            _pages(prepared, current)  # one write transaction on the live file
        except BaseException:  # nothing was replaced (the transaction rolled back): nothing to keep
            kept.unlink(missing_ok=True)
            raise
    finally:
        current.close()

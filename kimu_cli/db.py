"""Opening the database file: where it is, its pragmas, its permissions, and its migrations.

Migrations are sqlite-utils' ordered, recorded migration functions (table
`_sqlite_migrations`). `PRAGMA user_version` mirrors how many have run, so a
current file is recognised with one pragma and sqlite-utils is not even imported
on the hot path; a file from a newer kimu (a higher number) is refused untouched.
"""

import getpass
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from kimu_cli.errors import KimuError
from kimu_cli.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000
APP_DIR_NAME = "kimu"


def default_path():
    """The user's data directory: $XDG_DATA_HOME/kimu/kimu.db (~/.local/share/kimu on Linux)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / APP_DIR_NAME / "kimu.db"


def resolve_path(db=None):
    """--db PATH > KIMU_DB > the default file."""
    chosen = db or os.environ.get("KIMU_DB")
    return Path(chosen).expanduser() if chosen else default_path()


class Connection(sqlite3.Connection):
    """A connection that knows which command is using it, for the audit log."""

    command = "python"
    login = None


def _login():
    try:
        return getpass.getuser()
    except Exception:  # no login name in a bare cron or container environment
        return str(os.getuid())


def with_sidecars(path):
    """The database file and the -wal and -shm files SQLite keeps beside it."""
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm")]


def create_private_file(path):
    """Create path with mode 0600, or make a file already there 0600 (an export written over an
    older one); its folder 0700 when kimu creates it."""
    path = Path(path)
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


@contextmanager
def written_whole(path):
    """A private temporary file beside path to write; renamed onto path when the block ends well,
    removed when it fails, so path is never half-written."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    create_private_file(partial)
    try:
        yield partial
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def connect(db=None, command="python", migrate=True):
    """Open (creating and upgrading as needed) the database and return a Connection.

    Autocommit mode: writes go through `transaction()`, so every command is one
    transaction and a failure leaves nothing half-written.
    """
    path = resolve_path(db)
    if path.is_dir():
        raise KimuError(f"database: '{path}' is a directory, not a file")
    if not path.exists():
        try:
            create_private_file(path)
        except OSError as e:
            raise KimuError(f"database: cannot create '{path}': {e.strerror}") from None
    conn = open_file(path)
    conn.command = command
    if migrate:
        upgrade(conn, path)
    return conn


def open_file(path, threads=False):
    """The file, opened with kimu's pragmas; threads: the connection may be handed to another thread."""
    try:
        conn = sqlite3.connect(path, factory=Connection, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=not threads)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        refuse_newer(conn, path)  # before WAL is switched on, which would rewrite the header
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as e:
        raise KimuError(f"database: '{path}' is not a kimu database ({e})") from None
    conn.login = _login()
    return conn


def schema_version(conn):
    return conn.execute("PRAGMA user_version").fetchone()[0]


def refuse_newer(conn, path):
    """A file from a newer kimu is refused before anything is written to it."""
    version = schema_version(conn)
    if version > len(MIGRATIONS):
        conn.close()
        raise KimuError(
            f"database: '{path}' was written by a newer version of kimu (schema {version}, "
            f"this kimu knows {len(MIGRATIONS)}); upgrade kimu, the file was not changed"
        )


def upgrade(conn, path="database"):
    """Run the migrations this file has not had yet; refuse a file from a newer kimu."""
    if schema_version(conn) == len(MIGRATIONS):
        return
    refuse_newer(conn, path)
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

    migrations = Migrations("kimu")
    for fn in MIGRATIONS:
        migrations()(fn)
    # One immediate transaction: two processes opening a new file at once migrate it once.
    with transaction(conn):
        migrations.apply(Database(conn, recursive_triggers=False))
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")


@contextmanager
def transaction(conn):
    """One write transaction; BEGIN IMMEDIATE takes the write lock up front so a
    concurrent writer waits (busy timeout) instead of failing with 'database is locked'."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def snapshot(conn):
    """Reads that must agree (the statements of one report) see one state of the file, whatever a
    writer commits meanwhile; inside a transaction already, that one."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


@contextmanager
def alongside(conn, work, *args):
    """One snapshot of conn for the caller's reads, and work(other, *args) run meanwhile on a second
    connection in a thread (SQLite lets go of the GIL, so on a second core); yields a function that
    waits for the work and returns its result.

    Both read one state of the file: `other` reads the file's data version before conn's snapshot
    is taken and again after the work; if a writer committed in between, the work is done again on
    conn. Inside a transaction of the caller's, whose reads or writes another connection cannot
    share, the work runs on conn when its result is asked for."""
    if conn.in_transaction:
        yield lambda: work(conn, *args)
        return
    import threading  # here: every command imports this module, one uses threads

    other = open_file(conn.execute("PRAGMA database_list").fetchone()["file"], threads=True)
    before = _data_version(other)
    done = {}

    def run():
        try:
            with snapshot(other):
                done["result"] = work(other, *args)
            done["agrees"] = _data_version(other) == before
        except BaseException as e:  # raised in the caller
            done["error"] = e

    def result():
        thread.join()
        if "error" in done:
            raise done["error"]
        return done["result"] if done["agrees"] else work(conn, *args)

    thread = threading.Thread(target=run, name="kimu-alongside", daemon=True)
    try:
        with snapshot(conn):
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1")  # conn's snapshot is taken here, after `before`
            thread.start()
            yield result
    finally:
        if thread.is_alive():
            thread.join()
        other.close()


def _data_version(conn):
    """Changes when another connection commits (PRAGMA data_version)."""
    return conn.execute("PRAGMA data_version").fetchone()[0]

"""Opening the database file: where it is, its pragmas, its permissions, and its migrations.

Migrations are sqlite-utils' ordered, recorded migration functions (table
`_sqlite_migrations`). `PRAGMA user_version` mirrors how many have run, so a
current file is recognised with one pragma and sqlite-utils is not even imported
on the hot path; a file from a newer kimu (a higher number) is refused untouched.
"""

import getpass
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from kimu_cli import labels
from kimu_cli.errors import KimuError, one_line
from kimu_cli.schema import MIGRATIONS

BUSY_TIMEOUT_MS = 10_000
APP_DIR_NAME = "kimu"

T = TypeVar("T")
# Hears what the user should know (render.error on the command line).
Notify = Callable[[str], object]


def default_path() -> Path:
    """The user's data directory: $XDG_DATA_HOME/kimu/kimu.db (~/.local/share/kimu on Linux)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / APP_DIR_NAME / "kimu.db"


def resolve_path(db: str | os.PathLike[str] | None = None) -> Path:
    """--db PATH > KIMU_DB > the default file. A name ending in '/' names a folder, never the file
    of that name (Path would drop the slash); an empty --db is refused (an empty KIMU_DB is unset)."""
    if db is not None and not os.fspath(db):  # --db "$UNSET": a path lost on the way, not the default file
        raise KimuError("db_path_empty")
    chosen = db or os.environ.get("KIMU_DB")
    if chosen and names_folder(chosen):
        raise NotKimu("db_path_names_folder", path=chosen)
    return Path(chosen).expanduser() if chosen else default_path()


def names_folder(given: str | os.PathLike[str]) -> bool:
    """Whether a path as typed ends in a separator: a folder, never the file of that name (Path drops
    the separator, so ask before making one)."""
    return os.fspath(given).endswith(("/", os.sep))


class Connection(sqlite3.Connection):
    """A connection that knows which command is using it, for the audit log."""

    command = "python"
    login: str | None = None


def login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare cron or container environment
        return str(os.getuid())


# The files SQLite keeps beside a database: the WAL, its index, and a rollback journal.
SIDECARS = ("-wal", "-shm", "-journal")
SQLITE_MAGIC = b"SQLite format 3\x00"
KIMU_TABLES = frozenset({"sites", "leaders", "participants", "enrollments", "attendance", "transitions", "audit_log"})


# Less free space than this where the database is, and an I/O error is the disk being full: SQLite
# says SQLITE_FULL when its own writes fail for space, but "disk I/O error" when it cannot make or
# grow the -shm that WAL mode needs to read at all (32 KiB).
FULL_BELOW = 1 << 20


def disk_full(path: str | os.PathLike[str]) -> bool:
    """Whether the filesystem that holds path (a file, perhaps missing) has less than FULL_BELOW free."""
    try:
        found = os.statvfs(Path(path).absolute().parent)
    except OSError:
        return False
    return found.f_bavail * found.f_frsize < FULL_BELOW


def with_sidecars(path: str | os.PathLike[str]) -> list[Path]:
    """The database file and the files SQLite may keep beside it (SIDECARS)."""
    return [Path(f"{path}{suffix}") for suffix in ("", *SIDECARS)]


def create_private_file(path: str | os.PathLike[str]) -> None:
    """Create path with mode 0600, or make a file already there 0600; the folders kimu creates for
    it 0700."""
    path = Path(path)
    for folder in reversed([folder for folder in path.parents if not folder.exists()]):
        folder.mkdir(mode=0o700)  # each one made private, not only the last
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def connect(db: str | os.PathLike[str] | None = None, command: str = "python", migrate: bool = True,
            create: bool = False, notify: Notify | None = None) -> Connection:
    """Open the kimu database and return a Connection, upgrading an older file.

    A missing file is created (mode 0600 in a 0700 folder) only with create=True: a command that
    only reads must not make an empty register out of a mistyped path. notify(text) hears what the
    user should know (a new file, permissions made private). Autocommit mode: writes go through
    `transaction()`, so every command is one transaction and a failure leaves nothing half-written.
    """
    path = resolve_path(db)
    new = _prepare(path, create)
    if new and notify:
        notify(labels.t("db_created", path=one_line(str(path))))  # a notice is one line too
    _identify(path, allow_empty=create)
    _make_private(path, notify)  # before SQLite opens the -shm, which it would open read-only for good
    conn = _open(path)
    conn.command = command
    try:
        if migrate:
            upgrade(conn)
    except BaseException:
        conn.close()
        raise
    return conn


class NotKimu(KimuError):
    """What is at the path is no kimu database, damaged or not: a folder, a FIFO, a device, another
    program's SQLite file. A restore never moves it aside to make room."""


def _prepare(path: Path, create: bool) -> bool:
    """Refuse what cannot be a database file; create a missing one if allowed. True when created."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if not create:
            raise KimuError("db_path_does_exist_create", path=path) from None
        try:
            create_private_file(path)
        except OSError as e:
            raise KimuError("db_cannot_create_path_strerror", path=path, strerror=e.strerror) from None
        return True
    except OSError as e:
        raise KimuError("db_cannot_open_path_strerror", path=path, strerror=e.strerror) from None
    if stat.S_ISDIR(info.st_mode):
        raise NotKimu("db_path_directory_file", path=path)
    if not stat.S_ISREG(info.st_mode):
        raise NotKimu("db_path_regular_file_device", path=path)
    if info.st_size == 0 and not create:
        raise KimuError("db_path_empty_file_kimu", path=path)
    return False


def _make_private(path: Path, notify: Notify | None) -> None:
    """A database (and its -wal/-shm) that group or others may read is made 0600, with a word why.
    A -wal/-shm also gets what the database file lets its owner do: SQLite makes them with the
    file's mode, so a read while the file was read-only (0400) leaves a -shm that would keep every
    write out, as 'read-only', after the file is made writable again."""
    widest = 0
    owner = 0
    for file in with_sidecars(path):
        try:
            mode = stat.S_IMODE(file.stat().st_mode)
            wanted = (mode | owner) & 0o700
            if wanted != mode:
                file.chmod(wanted)
                widest |= mode if mode & 0o077 else 0
            owner = owner or mode & 0o700  # the database file's, first in the list
        except FileNotFoundError:
            continue
        except OSError as e:
            raise KimuError("db_cannot_make_file_private", file=file, strerror=e.strerror) from None
    if widest and notify:
        notify(labels.t("db_made_private", path=one_line(str(path)), mode=f"{widest:o}"))


def _not_kimu(path: str | os.PathLike[str], why: object) -> NotKimu:
    return NotKimu("db_path_kimu_database_why", path=path, why=why)


def open_file(path: str | os.PathLike[str], threads: bool = False, allow_empty: bool = False) -> Connection:
    """The file, opened with kimu's pragmas once it is known to be a kimu database (or, with
    allow_empty, a file with nothing in it yet); threads: the connection may be handed to another
    thread. Anything else is refused before a byte of it is written."""
    _identify(path, allow_empty)
    return _open(path, threads)


def _open(path: str | os.PathLike[str], threads: bool = False) -> Connection:
    """The file _identify accepted, opened with kimu's pragmas."""
    try:
        conn = sqlite3.connect(path, factory=Connection, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=not threads)
    except sqlite3.Error as e:
        raise KimuError("db_cannot_open_path_e", path=path, e=e) from None
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        functions(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    conn.login = login()
    return conn


def functions(conn: sqlite3.Connection) -> None:
    """The SQL functions kimu's schema uses: the audit log's trigger lets a row change only where
    audit_log_append_only_allows (audit.is_redaction) says the change is a redaction; another
    client, without the function, cannot update the audit log at all."""
    from kimu_cli import audit

    conn.create_function("audit_log_append_only_allows", 2, audit.is_redaction, deterministic=True)


def _identify(path: str | os.PathLike[str], allow_empty: bool) -> None:
    """Insist the file is kimu's: its application_id, or (files from before it was set) its tables;
    refuse a file from a newer kimu. A file with no tables at all is a new database, accepted only
    where one may be created. Read on a read-only connection of its own, which neither checkpoints
    nor removes another program's -wal (read_only_uri)."""
    from kimu_cli.schema import APPLICATION_ID

    with open(path, "rb") as f:
        magic = f.read(len(SQLITE_MAGIC))
    if not magic:
        return  # an empty file: _prepare let it through only where a database may be created
    if magic != SQLITE_MAGIC:  # not NotKimu: it may be a kimu file a disk failure wrote over (restore moves it aside)
        raise KimuError("db_path_kimu_database_why", path=path, why=labels.later("db_not_sqlite"))
    try:
        probe = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            application_id = probe.execute("PRAGMA application_id").fetchone()[0]
            version = probe.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            probe.close()
    except sqlite3.DatabaseError as e:
        if e.sqlite_errorname == "SQLITE_NOTADB":  # SQLite's header, the rest not: damaged, perhaps kimu's
            raise KimuError("db_path_kimu_database_why", path=path, why=e) from None
        if e.sqlite_errorname.startswith("SQLITE_IOERR") and disk_full(path):
            raise KimuError("nothing_changed", cause=labels.later("sqlite_full")) from None
        raise KimuError("db_cannot_read_path_e", path=path, e=e) from None
    if application_id not in (0, APPLICATION_ID):
        raise _not_kimu(path, labels.later("db_other_program_id", application_id=application_id))
    if version > len(MIGRATIONS):
        raise KimuError("db_path_was_written_by", path=path, version=version, count=len(MIGRATIONS))
    if application_id == APPLICATION_ID or KIMU_TABLES <= tables:
        return
    if tables or version:
        raise _not_kimu(path, labels.later("db_other_program"))
    if not allow_empty:
        raise KimuError("db_path_has_no_kimu", path=path)


def read_only_uri(path: str | os.PathLike[str]) -> str:
    """A URI that opens path only to read it, on a connection that neither checkpoints nor removes a
    -wal there, and makes no -wal or -shm where there is none (immutable) beside someone's file."""
    mode = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
    return f"{Path(path).resolve().as_uri()}?{mode}"


def file_of(conn: sqlite3.Connection) -> Path:
    """The file behind a connection."""
    return Path(conn.execute("PRAGMA database_list").fetchone()["file"])


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def upgrade(conn: sqlite3.Connection) -> None:
    """Run the migrations this file has not had yet (open_file refused a file from a newer kimu)."""
    if schema_version(conn) == len(MIGRATIONS):
        return
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
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction; BEGIN IMMEDIATE takes the write lock up front so a
    concurrent writer waits (busy timeout) instead of failing with 'database is locked'."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # SQLite rolls back by itself on some errors (a full disk)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
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
def alongside(conn: sqlite3.Connection, work: Callable[..., T], *args: object) -> Iterator[Callable[[], T]]:
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

    other = open_file(file_of(conn), threads=True)
    before = _data_version(other)
    done: dict[str, Any] = {}

    def run() -> None:
        try:
            with snapshot(other):
                done["result"] = work(other, *args)
            done["agrees"] = _data_version(other) == before
        except BaseException as e:  # noqa: BLE001 -- raised in the caller
            done["error"] = e

    def result() -> T:
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


def _data_version(conn: sqlite3.Connection) -> int:
    """Changes when another connection commits (PRAGMA data_version)."""
    return conn.execute("PRAGMA data_version").fetchone()[0]

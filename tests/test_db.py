"""kimu db backup / restore / check, and upgrading files written by other versions of kimu.

Problems that kimu itself refuses to store are constructed with a plain sqlite3
connection that first removes the guard standing in the way: `PRAGMA foreign_keys = OFF`
for a dangling reference, DROP TRIGGER / DROP INDEX for the domain rules, and
`PRAGMA writable_schema` to make an index disagree with its table (a damaged file).
"""

import hashlib
import json
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import SCHEMA_1, identity_number, templated

from kimu_cli.schema import MIGRATIONS


def mode(path):
    return stat.S_IMODE(Path(path).stat().st_mode)


def digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def raw(path, *statements):
    """Run SQL on the file without kimu (and without its foreign-key enforcement)."""
    conn = sqlite3.connect(path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def rows(path, sql):
    conn = sqlite3.connect(f"{Path(path).as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@templated
def enrolled(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-01-05", "--name", "Amira")
    register.ok("participant", "add", "P2", "--leader", "Ola Brøndbo", "--start", "2026-02-02")
    return register


# ---- backup ----

def test_backup_is_a_complete_private_self_contained_copy(enrolled, tmp_path):
    dest = tmp_path / "backups" / "kimu-monday.db"
    dest.parent.mkdir()
    out = enrolled.ok("db", "backup", dest)
    assert str(dest) in out
    assert mode(dest) == 0o600
    assert rows(dest, "SELECT ref, name FROM participants ORDER BY ref") == [("P1", "Amira"), ("P2", None)]
    assert rows(dest, "PRAGMA journal_mode") == [("delete",)]
    assert sorted(p.name for p in dest.parent.iterdir()) == ["kimu-monday.db"]  # no -wal, no temporary file


def test_backup_into_a_folder_gets_a_time_stamped_name(enrolled, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    enrolled.ok("db", "backup", folder)
    (made,) = folder.iterdir()
    assert made.name.startswith("kimu-") and made.suffix == ".db"
    assert rows(made, "SELECT count(*) FROM participants") == [(2,)]


def test_backup_into_a_new_folder_given_with_a_slash_creates_it(enrolled, tmp_path):
    folder = tmp_path / "kimu-backups"
    enrolled.ok("db", "backup", f"{folder}/")
    assert folder.is_dir() and mode(folder) == 0o700
    (made,) = folder.iterdir()
    assert made.name.startswith("kimu-") and made.suffix == ".db"
    assert rows(made, "SELECT count(*) FROM participants") == [(2,)]


def test_backup_does_not_overwrite_a_file_unless_asked(enrolled, tmp_path):
    dest = tmp_path / "b.db"
    dest.write_text("precious")
    assert "already exists" in enrolled.fails("db", "backup", dest)
    assert dest.read_text() == "precious"
    enrolled.ok("db", "backup", dest, "--overwrite")
    assert rows(dest, "SELECT count(*) FROM participants") == [(2,)]


def test_backup_never_overwrites_the_database_itself(enrolled):
    assert "is the database in use" in enrolled.fails("db", "backup", enrolled.path, "--overwrite")
    assert len(enrolled.query("SELECT ref FROM participants")) == 2


def test_backup_into_a_missing_folder_is_a_clear_error(enrolled, tmp_path):
    assert "does not exist" in enrolled.fails("db", "backup", tmp_path / "nowhere" / "b.db")


# ---- restore ----

def test_restore_replaces_the_database_and_keeps_the_replaced_one(enrolled, tmp_path):
    backup = tmp_path / "b.db"
    enrolled.ok("db", "backup", backup)
    enrolled.ok("participant", "add", "P3", "--leader", "Kari Nordmann", "--start", "2026-03-02")

    out = enrolled.ok("db", "restore", backup)

    assert [r["ref"] for r in enrolled.query("SELECT ref FROM participants ORDER BY ref")] == ["P1", "P2"]
    (kept,) = enrolled.path.parent.glob("kimu.db.replaced-*")
    assert str(kept) in out
    assert mode(kept) == 0o600
    assert rows(kept, "SELECT count(*) FROM participants") == [(3,)]
    (entry,) = enrolled.query("SELECT command, action, changes FROM audit_log WHERE action = 'restore'")
    assert entry["command"] == "db restore"
    assert json.loads(entry["changes"]) == {"replaced_kept_as": [None, str(kept)]}


def test_restore_while_another_connection_has_the_database_open(enrolled, tmp_path):
    backup = tmp_path / "b.db"
    enrolled.ok("db", "backup", backup)
    enrolled.ok("participant", "add", "P3", "--leader", "Kari Nordmann", "--start", "2026-03-02")
    other = enrolled.connect()  # e.g. a report running in another terminal
    try:
        assert other.execute("SELECT count(*) FROM participants").fetchone()[0] == 3
        enrolled.ok("db", "restore", backup)
        assert other.execute("SELECT count(*) FROM participants").fetchone()[0] == 2
    finally:
        other.close()
    assert enrolled.ok("db", "check").startswith("ok")


def test_restore_over_a_database_kimu_cannot_open_moves_it_aside(enrolled, tmp_path):
    backup = tmp_path / "b.db"
    enrolled.ok("db", "backup", backup)
    enrolled.path.write_bytes(b"garbage after a disk failure" * 100)
    assert "not a kimu database" in enrolled.fails("participant", "list")

    enrolled.ok("db", "restore", backup)

    assert enrolled.ok("db", "check").startswith("ok")
    assert len(enrolled.query("SELECT ref FROM participants")) == 2
    (kept,) = enrolled.path.parent.glob("kimu.db.replaced-*")
    assert kept.read_bytes() == b"garbage after a disk failure" * 100


def test_restore_onto_a_new_machine_creates_the_database(enrolled, tmp_path):
    backup = tmp_path / "b.db"
    enrolled.ok("db", "backup", backup)
    fresh = tmp_path / "new" / "kimu.db"
    fresh.parent.mkdir()
    enrolled.ok("--db", fresh, "db", "restore", backup)
    assert mode(fresh) == 0o600
    assert rows(fresh, "SELECT count(*) FROM participants") == [(2,)]
    assert not list(fresh.parent.glob("*.replaced-*"))


def _not_sqlite(path, backup):
    path.write_text("ref;name\nP1;Amira\n")


def _truncated(path, backup):
    path.write_bytes(backup.read_bytes()[:5000])


def _not_kimu(path, backup):
    raw(path, "CREATE TABLE people (name TEXT)", "INSERT INTO people VALUES ('x')")


def _newer(path, backup):
    shutil.copy(backup, path)
    raw(path, f"PRAGMA user_version = {len(MIGRATIONS) + 1}")


def _damaged(path, backup):
    shutil.copy(backup, path)
    raw(path, "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = 'CREATE INDEX leaders_site ON leaders(yearly_capacity)' "
        "WHERE name = 'leaders_site'")


@pytest.mark.parametrize(
    "make, says",
    [
        (_not_sqlite, "not a usable SQLite database"),
        (_truncated, "SQLite database"),
        (_not_kimu, "not a kimu database"),
        (_newer, "newer kimu"),
        (_damaged, "is damaged"),
    ],
)
def test_restore_refuses_a_bad_file_and_leaves_the_database_untouched(enrolled, tmp_path, make, says):
    backup = tmp_path / "good.db"
    enrolled.ok("db", "backup", backup)
    bad = tmp_path / "bad.db"
    make(bad, backup)
    before = digest(enrolled.path)

    message = enrolled.fails("db", "restore", bad)

    assert says in message and "nothing was changed" in message
    assert digest(enrolled.path) == before
    assert not list(enrolled.path.parent.glob("kimu.db.replaced-*"))


def test_restore_of_a_missing_file_is_a_clear_error(enrolled, tmp_path):
    missing = tmp_path / "nope.db"
    assert enrolled.fails("db", "restore", missing) == f"kimu: restore: '{missing}' is not a file"


def test_restore_refuses_the_database_in_use(enrolled):
    assert "is the database in use" in enrolled.fails("db", "restore", enrolled.path)


def test_restore_of_an_old_backup_upgrades_it(kimu, tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(SCHEMA_1, old)
    kimu.ok("db", "init")
    kimu.ok("db", "restore", old)
    assert kimu.query("PRAGMA user_version")[0]["user_version"] == len(MIGRATIONS)
    assert kimu.query("SELECT count(*) AS n FROM participants")[0]["n"] == 3


# ---- check ----

def problems(kimu):
    result = kimu("db", "check", "--format", "json")
    assert result.exit_code == 3, result.output
    found = json.loads(result.stdout)
    assert all(p["fix"] for p in found)  # every problem says what to do
    return found


def test_check_passes_on_a_sound_database(enrolled):
    assert enrolled.ok("db", "check") == "ok: integrity, foreign keys and domain rules\n"
    assert json.loads(enrolled.ok("db", "check", "--format", "json")) == []


def test_check_finds_a_damaged_index(enrolled):
    raw(enrolled.path, "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = 'CREATE INDEX leaders_site ON leaders(yearly_capacity)' "
        "WHERE name = 'leaders_site'")
    found = problems(enrolled)
    assert {p["check"] for p in found} == {"integrity"}
    assert all("leaders_site" in p["record"] and "kimu db restore" in p["fix"] for p in found)


def test_check_finds_a_row_pointing_at_nothing(enrolled):
    raw(enrolled.path, "INSERT INTO transitions (participant_id, date, kind) VALUES (99, '2026-03-01', 'mfy')")
    assert {"check": "foreign key", "record": "transitions row 1 -> participants"} in [
        {k: p[k] for k in ("check", "record")} for p in problems(enrolled)
    ]


CONSTRUCTED = {
    "overlapping enrollments": (
        "DROP TRIGGER enrollments_no_overlap_insert",
        ("INSERT INTO enrollments (participant_id, leader_id, start_date, end_date, end_reason) "
         "VALUES (1, 1, '2025-12-01', '2026-02-01', 'other')"),
    ),
    "more than one open enrollment": (
        "DROP TRIGGER enrollments_no_overlap_insert",
        "DROP INDEX enrollments_one_open",
        "INSERT INTO enrollments (participant_id, leader_id, start_date) VALUES (1, 1, '2026-06-01')",
    ),
    "attendance outside every enrollment": (
        "DROP TRIGGER attendance_insert",
        "INSERT INTO attendance (participant_id, date, status) VALUES (1, '2025-06-01', 'present')",
    ),
    "transition before the first enrollment": (
        "INSERT INTO transitions (participant_id, date, kind) VALUES (1, '2025-06-01', 'mfy')",
    ),
    "participant without any enrollment": ("INSERT INTO participants (ref) VALUES ('P9')",),
    "leader ended while still following participants": ("UPDATE leaders SET ended = '2026-03-01' WHERE id = 1",),
    "enrollment facts differ from a recount": ("DELETE FROM enrollment_facts",),
    "identity number stored": (f"UPDATE participants SET notes = 'fnr {identity_number()}' WHERE ref = 'P2'",),
}


@pytest.mark.parametrize("rule", CONSTRUCTED)
def test_check_finds_each_broken_domain_rule_and_says_what_to_do(enrolled, rule):
    raw(enrolled.path, *CONSTRUCTED[rule])
    found = problems(enrolled)
    assert rule in {p["check"] for p in found}
    assert all("kimu" in p["fix"] for p in found if p["check"] == rule)  # a command or rule to follow


@pytest.mark.parametrize(
    "statement, record, fix",
    [
        ("UPDATE participants SET veileder = '{}' WHERE ref = 'P1'", "participants P1 veileder", "participant edit"),
        ("UPDATE leaders SET name = 'Kari {}' WHERE id = 1", "leaders Kari", "leader edit"),
        ("INSERT INTO transitions (participant_id, date, kind, note) VALUES (1, '2026-02-01', 'mfy', '{}')",
         "transitions 1 note", "transition remove"),
        ("INSERT INTO attendance (participant_id, date, status, note) VALUES (1, '2026-02-02', 'absent', '{}')",
         "attendance P1 2026-02-02 note", "attendance record"),
    ],
)
def test_check_finds_an_identity_number_stored_behind_kimus_back(enrolled, statement, record, fix):
    raw(enrolled.path, statement.format(identity_number("010190")))
    (found,) = problems(enrolled)
    assert found["check"] == "identity number stored"
    assert found["record"].startswith(record) and fix in found["fix"]


def test_check_names_the_problem_and_the_fix_in_the_table(enrolled):
    raw(enrolled.path, *CONSTRUCTED["participant without any enrollment"])
    result = enrolled("db", "check")
    assert result.exit_code == 3
    assert "P9" in result.stdout and "kimu participant reenroll" in result.stdout


# ---- files from other versions ----

def _open_schema_1_copy_and_compare(kimu, migrations):
    """Copy the schema-1 fixture, let kimu open it, and insist every old row is still there."""
    shutil.copy(SCHEMA_1, kimu.path)
    tables = [t for (t,) in rows(SCHEMA_1, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    before = {t: rows(SCHEMA_1, f"SELECT * FROM {t}") for t in tables}
    assert before["participants"] and before["attendance"] and before["transitions"] and before["audit_log"]

    assert kimu.ok("db", "check") == "ok: integrity, foreign keys and domain rules\n"

    assert rows(kimu.path, "PRAGMA user_version") == [(len(migrations),)]
    for table, old in before.items():
        columns = [c for (_, c, *_) in rows(SCHEMA_1, f"PRAGMA table_info({table})")]
        kept = rows(kimu.path, f"SELECT {', '.join(columns)} FROM {table}")  # the old columns, names from the file
        if table == "_sqlite_migrations":
            assert set(old) <= set(kept) and len(kept) == len(migrations)
        else:
            assert sorted(kept) == sorted(old), table
    assert "D-2022-002" in kimu.ok("participant", "list", "--status", "all")


def test_a_database_from_schema_1_upgrades_and_keeps_every_row(kimu):
    _open_schema_1_copy_and_compare(kimu, MIGRATIONS)


def test_a_later_migration_runs_on_a_schema_1_file_and_keeps_every_row(kimu, monkeypatch):
    """One more migration on top of kimu's own: every pending one runs, in order, on an old file."""
    from kimu_cli import db

    def later(database):
        database.execute("ALTER TABLE participants ADD COLUMN municipality TEXT")

    monkeypatch.setattr(db, "MIGRATIONS", [*MIGRATIONS, later])
    _open_schema_1_copy_and_compare(kimu, [*MIGRATIONS, later])
    assert rows(kimu.path, "SELECT name FROM _sqlite_migrations ORDER BY id")[-1] == ("later",)
    assert rows(kimu.path, "SELECT count(*) FROM participants WHERE municipality IS NULL") == [(3,)]


def test_a_database_from_a_newer_kimu_is_refused_byte_for_byte_unchanged(kimu):
    kimu.ok("site", "add", "Solbakken")
    raw(kimu.path, f"PRAGMA user_version = {len(MIGRATIONS) + 1}", "PRAGMA journal_mode = DELETE")
    before = digest(kimu.path)

    message = kimu.fails("site", "list")

    assert "newer version of kimu" in message and "not changed" in message
    assert digest(kimu.path) == before
    assert sorted(p.name for p in kimu.path.parent.glob("kimu.db*")) == ["kimu.db"]


# ---- permissions ----

def test_the_database_and_its_wal_and_shm_files_are_private(enrolled):
    conn = enrolled.connect()  # held open so that the -wal and -shm files exist
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE participants SET notes = 'x' WHERE ref = 'P1'")
        conn.execute("COMMIT")
        for suffix in ("", "-wal", "-shm"):
            assert mode(f"{enrolled.path}{suffix}") == 0o600, suffix
    finally:
        conn.close()

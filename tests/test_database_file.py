"""Opening the database file: creation, permissions, pragmas, migrations, start-up cost."""

import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from kimu_cli import db


def test_new_database_is_private_and_in_wal_mode(kimu, tmp_path):
    path = tmp_path / "private" / "kimu.db"
    kimu.ok("--db", str(path), "db", "init")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    conn = db.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_migrations_are_recorded_in_the_file(kimu):
    kimu.ok("db", "init")
    applied = kimu.query("SELECT migration_set, name FROM _sqlite_migrations ORDER BY id")
    assert applied[0] == {"migration_set": "kimu", "name": "initial"}
    assert kimu.query("PRAGMA user_version")[0]["user_version"] == len(applied)


def test_sqlite_forbids_overlapping_enrollments_even_without_kimu(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-01-05")
    conn = register.connect()
    with pytest.raises(sqlite3.DatabaseError, match="overlap"):
        conn.execute("INSERT INTO enrollments (participant_id, leader_id, start_date, end_date, end_reason) "
                     "VALUES (1, 1, '2025-12-01', '2026-02-01', 'other')")


def test_a_current_file_opens_without_loading_sqlite_utils_or_rich(kimu):
    kimu.ok("site", "add", "Solbakken")
    code = (
        "import sys; from kimu_cli import db, participants; "
        f"participants.list_participants(db.connect({str(kimu.path)!r})); "
        "print(sorted(m for m in ('sqlite_utils', 'rich', 'tabulate') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_cli_start_up_imports_no_heavy_module(tmp_path):
    code = "import sys, kimu_cli.cli; print(sorted(m for m in ('sqlite_utils', 'tabulate') if m in sys.modules))"
    env = {**os.environ, "KIMU_DB": str(tmp_path / "x.db")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
    assert out.strip() == "[]"


def test_a_directory_as_database_is_a_clear_error(kimu, tmp_path):
    assert kimu.fails("--db", str(tmp_path), "site", "list") == f"kimu: database: '{tmp_path}' is a directory, not a file"

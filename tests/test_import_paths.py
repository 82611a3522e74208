"""The attendance import's fast path against the exact rules it stands in for.

The import checks the common row without the database (importer._AttendanceCheck.fast, in the
reading thread, with the refs and periods loaded once and SQLite's NOCASE folding of refs done in
Python) and counts new days into enrollment_facts itself (importer.ADD_DAYS, with the
attendance_insert trigger off). Hypothesis generates rows, good and bad, and these tests prove:
- a row fast() passes is the row attendance.check_row (exact) makes of it;
- a whole file imports as the exact check of each row says: the same lines refused with the same
  messages, or the same rows stored and enrollment_facts equal to a recount;
- _ref_key matches two refs exactly when SQLite's NOCASE does;
- the process-wide switch interval the import changes is given back however it ends.
"""

import itertools
import shutil
import sqlite3
import sys
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from conftest import file_with
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kimu_cli import db, importer, names
from kimu_cli.errors import KimuError
from kimu_cli.schema import FACTS

SETTINGS = settings(deadline=None, max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture])

HEADER = ["deltaker", "dato", "oppmøte", "timer", "notat"]
COLUMNS = SimpleNamespace(index={"ref": 0, "date": 1, "status": 2, "hours": 3, "note": 4},
                          header=dict(zip(["ref", "date", "status", "hours", "note"], HEADER)))

REFS = ["P1", "p1", " P1 ", "P1\t", "øya1", "Øya1", "ØYA1", "Ab-3", "AB-3", "ab-3", "P4", "P9", "'P1", "=P1", "", " "]
DAYS = ["2026-01-05", "05.01.2026", "2026-03-31", "31.03.2026", "2026-04-01", "2026-05-04", "04.05.2026",
        "2026-11-25", "25.11.2026", "2026-11-26", "2026-02-30", "30.02.2026", "2026-02-02", "2026-09-15",
        "15.09.2026", "2025-12-31", "5.1.2026", "2026-1-5", "i går", "", " "]
STATUSES = ["present", "møtt", "Møtt", " møtt ", "fravær", "ikke møtt", "syk", "gyldig fravær", "absent",
            "excused", "EXCUSED", "x", "", " "]
HOURS = ["", "", "7,5", "7.5", "0", "24", "24,5", "-1", "abc", " 3 ", "1e1"]
NOTES = ["", "", "", "legetime", " legetime ", "=SUM(A1)", "'=SUM(A1)", "x" * 2001, "fnr 15058512345", "\x07"]

ROW = st.tuples(st.sampled_from(REFS), st.sampled_from(DAYS), st.sampled_from(STATUSES), st.sampled_from(HOURS),
                st.sampled_from(NOTES)).map(list)
# Rows every rule accepts, written in the many ways a file may (so that whole files import), and blank ones.
GOOD_ROW = st.tuples(st.sampled_from(["P1", "p1", " P1 ", "øya1"]),
                     st.sampled_from(["2026-02-02", "02.02.2026", "2026-03-31", "2026-05-04", "04.05.2026", "2026-11-25"]),
                     st.sampled_from(["present", "møtt", " Møtt ", "fravær", "syk", "gyldig fravær", "excused"]),
                     st.sampled_from(["", "", "7,5", "7.5", "0", "24", " 3 "]),
                     st.sampled_from(["", "", "legetime", " legetime ", "'=SUM(A1)"])).map(list)
BLANK_ROW = st.sampled_from([["", "", "", "", ""], [" ", "", "", "", ""]])
# Known refs on days just outside their periods, written as the good rows are: the rows a fast path
# that took the periods' edges wrong would let through.
OUTSIDE_ROW = st.tuples(st.sampled_from(["P1", "øya1", "Ab-3"]),
                        st.sampled_from(["2026-04-01", "2026-05-03", "2026-01-04", "2026-02-01", "2026-11-25"]),
                        st.sampled_from(["present", "møtt"]), st.just(""), st.just("")).map(list)
FILES = st.one_of(st.lists(ROW, min_size=1, max_size=14),
                  st.lists(st.one_of(GOOD_ROW, GOOD_ROW, GOOD_ROW, BLANK_ROW), min_size=1, max_size=14),
                  st.lists(st.one_of(GOOD_ROW, OUTSIDE_ROW), min_size=1, max_size=14))


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A file with four participants: P1 ended a period and came back, øya1 (a ref NOCASE does not
    fold), Ab-3 in a period registered in error, P4 never enrolled."""
    path = tmp_path_factory.mktemp("paths") / "base.db"
    file_with(path,
            "INSERT INTO sites (name) VALUES ('Solbakken')",
            "INSERT INTO leaders (name, site_id) VALUES ('Kari', 1)",
            "INSERT INTO participants (ref) VALUES ('P1'), ('øya1'), ('Ab-3'), ('P4')",
            ("INSERT INTO enrollments (participant_id, leader_id, start_date, end_date, end_reason) VALUES "
             "(1, 1, '2026-01-05', '2026-03-31', 'other'), (3, 1, '2026-09-01', '2026-10-30', 'registered_in_error')"),
            "INSERT INTO enrollments (participant_id, leader_id, start_date) VALUES (1, 1, '2026-05-04'), (2, 1, '2026-02-02')",
            ).close()
    return path


@pytest.fixture
def conn(base, tmp_path):
    """A copy of base for one test (hypothesis runs many examples in one: see fresh)."""
    with fresh(base, tmp_path) as conn:
        yield conn


@contextmanager
def fresh(base, folder):
    path = folder / f"kimu-{next(_copies)}.db"
    shutil.copyfile(base, path)
    conn = db.connect(path)
    try:
        yield conn
    finally:
        conn.close()
        path.unlink()


_copies = itertools.count()


def _exact(check, cells):
    try:
        return check.exact(list(cells))
    except KimuError as e:
        return e


@SETTINGS
@given(st.lists(ROW, min_size=1, max_size=12))
def test_a_row_the_fast_check_passes_is_the_row_the_exact_check_makes(conn, rows):
    check = importer._AttendanceCheck(conn, COLUMNS)
    for cells in rows:
        fast = check.fast(list(cells))
        if fast is None:
            assert importer._is_blank(cells)
        elif fast is not importer.SUSPECT:
            assert fast == _exact(check, cells), cells


def _csv(rows):
    def cell(text):
        return '"' + text.replace('"', '""') + '"'
    return "\n".join(";".join(map(cell, cells)) for cells in [HEADER, *rows]) + "\n"


def _expected(conn, rows):
    """What importing rows must do, from the exact check of each: ({line: message}, stored rows)."""
    check = importer._AttendanceCheck(conn, COLUMNS)
    errors, stored = {}, {}
    for line, cells in enumerate(rows, start=2):
        if importer._is_blank(cells):
            continue
        with names.without_suggestions():  # as the import checks: no suggestions by the thousand
            row = _exact(check, cells)
        if isinstance(row, KimuError):
            errors[line] = str(row)
            continue
        pid, day, status, hours, note = row
        old = stored.get((pid, day), (None, None, None))
        stored[pid, day] = (status, hours if hours != "" else old[1], note or old[2])
    return errors, stored


@settings(SETTINGS, max_examples=200)
@given(FILES)
def test_an_import_does_what_the_exact_check_of_each_row_says(base, tmp_path, rows):
    with fresh(base, tmp_path) as conn:
        _import_as_the_exact_check_says(conn, tmp_path, rows)


def _import_as_the_exact_check_says(conn, tmp_path, rows):
    errors, stored = _expected(conn, rows)
    path = tmp_path / "oppmøte.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    try:
        importer.run(conn, "attendance", path)
    except KimuError as e:
        shown = str(e).split("\n  ")[1:]
        assert errors, str(e)
        assert [int(s.split(":")[0].removeprefix("line ")) for s in shown] == sorted(errors)
        for line in shown:
            said = errors[int(line.split(":")[0].removeprefix("line "))]
            field, _, rest = said.partition(": ")
            assert line.endswith(rest or field), (line, said)
        assert conn.execute("SELECT count(*) FROM attendance").fetchone()[0] == 0  # all rows or none
        event("refused")
        return
    event("imported")
    assert not errors, errors
    got = {(pid, day): (status, hours, note) for pid, day, status, hours, note in
           conn.execute("SELECT participant_id, date, status, hours, note FROM attendance")}
    assert got == stored
    assert (conn.execute("SELECT * FROM enrollment_facts ORDER BY enrollment_id").fetchall()
            == conn.execute(f"SELECT * FROM ({FACTS.format(which='1')}) ORDER BY enrollment_id").fetchall())


@SETTINGS
@given(st.text(alphabet=st.sampled_from("aAzZ@[`{øØåÅæÆéÉß ſKk\u212a1"), max_size=4),
       st.text(alphabet=st.sampled_from("aAzZ@[`{øØåÅæÆéÉß ſKk\u212a1"), max_size=4))
def test_refs_match_in_python_as_sqlite_matches_them(a, b):
    same = sqlite3.connect(":memory:").execute("SELECT ? = ? COLLATE NOCASE", (a, b)).fetchone()[0]
    assert bool(same) == (importer._ref_key(a) == importer._ref_key(b))


def test_the_switch_interval_is_given_back_however_an_import_ends(conn, tmp_path, monkeypatch):
    before = sys.getswitchinterval()
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(_csv([["P1", "2026-05-04", "møtt", "", ""]]), encoding="utf-8")
    bad.write_text(_csv([["P1", "2026-05-05", "møtt", "", ""], ["P9", "2026-05-05", "møtt", "", ""]]),
                   encoding="utf-8")
    importer.run(conn, "attendance", good)
    assert sys.getswitchinterval() == before
    with pytest.raises(KimuError):
        importer.run(conn, "attendance", bad)
    assert sys.getswitchinterval() == before

    def broken(*args):  # the reading thread fails
        raise RuntimeError("disk gone")
        yield

    monkeypatch.setattr(importer, "_batches", broken)
    with pytest.raises(RuntimeError):
        importer.run(conn, "attendance", good)
    assert sys.getswitchinterval() == before

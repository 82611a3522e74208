"""Every text field has a maximum length (kimu_cli/fields.py): the commands, the import and SQLite's
own CHECK constraints refuse one character more, with one short line that never repeats the text."""

import csv
import re
import shutil
import sqlite3
from types import SimpleNamespace
from unittest import mock

import pytest
from conftest import SCHEMA_1, Kimu, identity_number, templated
from hypothesis import given
from hypothesis import strategies as st

from kimu_cli import fields, importer, schema
from kimu_cli.errors import KimuError

TEXT_TABLES = ("sites", "leaders", "participants", "attendance", "transitions", "contacts")


def text(n, start="Oppfølging"):
    """n characters of ordinary text without spaces at its ends (nothing for strip to take)."""
    return (start + "-Åsgården-helsefag" * (n // 10 + 1))[:n]


def spaced(n):
    return f"{n:,}".replace(",", " ")


def too_long(field, limit):
    return f"kimu: {field}: {spaced(limit + 1)} characters, at most {spaced(limit)}"


def stored(kimu, value):
    """True when some row of the register holds value exactly."""
    return any(value in row.values() for rows in kimu.snapshot().values() for row in rows)


@templated
def people(register):
    """The register with P1 followed by Kari Nordmann from 02.11.2026."""
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-11-02")
    return register


def test_the_documented_limits():
    assert (fields.REF, fields.NAME, fields.NOTE) == (64, 200, 2000)
    assert fields.LIMITS["participants.ref"] == 64 and fields.LIMITS["participants.notes"] == 2000
    assert {f for f, n in fields.LIMITS.items() if n == fields.NOTE} == {
        "participants.notes", "attendance.note", "transitions.note", "contacts.note"}


# ---- the commands ----

# (field as the message names it, fields.LIMITS key, the command with the value in it)
COMMANDS = {
    "site add NAME": ("name", "sites.name", lambda v: ["site", "add", v]),
    "site add --municipality": ("municipality", "sites.municipality",
                                lambda v: ["site", "add", "Ny plass", "--municipality", v]),
    "site add --nav-office": ("nav-office", "sites.nav_office", lambda v: ["site", "add", "Ny plass", "--nav-office", v]),
    "leader add NAME": ("name", "leaders.name", lambda v: ["leader", "add", v, "--site", "Solbakken omsorgssenter"]),
    "leader edit --name": ("name", "leaders.name", lambda v: ["leader", "edit", "Ola Brøndbo", "--name", v]),
    "participant add REF": ("ref", "participants.ref",
                            lambda v: ["participant", "add", v, "--leader", "Kari Nordmann", "--start", "2026-11-02"]),
    **{f"participant add --{option}": (option, f"participants.{option}", lambda v, option=option: [
        "participant", "add", "P2", "--leader", "Kari Nordmann", "--start", "2026-11-02", f"--{option}", v])
       for option in ("name", "veileder", "goal", "notes")},
    **{f"participant edit --{option}": (option, f"participants.{option}",
                                        lambda v, option=option: ["participant", "edit", "P1", f"--{option}", v])
       for option in ("ref", "name", "veileder", "goal", "notes")},
    "attendance record --note": ("note", "attendance.note",
                                 lambda v: ["attendance", "record", "24.11.2026", "P1", "--status", "fravær", "--note", v]),
    "transition add --detail": ("detail", "transitions.detail",
                                lambda v: ["transition", "add", "P1", "mfy", "--date", "20.11.2026", "--detail", v]),
    "transition add --note": ("note", "transitions.note",
                              lambda v: ["transition", "add", "P1", "mfy", "--date", "20.11.2026", "--note", v]),
    "contact add --note": ("note", "contacts.note",
                           lambda v: ["contact", "add", "P1", "--with", "skole", "--how", "møte", "--date", "20.11.2026",
                                      "--note", v]),
}


@pytest.mark.parametrize("case", COMMANDS)
def test_a_command_takes_a_text_at_its_limit(people, case):
    _, field, command = COMMANDS[case]
    value = text(fields.LIMITS[field])
    people.ok(*command(f"  {value}\n"))  # what surrounds it is not counted: it is stripped
    assert stored(people, value)


@pytest.mark.parametrize("case", COMMANDS)
def test_a_command_refuses_one_character_more_in_one_short_line(people, case):
    label, field, command = COMMANDS[case]
    limit = fields.LIMITS[field]
    value = text(limit + 1)
    before = people.snapshot()

    message = people.fails(*command(value))

    assert message == too_long(label, limit)
    assert "\n" not in message and value[:20] not in message
    assert people.snapshot() == before


def test_control_characters_are_refused_but_tab_and_line_breaks_kept(people):
    before = people.snapshot()
    for bad, code in (("a\x00b", "U+0000"), ("ring\x07 mor", "U+0007"), ("a\x1bb", "U+001B"), ("a\rb", "U+000D"),
                      ("a\x85b", "U+0085")):
        message = people.fails("participant", "edit", "P1", "--notes", bad)
        assert message.startswith("kimu: notes: control character " + code) and "\n" not in message
    assert people.snapshot() == before

    people.ok("participant", "edit", "P1", "--notes", "linje 1\r\nlinje 2\tmed tab")
    assert people.query("SELECT notes FROM participants WHERE ref = 'P1'") == [{"notes": "linje 1\nlinje 2\tmed tab"}]


def test_an_identity_number_in_a_long_text_gives_a_short_message(people):
    number = identity_number()
    note = text(900) + f" fnr {number}\n" + text(900)

    message = people.fails("participant", "edit", "P1", "--notes", note)

    assert "identity number" in message and "\n" not in message and len(message) < 200
    assert number[6:] not in message and text(900)[:50] not in message


# ---- the import ----

# (kind, fields.LIMITS key, the header as written, the header, a row with {} for the value)
IMPORTS = {
    "participants ref": ("participants", "participants.ref", "Deltaker",
                         ["Deltaker", "Arbeidsleder", "Startdato"], ["{}", "Kari Nordmann", "02.11.2026"]),
    **{f"participants {column}": ("participants", f"participants.{column}", header,
                                  ["Deltaker", header, "Arbeidsleder", "Startdato"],
                                  ["P7", "{}", "Kari Nordmann", "02.11.2026"])
       for column, header in (("name", "Navn"), ("veileder", "NAV-veileder"), ("goal", "Mål"), ("notes", "Notat"))},
    "participants leader": ("participants", "leaders.name", "Arbeidsleder",
                            ["Deltaker", "Arbeidsleder", "Omsorgssenter", "Startdato"],
                            ["P7", "{}", "Ny plass", "02.11.2026"]),
    "participants site": ("participants", "sites.name", "Omsorgssenter",
                          ["Deltaker", "Arbeidsleder", "Omsorgssenter", "Startdato"], ["P7", "Ny leder", "{}", "02.11.2026"]),
    "attendance note": ("attendance", "attendance.note", "Merknad",
                        ["Deltaker", "Dato", "Oppmøte", "Merknad"], ["P1", "24.11.2026", "fravær", "{}"]),
    "transitions detail": ("transitions", "transitions.detail", "Arbeidsgiver",
                           ["Deltaker", "Dato", "Type", "Arbeidsgiver"], ["P1", "20.11.2026", "mfy", "{}"]),
    "transitions note": ("transitions", "transitions.note", "Merknad",
                         ["Deltaker", "Dato", "Type", "Merknad"], ["P1", "20.11.2026", "mfy", "{}"]),
    "contacts note": ("contacts", "contacts.note", "Notat",
                      ["Deltaker", "Dato", "Med", "Hvordan", "Notat"], ["P1", "20.11.2026", "veileder", "telefon", "{}"]),
}


def csv_file(tmp_path, header, *rows, name="in.csv"):
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, delimiter=";").writerows([header, *rows])
    return path


@pytest.mark.parametrize("case", IMPORTS)
def test_an_import_takes_a_text_at_its_limit(people, tmp_path, case):
    kind, field, _, header, row = IMPORTS[case]
    value = text(fields.LIMITS[field])
    path = csv_file(tmp_path, header, [cell.format(value) for cell in row])

    assert "1 inserted" in people.ok("import", kind, path)
    assert stored(people, value)


@pytest.mark.parametrize("case", IMPORTS)
def test_an_import_refuses_one_character_more_naming_line_and_column(people, tmp_path, case):
    kind, field, written, header, row = IMPORTS[case]
    limit = fields.LIMITS[field]
    value = text(limit + 1)
    path = csv_file(tmp_path, header, [cell.format(value) for cell in row])
    before = people.snapshot()

    message = people.fails("import", kind, path)

    assert "nothing was imported" in message
    assert f"line 2: {too_long(written, limit).removeprefix('kimu: ')}" in [line.strip() for line in message.splitlines()]
    assert value[:20] not in message
    assert people.snapshot() == before


# ---- the importer's fast attendance path and the command: one verdict ----

NOTES = {
    "at the limit": text(fields.NOTE),
    "one over": text(fields.NOTE + 1),
    "far over": text(5 * fields.NOTE),
    "spaces around": f"  {text(fields.NOTE)}  ",
    "a control character": "ring\x07 mor",
    "a Windows line end": "linje 1\r\nlinje 2",
    "a lone carriage return": "linje 1\rlinje 2",
    "tab and line feed": "a\tb\nc",
    "an identity number": f"fnr {identity_number()}",
    "ordinary": "ringte ikke",
}


@pytest.fixture
def twins(tmp_path):
    """Two registers alike, each with P1 followed from 02.11.2026: one for the command, one for the import."""
    made = []
    for name in ("command.db", "import.db"):
        kimu = Kimu(tmp_path / name)
        kimu.ok("site", "add", "Solbakken")
        kimu.ok("leader", "add", "Kari", "--site", "Solbakken")
        kimu.ok("participant", "add", "P1", "--leader", "Kari", "--start", "2026-11-02")
        made.append(kimu)
    return made


def test_the_import_and_the_command_give_the_same_verdict_on_a_note(twins, tmp_path):
    command, importing = twins
    for day, (case, note) in enumerate(NOTES.items(), start=2):
        date = f"{day:02d}.11.2026"
        by_command = command("attendance", "record", date, "P1", "--status", "fravær", "--note", note)
        path = csv_file(tmp_path, ["Deltaker", "Dato", "Oppmøte", "Merknad"], ["P1", date, "fravær", note])
        by_import = importing("import", "attendance", path)

        assert (by_command.exit_code, by_import.exit_code) in ((0, 0), (1, 1)), case
        if by_command.exit_code:
            said = by_command.stderr.strip().removeprefix("kimu: note: ")
            assert f"line 2: Merknad: {said}" in by_import.stderr, case
        stored_note = "SELECT note FROM attendance WHERE date = ?"
        iso = f"2026-11-{day:02d}"
        assert command.query(stored_note, (iso,)) == importing.query(stored_note, (iso,)), case


@pytest.mark.parametrize("case", NOTES)
def test_the_fast_check_passes_a_note_only_as_the_exact_check_would_store_it(people, case):
    note = NOTES[case]
    conn = people.connect()
    try:
        columns = SimpleNamespace(index={"ref": 0, "date": 1, "status": 2, "note": 3}, header={})
        check = importer._AttendanceCheck(conn, columns)
        fast = check.fast(["P1", "24.11.2026", "fravær", note])
        try:
            exact = check.exact(["P1", "24.11.2026", "fravær", note])
        except KimuError:
            exact = None
    finally:
        conn.close()
    assert fast is importer.SUSPECT or fast == exact


ALPHABET = st.sampled_from(["a", "Å", "1", "0", " ", "\t", "\n", "\r", "\x00", "\x07", "\x85", "\xa0", "\u2028"])


@given(st.lists(st.one_of(ALPHABET, st.just(identity_number())), min_size=1, max_size=12).map("".join))
def test_fits_is_true_exactly_when_clean_keeps_the_text_as_it_is(value):
    with mock.patch.dict(fields.LIMITS, {"attendance.note": 16}):
        try:
            kept = fields.clean(value, "attendance.note") == value
        except KimuError:
            kept = False
        assert fields.fits(value, "attendance.note") == kept


# ---- SQLite itself ----

def _limits_in(conn):
    """fields.LIMITS as the file's CHECK constraints give them."""
    found = {}
    for table, sql in conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN {TEXT_TABLES}"):
        for column, most in re.findall(r"CHECK \(length\((\w+)\) <= (\d+)\)", sql):
            found[f"{table}.{column}"] = int(most)
    return found


def test_the_checks_of_a_new_file_agree_with_fields_py_field_for_field(kimu):
    kimu.ok("site", "add", "Solbakken")
    conn = sqlite3.connect(kimu.path)
    try:
        assert _limits_in(conn) == fields.LIMITS
    finally:
        conn.close()


def test_the_migration_writes_literal_numbers_that_agree_with_fields_py():
    frozen = {**schema.TEXT_LIMITS, **schema.CONTACT_LIMITS}  # each migration's own literal numbers
    assert {f"{t}.{c}": n for t, limits in frozen.items() for c, n in limits.items()} == fields.LIMITS


# One row of each table (Solbakken, Kari, P1, the one day, the one transition), for plain sqlite3 to write
ROW_OF = {"sites": "id = 1", "leaders": "id = 1", "participants": "id = 1", "attendance": "1", "transitions": "1",
          "contacts": "1"}


@pytest.mark.parametrize("field", fields.LIMITS)
def test_sqlite_itself_refuses_a_text_over_the_limit(people, field):
    people.ok("attendance", "record", "24.11.2026", "P1", "--status", "fravær")
    people.ok("transition", "add", "P1", "mfy", "--date", "20.11.2026")
    people.ok("contact", "add", "P1", "--with", "deltaker", "--how", "telefon", "--date", "20.11.2026")
    table, _, column = field.partition(".")
    conn = sqlite3.connect(people.path)
    try:
        update = f"UPDATE {table} SET {column} = ? WHERE {ROW_OF[table]}"
        assert conn.execute(update, (text(fields.LIMITS[field]),)).rowcount == 1
        with pytest.raises(sqlite3.IntegrityError, match=rf"CHECK constraint failed: length\({column}\) <= "):
            conn.execute(update, (text(fields.LIMITS[field] + 1),))
        assert conn.execute(f"SELECT length({column}) FROM {table} WHERE {ROW_OF[table]}").fetchone() == (
            fields.LIMITS[field],)
        conn.rollback()
        with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
            conn.execute("INSERT INTO attendance (participant_id, date, status, note) VALUES (1, '2026-11-23', "
                         "'present', ?)", ("x" * 2001,))
    finally:
        conn.close()


# ---- files from before the limits ----

def _schema_1_copy(kimu, *statements):
    shutil.copy(SCHEMA_1, kimu.path)
    conn = sqlite3.connect(kimu.path)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()


def _table_sql(path):
    """The CREATE statements of the tables with text fields, and the schema version (plain sqlite3:
    kimu would upgrade the file)."""
    conn = sqlite3.connect(path)
    try:
        return (dict(conn.execute(f"SELECT name, sql FROM sqlite_master WHERE name IN {TEXT_TABLES}")),
                conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_an_upgraded_file_has_the_same_tables_as_a_new_one(kimu, tmp_path):
    _schema_1_copy(kimu)
    assert kimu.ok("db", "check") == "ok: integrity, foreign keys and domain rules\n"
    new = Kimu(tmp_path / "new.db")
    new.ok("site", "add", "Solbakken")
    assert _table_sql(kimu.path) == _table_sql(new.path)


def test_an_old_text_over_the_limit_is_kept_and_db_check_names_it(kimu):
    long_note = text(2513)
    _schema_1_copy(kimu, f"UPDATE participants SET notes = '{long_note}' WHERE ref = 'D-2022-002'")

    result = kimu("db", "check")  # upgrades the file first

    assert result.exit_code == 3
    assert "participants D-2022-002 notes: 2 513 characters, at most 2 000" in result.stdout
    assert "kimu participant edit" in result.stdout and long_note[:20] not in result.stdout
    assert kimu.query("PRAGMA user_version") == [{"user_version": len(schema.MIGRATIONS)}]
    assert kimu.query("SELECT notes FROM participants WHERE ref = 'D-2022-002'") == [{"notes": long_note}]

    kimu.ok("participant", "edit", "D-2022-002", "--goal", "helsefagarbeider")  # the note is left alone
    kimu.ok("participant", "edit", "D-2022-002", "--notes", "kortere")
    assert kimu.ok("db", "check") == "ok: integrity, foreign keys and domain rules\n"


def test_an_upgrade_whose_new_schema_sqlite_refuses_changes_nothing(kimu, monkeypatch):
    _schema_1_copy(kimu)
    before = _table_sql(kimu.path)
    monkeypatch.setitem(schema.TEXT_LIMITS, "sites", {"name": 200, "no_such_column": 10})

    assert "no_such_column" in kimu.fails("site", "list")

    assert _table_sql(kimu.path) == before
    monkeypatch.undo()
    assert kimu.ok("db", "check") == "ok: integrity, foreign keys and domain rules\n"

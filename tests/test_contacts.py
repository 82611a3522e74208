"""Follow-up contacts (issue 18): `kimu contact add|list|remove`, `kimu import|export contacts`, purge,
db check, with the same bad-input and privacy rules as the other records."""

import csv
import io
import json
import sqlite3

import pytest
from conftest import identity_number

FNR = identity_number("150190")


@pytest.fixture
def people(register):
    """P1 with Kari from 02.11.2026 (open); P2 with Ola 02.11-13.11.2026, then again from 23.11.2026."""
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-11-02")
    register.ok("participant", "add", "P2", "--leader", "Ola Brøndbo", "--start", "2026-11-02")
    register.ok("participant", "end", "P2", "--date", "2026-11-13", "--reason", "health")
    register.ok("participant", "reenroll", "P2", "--leader", "Ola Brøndbo", "--start", "2026-11-23")
    return register


def _list(kimu, *options):
    return json.loads(kimu.ok("contact", "list", "-f", "json", *options))


def test_add_takes_norwegian_words_and_dates_and_defaults_to_today(people):
    out = people.ok("contact", "add", "P1", "--with", "arbeidsgiver", "--how", "telefon", "--date", "20.11.2026",
                    "--note", "ringte om vakter")
    assert out == "Added contact 1: P1 2026-11-20 with employer by phone\n"
    people.ok("contact", "add", "P1", "--with", "Deltaker", "--how", "MØTE")
    people.ok("contact", "add", "P1", "--with", "NAV-veileder", "--how", "melding", "--date", "2026-11-24")
    people.ok("contact", "add", "P1", "--with", "skole", "--how", "besøk", "--date", "2026-11-24")
    people.ok("contact", "add", "P1", "--with", "arbeidsleder", "--how", "besok", "--date", "2026-11-24")
    rows = _list(people)
    assert [(r["date"], r["with"], r["how"]) for r in rows] == [
        ("2026-11-20", "employer", "phone"), ("2026-11-24", "veileder", "message"),
        ("2026-11-24", "school", "visit"), ("2026-11-24", "leader", "visit"), ("2026-11-25", "participant", "meeting")]
    assert list(rows[0]) == ["id", "ref", "date", "with", "how", "note", "leader", "site", "enrollment_start"]
    assert rows[0]["note"] == "ringte om vakter" and rows[0]["leader"] == "Kari Nordmann"
    assert rows[0]["enrollment_start"] == "2026-11-02"


def test_in_bokmal_the_confirmation_says_the_words(people):
    out = people.ok("--lang", "nb", "contact", "add", "P1", "--with", "veileder", "--how", "phone", "--date", "20.11.2026")
    assert out == "La til kontakt 1: P1 20.11.2026 med NAV-veileder, telefon\n"
    out = people.ok("--lang", "nb", "contact", "remove", "1")
    assert out == "Fjernet kontakt 1: P1 20.11.2026 med NAV-veileder, telefon\n"


@pytest.mark.parametrize("args, message", [
    (["P1", "--with", "naboen", "--how", "phone"], "kimu: with: unknown value 'naboen'"),
    (["P1", "--with", "school", "--how", "brev"], "kimu: how: unknown value 'brev'"),
    (["P1", "--with", "school", "--how", "phone", "--date", "26.11.2026"],
     "kimu: date: 2026-11-26 is in the future; record a contact when it has happened"),
    (["P1", "--with", "school", "--how", "phone", "--date", "2026-11-01"],
     "kimu: date: 2026-11-01 is before 'P1' was first enrolled (2026-11-02)"),
    (["P1", "--with", "school", "--how", "phone", "--date", "31.11.2026"], "kimu: date: '31.11.2026' is not a date"),
    (["P9", "--with", "school", "--how", "phone"], "kimu: ref: unknown participant 'P9'"),
    (["P1", "--with", "school", "--how", "phone", "--note", f"fnr {FNR}"], "kimu: note: "),
    (["P1", "--with", "school", "--how", "phone", "--note", "a\x00b"], "kimu: note: control character U+0000"),
    (["P1", "--with", "school", "--how", "phone", "--note", "x" * 2001], "kimu: note: 2 001 characters, at most 2 000"),
])
def test_bad_input_is_refused_in_one_line_and_nothing_is_written(people, args, message):
    before = people.snapshot()
    line = people.fails("contact", "add", *args)
    assert line.startswith(message) and "\n" not in line
    assert FNR not in line
    assert people.snapshot() == before


def test_the_same_contact_twice_is_refused(people):
    people.ok("contact", "add", "P1", "--with", "school", "--how", "phone", "--date", "2026-11-20")
    assert people.fails("contact", "add", "P1", "--with", "skole", "--how", "telefon", "--date", "20.11.2026") == (
        "kimu: with: 'P1' already has a contact with school by phone on 2026-11-20 (contact 1)")
    people.ok("contact", "add", "P1", "--with", "school", "--how", "meeting", "--date", "2026-11-20")


def test_a_contact_between_periods_is_kept_and_shown_without_an_enrollment(people):
    """The choice (contacts.py): allowed after the first enrollment began, also outside every period
    (a call after someone dropped out is follow-up too); listed with the period that covers it, if any."""
    people.ok("contact", "add", "P2", "--with", "veileder", "--how", "phone", "--date", "2026-11-17")
    people.ok("contact", "add", "P2", "--with", "participant", "--how", "meeting", "--date", "2026-11-24")
    between, inside = _list(people, "--ref", "P2")
    assert between["enrollment_start"] is None and between["leader"] == "Ola Brøndbo"
    assert inside["enrollment_start"] == "2026-11-23"


def test_list_filters_and_formats(people):
    people.ok("contact", "add", "P1", "--with", "school", "--how", "phone", "--date", "2026-11-20")
    people.ok("contact", "add", "P2", "--with", "school", "--how", "phone", "--date", "2026-11-24")
    assert [r["ref"] for r in _list(people, "--leader", "Ola Brøndbo")] == ["P2"]
    assert [r["ref"] for r in _list(people, "--site", "Solbakken omsorgssenter")] == ["P1", "P2"]
    assert [r["ref"] for r in _list(people, "--from", "21.11.2026")] == ["P2"]
    assert [r["ref"] for r in _list(people, "--to", "2026-11-20")] == ["P1"]
    assert _list(people, "--site", "Åsgården sykehjem") == []
    rows = list(csv.DictReader(io.StringIO(people.ok("contact", "list", "-f", "csv"))))
    assert [r["with"] for r in rows] == ["school", "school"]
    assert people.ok("contact", "list", "-f", "markdown").split("\n")[0].replace(" ", "").startswith("|id|ref|date|")
    assert "P1" in people.ok("contact", "list")
    assert people.fails("contact", "list", "--from", "2026-11-25", "--to", "2026-11-01").startswith("kimu: from:")


def test_every_change_is_audited_and_remove_takes_one_contact(people):
    people.ok("contact", "add", "P1", "--with", "school", "--how", "phone", "--date", "2026-11-20", "--note", "ok")
    assert people.ok("contact", "remove", "1") == "Removed contact 1: P1 2026-11-20 with school by phone\n"
    assert people.fails("contact", "remove", "1") == "kimu: id: no contact 1 (see 'kimu contact list')"
    log = people.query("SELECT action, entity, record, changes, participant_id FROM audit_log WHERE entity = 'contact'")
    assert [(r["action"], r["record"], r["participant_id"]) for r in log] == [("add", "1", 1), ("remove", "1", 1)]
    assert json.loads(log[0]["changes"]) == {"ref": [None, "P1"], "date": [None, "2026-11-20"], "with": [None, "school"],
                                             "how": [None, "phone"], "note": [None, "ok"]}
    assert people.ok("db", "check").startswith("ok")


def test_sqlite_itself_refuses_a_bad_contact(people):
    conn = sqlite3.connect(people.path)
    conn.execute("PRAGMA foreign_keys = ON")
    try:
        for values in [(1, "2026-13-01", "school", "phone"), (1, "2026-11-20", "nabo", "phone"),
                       (1, "2026-11-20", "school", "brev"), (99, "2026-11-20", "school", "phone")]:
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute("INSERT INTO contacts (participant_id, date, with_whom, how) VALUES (?, ?, ?, ?)", values)
        conn.execute("INSERT INTO contacts (participant_id, date, with_whom, how) VALUES (1, '2026-11-20', 'school', "
                     "'phone')")
        with pytest.raises(sqlite3.IntegrityError):  # one contact per participant, day, person and way
            conn.execute("INSERT INTO contacts (participant_id, date, with_whom, how) VALUES (1, '2026-11-20', "
                         "'school', 'phone')")
    finally:
        conn.close()


# ---- import and export ----

def _file(tmp_path, text, name="kontakter.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_takes_norwegian_headers_and_a_second_import_changes_nothing(people, tmp_path):
    path = _file(tmp_path, "Deltaker;Dato;Med;Hvordan;Notat\nP1;20.11.2026;NAV-veileder;telefon;avtalt møte\n"
                           "P2;24.11.2026;deltaker;møte;\n\n")
    assert "2 inserted" in people.ok("import", "contacts", path)
    log = people.snapshot()["audit_log"]
    again = people.ok("import", "contacts", path)
    assert "0 inserted, 0 updated, 2 unchanged" in again and "nothing changed" in again
    assert people.snapshot()["audit_log"] == log
    assert [(r["ref"], r["with"], r["how"], r["note"]) for r in _list(people)] == [
        ("P1", "veileder", "phone", "avtalt møte"), ("P2", "participant", "meeting", None)]
    # a note added to the same contact updates it; an empty cell never erases it
    path2 = _file(tmp_path, "ref,date,with,how,note\nP1,2026-11-20,veileder,phone,\nP2,2026-11-24,participant,meeting,"
                            "kom ikke\n", "b.csv")
    assert "0 inserted, 1 updated, 1 unchanged" in people.ok("import", "contacts", path2)
    assert [r["note"] for r in _list(people)] == ["avtalt møte", "kom ikke"]


def test_import_reports_every_bad_row_and_writes_nothing(people, tmp_path):
    path = _file(tmp_path, "ref;dato;med;hvordan;notat\n"
                           "P1;26.11.2026;deltaker;møte;\n"
                           "P1;20.11.2026;nabo;møte;\n"
                           "P1;20.11.2026;deltaker;brev;\n"
                           "P9;20.11.2026;deltaker;møte;\n"
                           f"P1;20.11.2026;skole;møte;fnr {FNR}\n"
                           "P1;;skole;møte;\n"
                           "P1;01.11.2026;skole;møte;\n"
                           "P1;20.11.2026;skole;telefon;ok\n")
    before = people.snapshot()
    message = people.fails("import", "contacts", path)
    assert "7 error(s), nothing was imported" in message
    for expected in ("line 2: dato: 2026-11-26 is in the future", "line 3: med: unknown value 'nabo'",
                     "line 4: hvordan: unknown value 'brev'", "line 5: ref: unknown participant 'P9'",
                     "line 6: notat:", "line 7: dato: empty", "line 8: dato: 2026-11-01 is before"):
        assert expected in message, (expected, message)
    assert FNR not in message
    assert people.snapshot() == before


def test_a_file_without_the_required_columns_is_refused(people, tmp_path):
    path = _file(tmp_path, "ref;dato;notat\nP1;20.11.2026;x\n")
    assert people.fails("import", "contacts", path)


def test_export_imports_back_unchanged(people, tmp_path):
    people.ok("contact", "add", "P1", "--with", "school", "--how", "phone", "--date", "2026-11-20", "--note", "=1+1")
    people.ok("contact", "add", "P2", "--with", "employer", "--how", "visit", "--date", "2026-11-24")
    text = people.ok("export", "contacts")
    assert text.splitlines() == ["ref,date,with,how,note", "P1,2026-11-20,school,phone,'=1+1",
                                 "P2,2026-11-24,employer,visit,"]
    assert people.ok("export", "contacts", "--from", "2026-11-21").splitlines()[1:] == ["P2,2026-11-24,employer,visit,"]
    path = _file(tmp_path, text, "export.csv")
    assert "2 unchanged" in people.ok("import", "contacts", path)
    excel = tmp_path / "excel.csv"
    people.ok("export", "contacts", "--excel", "-o", excel)
    assert "2 unchanged" in people.ok("import", "contacts", excel)
    assert json.loads(people.ok("export", "contacts", "-f", "json"))[0] == {
        "ref": "P1", "date": "2026-11-20", "with": "school", "how": "phone", "note": "=1+1"}


def test_purge_clears_the_notes_of_contacts(people):
    people.ok("participant", "end", "P1", "--date", "2026-11-20", "--reason", "other")
    people.ok("contact", "add", "P1", "--with", "school", "--how", "phone", "--date", "2026-11-20", "--note",
              "Mor ringte")
    people.ok("purge", "--ended-before", "2026-11-25", "--yes")
    assert people.query("SELECT note, date, with_whom, how FROM contacts") == [
        {"note": None, "date": "2026-11-20", "with_whom": "school", "how": "phone"}]
    dump = "\n".join(sqlite3.connect(people.path).iterdump())
    assert "Mor ringte" not in dump
    assert people.ok("db", "check").startswith("ok")


def test_db_check_names_a_contact_note_written_behind_kimus_back(people):
    people.ok("contact", "add", "P1", "--with", "school", "--how", "phone", "--date", "2026-11-20")
    conn = sqlite3.connect(people.path)
    conn.execute("UPDATE contacts SET note = ?", (f"fnr {FNR}",))
    conn.commit()
    conn.close()
    result = people("db", "check", "--format", "json")
    assert result.exit_code == 3
    (found,) = [p for p in json.loads(result.stdout) if p["check"] == "identity number stored"]
    assert found["record"] == "contacts 1 note" and "kimu contact remove ID" in found["fix"]
    people.ok("db", "redact", "--yes")
    assert FNR not in people.query("SELECT note FROM contacts")[0]["note"]


def test_db_check_names_a_contact_before_the_first_enrollment(people):
    people.ok("contact", "add", "P1", "--with", "school", "--how", "phone", "--date", "2026-11-03")
    people.ok("participant", "edit", "P1", "--start", "2026-11-05")
    result = people("db", "check", "--format", "json")
    assert result.exit_code == 3
    assert [(p["check"], p["record"]) for p in json.loads(result.stdout)] == [
        ("contact before the first enrollment", "P1 2026-11-03 contact 1")]
    people.ok("participant", "edit", "P1", "--start", "2026-11-03")  # the first day itself: no problem
    assert people.ok("db", "check", "--format", "json").strip() == "[]"

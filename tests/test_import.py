"""kimu import: the files Norwegian offices produce, all rows or none, idempotent."""

import csv
import io
import json
from contextlib import contextmanager

import pytest
from conftest import identity_number, templated

ENCODINGS = ["utf-8", "utf-8-sig", "cp1252"]
DELIMITERS = [",", ";", "\t"]


def write(tmp_path, rows, encoding="utf-8", delimiter=",", name="file.csv"):
    """A CSV file as Excel or a script writes it: rows of cells, the given bytes and delimiter."""
    path = tmp_path / name
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def imported(kimu, kind, path, *options):
    return kimu.ok("import", kind, path, *options)


@templated
def enrolled(register):
    """Two participants with Kari from 01.09.2026 (one ended 31.10.2026)."""
    register.ok("participant", "add", "D-1", "--leader", "Kari Nordmann", "--start", "2026-09-01")
    register.ok("participant", "add", "D-2", "--leader", "Kari Nordmann", "--start", "2026-09-01")
    register.ok("participant", "end", "D-2", "--date", "2026-10-31", "--reason", "flyttet")
    return register


@contextmanager
def writes_nothing(kimu):
    """Fails when the block commits anything to the file: a watching connection's data version
    changes whenever another connection commits."""
    watcher = kimu.connect()
    try:
        before = watcher.execute("PRAGMA data_version").fetchone()[0]
        yield
        assert watcher.execute("PRAGMA data_version").fetchone()[0] == before
    finally:
        watcher.close()


def count(kimu, table):
    return kimu.query(f"SELECT count(*) AS n FROM {table}")[0]["n"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_participants_file_in_every_encoding_and_delimiter(register, tmp_path, encoding, delimiter):
    path = write(tmp_path, [
        ["Deltaker", "Navn", "Arbeidsleder", "Omsorgssenter", "Startdato", "Fødselsår", "Mål"],
        ["D-2026-001", "Åse Ørnæs", "Kari Nordmann", "Solbakken omsorgssenter", "01.09.2026", "1999", "helsefagarbeider"],
        ["D-2026-002", "Per Ødegård", "Håkon Ødegård", "Åsgården sykehjem", "2026-10-15", "", ""],
    ], encoding, delimiter)
    out = imported(register, "participants", path)
    assert "2 inserted" in out
    rows = json.loads(register.ok("participant", "list", "--format", "json"))
    assert {(r["ref"], r["name"], r["leader"], r["start_date"]) for r in rows} == {
        ("D-2026-001", "Åse Ørnæs", "Kari Nordmann", "2026-09-01"),
        ("D-2026-002", "Per Ødegård", "Håkon Ødegård", "2026-10-15"),
    }


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_attendance_file_in_every_encoding_and_delimiter(enrolled, tmp_path, encoding, delimiter):
    path = write(tmp_path, [
        ["Deltaker", "Dato", "Oppmøte", "Timer", "Merknad"],
        ["D-1", "02.11.2026", "møtt", "7,5", ""],
        ["D-1", "2026-11-03", "ikke møtt", "", "ringte ikke"],
        ["D-1", "04.11.2026", "gyldig fravær", "", "lege på Årstad"],
    ], encoding, delimiter)
    assert "3 inserted" in imported(enrolled, "attendance", path)
    rows = enrolled.query("SELECT date, status, hours, note FROM attendance ORDER BY date")
    assert rows == [
        {"date": "2026-11-02", "status": "present", "hours": 7.5, "note": None},
        {"date": "2026-11-03", "status": "absent", "hours": None, "note": "ringte ikke"},
        {"date": "2026-11-04", "status": "excused", "hours": None, "note": "lege på Årstad"},
    ]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_transitions_file_in_every_encoding_and_delimiter(enrolled, tmp_path, encoding, delimiter):
    path = write(tmp_path, [
        ["Deltaker", "Dato", "Overgang", "Arbeidsgiver", "Notat"],
        ["D-1", "01.11.2026", "Lærling", "Bergen kommune", "læreplass på Årstad"],
        ["D-2", "2026-11-20", "fast stilling", "Kløverenga", ""],
    ], encoding, delimiter)
    assert "2 inserted" in imported(enrolled, "transitions", path)
    rows = enrolled.query("SELECT kind, detail, note FROM transitions ORDER BY date")
    assert rows == [
        {"kind": "apprenticeship", "detail": "Bergen kommune", "note": "læreplass på Årstad"},
        {"kind": "job_permanent", "detail": "Kløverenga", "note": None},
    ]


def test_headers_match_ignoring_case_spaces_dashes_and_nordic_letters(register, tmp_path):
    path = write(tmp_path, [
        ["DELTAKER-ID", "arbeids leder", "Start_Dato", "Fodselsar", "NAV-veileder"],
        ["D-1", "Kari Nordmann", "01.09.2026", "1990", "Trine Aasen"],
    ])
    imported(register, "participants", path)
    assert register.query("SELECT birth_year, veileder FROM participants") == [
        {"birth_year": 1990, "veileder": "Trine Aasen"}
    ]


def test_errors_on_several_lines_are_all_reported_and_nothing_is_written(enrolled, tmp_path):
    path = write(tmp_path, [
        ["ref", "date", "status"],
        ["D-1", "02.11.2026", "present"],
        ["D-9", "03.11.2026", "present"],
        ["D-1", "31.11.2026", "present"],
        ["D-1", "04.11.2026", "kanskje"],
        ["D-2", "04.11.2026", "absent"],
        ["D-1", "05.12.2026", "present"],
    ])
    err = enrolled.fails("import", "attendance", path)
    assert err.startswith("kimu: file.csv: 5 error(s), nothing was imported")
    assert "line 3: ref: unknown participant 'D-9'" in err
    assert "line 4: date: '31.11.2026' is not a date in the calendar" in err
    assert "line 5: status: unknown value 'kanskje'" in err
    assert "line 6: ref: 'D-2' is not enrolled on 2026-11-04" in err
    assert "line 7: date: 2026-12-05 is in the future" in err
    assert count(enrolled, "attendance") == 0


@pytest.mark.parametrize("kind, header, row, error", [
    ("attendance", ["Deltaker", "Dato", "Oppmøte"], ["D-1", "31.11.2026", "møtt"], "line 2: Dato: '31.11.2026'"),
    ("attendance", ["Deltaker", "Dato", "Oppmøte"], ["D-1", "04.11.2026", "kanskje"], "line 2: Oppmøte: unknown"),
    ("transitions", ["Deltaker", "Dato", "Overgang"], ["D-9", "04.11.2026", "mfy"], "line 2: Deltaker: unknown"),
])
def test_errors_name_the_files_own_column(enrolled, tmp_path, kind, header, row, error):
    assert error in enrolled.fails("import", kind, write(tmp_path, [header, row], delimiter=";"))


def test_errors_are_capped_with_a_count_of_the_rest(enrolled, tmp_path):
    path = write(tmp_path, [["ref", "date", "status"]] + [["D-9", "02.11.2026", "present"]] * 30)
    err = enrolled.fails("import", "attendance", path)
    assert "30 error(s)" in err
    assert err.count("unknown participant") == 20
    assert "... and 10 more" in err


def test_one_bad_row_among_good_ones_writes_nothing(register, tmp_path):
    number = identity_number()
    path = write(tmp_path, [
        ["ref", "leader", "start_date", "notes"],
        ["D-1", "Kari Nordmann", "01.09.2026", ""],
        ["D-2", "Kari Nordmann", "01.09.2026", f"fnr {number}"],
        ["D-3", "Kari Nordmann", "01.09.2026", ""],
    ])
    err = register.fails("import", "participants", path)
    assert "line 3: notes:" in err and "identity number" in err
    assert number not in err
    assert count(register, "participants") == 0
    assert count(register, "audit_log") == 5  # the register fixture's own rows only


def test_identity_number_as_ref_is_refused(register, tmp_path):
    path = write(tmp_path, [["ref", "leader", "start_date"], [identity_number(), "Kari Nordmann", "01.09.2026"]])
    assert "line 2: ref:" in register.fails("import", "participants", path)


def test_reimport_changes_nothing_and_says_so(enrolled, tmp_path):
    path = write(tmp_path, [["ref", "date", "status", "hours"], ["D-1", "02.11.2026", "møtt", "7,5"],
                            ["D-1", "03.11.2026", "fravær", ""]])
    imported(enrolled, "attendance", path)
    audit_rows = count(enrolled, "audit_log")
    with writes_nothing(enrolled):  # not the schema either
        out = imported(enrolled, "attendance", path)
    assert "0 inserted, 0 updated, 2 unchanged" in out
    assert "nothing changed" in out
    assert count(enrolled, "audit_log") == audit_rows


@pytest.mark.parametrize("rows", [[], [[], ["", "", ""]]], ids=["header only", "blank lines"])
def test_a_file_without_rows_writes_nothing(enrolled, tmp_path, rows):
    with writes_nothing(enrolled):
        out = imported(enrolled, "attendance", write(tmp_path, [["ref", "date", "status"], *rows]))
    assert "0 inserted" in out and "the file has no rows to import" in out and "already had" not in out


def test_a_day_given_twice_in_a_new_file_keeps_the_last_one(enrolled, tmp_path):
    path = write(tmp_path, [["ref", "date", "status"], ["D-1", "02.11.2026", "møtt"], ["D-1", "03.11.2026", "møtt"],
                            ["D-1", "02.11.2026", "syk"]])
    assert "3 rows: 2 inserted, 1 updated" in imported(enrolled, "attendance", path)
    assert enrolled.query("SELECT date, status FROM attendance ORDER BY date") == [
        {"date": "2026-11-02", "status": "excused"}, {"date": "2026-11-03", "status": "present"}]
    assert "ok" in enrolled.ok("db", "check")  # the days counted for the reports too


def test_participants_reimport_changes_nothing(register, tmp_path):
    path = write(tmp_path, [
        ["ref", "name", "leader", "site", "start_date", "end_date", "end_reason"],
        ["D-1", "Åse", "Kari Nordmann", "", "01.01.2026", "31.03.2026", "sluttet"],
        ["D-1", "Åse", "Ola Brøndbo", "", "01.06.2026", "", ""],
    ], "cp1252", ";")
    assert "2 inserted" in imported(register, "participants", path)
    assert "2 unchanged" in imported(register, "participants", path)
    periods = register.query("SELECT start_date, end_date, end_reason FROM enrollments ORDER BY start_date")
    assert periods == [{"start_date": "2026-01-01", "end_date": "2026-03-31", "end_reason": "dropped_out"},
                       {"start_date": "2026-06-01", "end_date": None, "end_reason": None}]


def test_changed_attendance_row_is_updated(enrolled, tmp_path):
    imported(enrolled, "attendance", write(tmp_path, [["ref", "date", "status"], ["D-1", "02.11.2026", "møtt"],
                                                       ["D-1", "03.11.2026", "møtt"]]))
    out = imported(enrolled, "attendance", write(tmp_path, [["ref", "date", "status"], ["D-1", "02.11.2026", "møtt"],
                                                             ["D-1", "03.11.2026", "syk"]]))
    assert "0 inserted, 1 updated, 1 unchanged" in out
    assert enrolled.query("SELECT status FROM attendance WHERE date = '2026-11-03'") == [{"status": "excused"}]


def test_changed_participant_row_updates_details_and_ends_the_enrollment(enrolled, tmp_path):
    path = write(tmp_path, [["ref", "name", "leader", "start_date", "end_date", "end_reason"],
                            ["D-1", "Åse Ørn", "Kari Nordmann", "01.09.2026", "20.11.2026", "gått videre"]])
    assert "1 updated" in imported(enrolled, "participants", path)
    assert enrolled.query("SELECT name FROM participants WHERE ref = 'D-1'") == [{"name": "Åse Ørn"}]
    assert enrolled.query("SELECT end_date, end_reason FROM enrollments e JOIN participants p "
                          "ON p.id = e.participant_id WHERE ref = 'D-1'") == [
        {"end_date": "2026-11-20", "end_reason": "moved_on"}]


def test_changed_transition_detail_is_updated(enrolled, tmp_path):
    rows = [["ref", "date", "kind", "detail"], ["D-1", "01.11.2026", "MFY", "Bergen kommune"]]
    imported(enrolled, "transitions", write(tmp_path, rows))
    rows[1][3] = "Årstad sykehjem"
    assert "1 updated" in imported(enrolled, "transitions", write(tmp_path, rows))
    assert enrolled.query("SELECT kind, detail FROM transitions") == [{"kind": "mfy", "detail": "Årstad sykehjem"}]


def test_dry_run_reports_and_writes_nothing(register, tmp_path):
    path = write(tmp_path, [["ref", "leader", "site", "start_date"], ["D-1", "Nina Ny", "Nytt senter", "01.09.2026"]])
    out = imported(register, "participants", path, "--dry-run")
    assert "1 inserted" in out and "dry run: nothing was written" in out
    assert "leaders would be created: Nina Ny" in out
    assert count(register, "participants") == 0
    assert register.query("SELECT * FROM leaders WHERE name = 'Nina Ny'") == []


def test_missing_required_column_is_an_error_before_any_row(enrolled, tmp_path):
    path = write(tmp_path, [["ref", "status"], ["D-9", "nonsense"]])
    err = enrolled.fails("import", "attendance", path)
    assert err.startswith("kimu: file.csv: missing column 'date' (or dato)")
    assert "line 2" not in err and "nonsense" not in err


def test_extra_columns_are_ignored_and_named(enrolled, tmp_path):
    path = write(tmp_path, [["ref", "date", "status", "Kommune", "Farge"], ["D-1", "02.11.2026", "møtt", "Bergen", ""]])
    assert "columns ignored: Kommune, Farge" in imported(enrolled, "attendance", path)


def test_unknown_leaders_and_sites_are_created_and_reported(register, tmp_path):
    path = write(tmp_path, [["ref", "leader", "site", "start_date"],
                            ["D-1", "Nina Ny", "Nytt senter", "01.09.2026"],
                            ["D-2", "Nina Ny", "Nytt senter", "01.09.2026"]])
    out = imported(register, "participants", path)
    assert "sites created: Nytt senter" in out and "leaders created: Nina Ny" in out
    leaders = json.loads(register.ok("leader", "list", "--site", "Nytt senter", "--format", "json"))
    assert [(r["leader"], r["active_participants"]) for r in leaders] == [("Nina Ny", 2)]


def test_unknown_leader_without_a_site_is_an_error(register, tmp_path):
    path = write(tmp_path, [["ref", "leader", "start_date"], ["D-1", "Nina Ny", "01.09.2026"]])
    assert "line 2: leader: unknown leader 'Nina Ny'" in register.fails("import", "participants", path)


def test_capacity_is_checked_and_force_overrides_it_on_record(register, tmp_path):
    rows = [["ref", "leader", "start_date"]] + [[f"D-{i}", "Håkon Ødegård", "01.09.2026"] for i in range(3)]
    path = write(tmp_path, rows)
    err = register.fails("import", "participants", path)
    assert "line 4: capacity:" in err and "--force overrides" in err
    assert count(register, "participants") == 0
    imported(register, "participants", path, "--force")
    assert register.query("SELECT sum(forced) AS n FROM enrollments") == [{"n": 1}]
    assert register.query("SELECT count(*) AS n FROM audit_log WHERE action = 'force'") == [{"n": 1}]


def test_blank_rows_are_skipped(enrolled, tmp_path):
    path = write(tmp_path, [["ref", "date", "status"], ["D-1", "02.11.2026", "møtt"], ["", "", ""], [""]], delimiter=";")
    assert "1 inserted, 0 updated, 0 unchanged, 2 skipped" in imported(enrolled, "attendance", path)


def test_an_empty_cell_keeps_the_stored_value(enrolled, tmp_path):
    imported(enrolled, "attendance", write(tmp_path, [["ref", "date", "status", "hours"], ["D-1", "02.11.2026", "møtt", "6"]]))
    out = imported(enrolled, "attendance", write(tmp_path, [["ref", "date", "status", "hours"],
                                                             ["D-1", "02.11.2026", "møtt", ""]]))
    assert "1 unchanged" in out
    assert enrolled.query("SELECT hours FROM attendance") == [{"hours": 6.0}]


def test_wrong_encoding_given_is_a_clear_error(enrolled, tmp_path):
    path = write(tmp_path, [["ref", "date", "status", "note"], ["D-1", "02.11.2026", "møtt", "på Årstad"]], "cp1252")
    err = enrolled.fails("import", "attendance", path, "--encoding", "utf-8")
    assert "is not utf-8" in err and "--encoding" in err
    assert "1 inserted" in imported(enrolled, "attendance", path, "--encoding", "cp1252")


def test_delimiter_can_be_given(enrolled, tmp_path):
    path = write(tmp_path, [["ref", "date", "status", "note"], ["D-1", "02.11.2026", "møtt", "a;b"]], delimiter="\t")
    imported(enrolled, "attendance", path, "--delimiter", "tab")
    assert enrolled.query("SELECT note FROM attendance") == [{"note": "a;b"}]


def test_summary_as_json_for_scripts(enrolled, tmp_path):
    path = write(tmp_path, [["ref", "date", "status"], ["D-1", "02.11.2026", "møtt"]])
    summary = json.loads(enrolled.ok("import", "attendance", path, "--format", "json"))
    assert {k: summary[k] for k in ("rows", "inserted", "updated", "unchanged", "skipped")} == {
        "rows": 1, "inserted": 1, "updated": 0, "unchanged": 0, "skipped": 0}


def test_an_import_writes_one_summary_audit_row(enrolled, tmp_path):
    rows = [["ref", "date", "status"]] + [["D-1", f"{day:02d}.11.2026", "møtt"] for day in range(2, 7)]
    imported(enrolled, "attendance", write(tmp_path, rows))
    logged = enrolled.query("SELECT command, action, entity, record, changes FROM audit_log WHERE action = 'import'")
    assert logged == [{"command": "import", "action": "import", "entity": "attendance", "record": "file.csv",
                       "changes": json.dumps({"rows": [None, 5], "inserted": [None, 5]})}]


def test_excel_sep_line_gives_the_delimiter(enrolled, tmp_path):
    path = tmp_path / "file.csv"
    path.write_bytes("sep=;\r\nref;date;status\r\nD-1;02.11.2026;møtt\r\nD-9;02.11.2026;x\r\n".encode("cp1252"))
    assert "line 4: ref: unknown participant 'D-9'" in enrolled.fails("import", "attendance", path)


def test_end_date_and_reason_of_an_ended_period_can_be_corrected(enrolled, tmp_path):
    rows = [["ref", "leader", "start_date", "end_date", "end_reason"],
            ["D-2", "Kari Nordmann", "01.09.2026", "15.10.2026", ""]]
    assert "1 updated" in imported(enrolled, "participants", write(tmp_path, rows))
    period = "SELECT end_date, end_reason FROM enrollments e JOIN participants p ON p.id = e.participant_id " \
             "WHERE ref = 'D-2'"
    assert enrolled.query(period) == [{"end_date": "2026-10-15", "end_reason": "moved_away"}]  # empty keeps it
    rows[1][4] = "helse"
    assert "1 updated" in imported(enrolled, "participants", write(tmp_path, rows))
    assert enrolled.query(period) == [{"end_date": "2026-10-15", "end_reason": "health"}]


def test_a_period_that_would_overlap_the_next_is_an_error_with_its_line(register, tmp_path):
    register.ok("participant", "add", "D-1", "--leader", "Kari Nordmann", "--start", "2026-01-01")
    register.ok("participant", "end", "D-1", "--date", "2026-03-31")
    register.ok("participant", "reenroll", "D-1", "--leader", "Kari Nordmann", "--start", "2026-06-01")
    rows = [["ref", "leader", "start_date", "end_date"], ["D-1", "Kari Nordmann", "01.01.2026", "30.06.2026"]]
    err = register.fails("import", "participants", write(tmp_path, rows))
    assert "line 2:" in err and "may not overlap" in err


def test_attendance_dry_run_counts_what_would_change_and_writes_nothing(enrolled, tmp_path):
    imported(enrolled, "attendance", write(tmp_path, [["ref", "date", "status"], ["D-1", "02.11.2026", "møtt"]]))
    path = write(tmp_path, [["ref", "date", "status"], ["D-1", "02.11.2026", "fravær"], ["D-1", "03.11.2026", "møtt"]])
    result = enrolled("import", "attendance", path, "--dry-run")
    assert "1 inserted, 1 updated" in result.stdout and "dry run" in result.stdout
    assert result.stderr == ""  # no progress bar off a terminal
    assert enrolled.query("SELECT date, status FROM attendance") == [{"date": "2026-11-02", "status": "present"}]


def test_attendance_read_in_several_batches_keeps_file_order_and_every_error(enrolled, tmp_path, monkeypatch):
    from kimu_cli import importer

    monkeypatch.setattr(importer, "BATCH_ROWS", 2)  # the reading thread hands over two lines at a time
    good = [["ref", "date", "status", "note"], ["D-1", "02.11.2026", "møtt", ""], ["D-1", "03.11.2026", "møtt", ""],
            ["d-1 ", "02.11.2026", "fravær", ""], ["D-1", "04.11.2026", "syk", "lege"], ["D-1", "03.11.2026", "syk", ""]]
    out = imported(enrolled, "attendance", write(tmp_path, good))
    assert "5 rows: 3 inserted, 2 updated" in out  # a day given again later in the file: the last one counts
    assert enrolled.query("SELECT date, status, note FROM attendance ORDER BY date") == [
        {"date": "2026-11-02", "status": "absent", "note": None},
        {"date": "2026-11-03", "status": "excused", "note": None},
        {"date": "2026-11-04", "status": "excused", "note": "lege"},
    ]
    bad = good[:3] + [["D-9", "05.11.2026", "møtt", ""], ["D-1", "05.11.2026", "møtt", ""], ["D-1", "32.11.2026", "x", ""]]
    err = enrolled.fails("import", "attendance", write(tmp_path, bad))
    assert "2 error(s)" in err and "line 4: ref: unknown participant 'D-9'" in err and "line 6: date:" in err
    assert count(enrolled, "attendance") == 3


def test_an_import_leaves_the_schema_as_it_was_written_refused_or_dry_run(enrolled, tmp_path):
    # The import writes new rows with the day-counting trigger off, and a first import of the
    # history (more lines than attendance has rows) with the date index off too.
    def schema():
        return enrolled.query("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")

    before = schema()
    good = write(tmp_path, [["ref", "date", "status"], ["D-1", "02.11.2026", "møtt"], ["D-1", "03.11.2026", "syk"]])
    bad = write(tmp_path, [["ref", "date", "status"], ["D-1", "04.11.2026", "møtt"], ["D-1", "05.11.2026", "x"]],
                name="bad.csv")
    imported(enrolled, "attendance", good, "--dry-run")
    enrolled.fails("import", "attendance", bad)
    assert schema() == before and count(enrolled, "attendance") == 0
    imported(enrolled, "attendance", good)
    assert schema() == before and count(enrolled, "attendance") == 2
    assert enrolled.query("SELECT present, excused FROM enrollment_facts ORDER BY enrollment_id") == [
        {"present": 1, "excused": 1}, {"present": 0, "excused": 0}]
    assert "ok" in enrolled.ok("db", "check")


def test_a_cell_of_spaces_is_an_empty_cell(enrolled, tmp_path):
    path = write(tmp_path, [["ref", "date", "status"], ["D-1", "  ", "møtt"], ["D-1", "02.11.2026", " "]])
    err = enrolled.fails("import", "attendance", path)
    assert "line 2: date: empty" in err and "line 3: status: empty" in err


def test_transition_rules_are_the_commands_rules(enrolled, tmp_path):
    path = write(tmp_path, [["ref", "date", "kind"], ["D-1", "01.08.2026", "mfy"], ["D-1", "01.12.2026", "mfy"],
                            ["D-1", "01.11.2026", "pensjon"]])
    err = enrolled.fails("import", "transitions", path)
    assert "line 2: date: 2026-08-01 is before 'D-1' was first enrolled (2026-09-01)" in err
    assert "line 3: date: 2026-12-01 is in the future" in err
    assert "line 4: kind: unknown value 'pensjon'" in err
    assert count(enrolled, "transitions") == 0


def test_refs_match_as_the_register_compares_them_ascii_letters_only(register, tmp_path):
    register.ok("participant", "add", "Øya-1", "--leader", "Kari Nordmann", "--start", "2026-11-02")
    path = tmp_path / "a.csv"
    path.write_text("ref;date;status\nøYA-1;20.11.2026;møtt\n", encoding="utf-8")
    err = register.fails("import", "attendance", path)
    assert "unknown participant 'øYA-1'" in err
    path.write_text("ref;date;status\nØYA-1;20.11.2026;møtt\n", encoding="utf-8")
    assert "1 inserted" in register.ok("import", "attendance", path)


def test_a_transition_list_imports_back_its_id_column_ignored(register, tmp_path):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-11-02")
    register.ok("transition", "add", "P1", "mfy", "--date", "2026-11-20", "--detail", "Bergen kommune")
    path = tmp_path / "overganger.csv"
    path.write_text(register.ok("transition", "list", "--format", "csv"), encoding="utf-8")
    out = register.ok("import", "transitions", path)
    assert "nothing changed" in out and "columns ignored: id, group, leader, site" in out


def test_two_aliases_of_one_column_are_refused(register, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("deltaker;referanse;dato;oppmøte\nP1;P1;20.11.2026;møtt\n", encoding="utf-8")
    assert "columns 'deltaker' and 'referanse' both mean 'ref'; keep one" in register.fails("import", "attendance", path)

"""The audit log: every change writes who/when/which command/what (old and new) in the same
transaction as the change; `kimu audit` reads it; nothing in kimu can edit it."""

import json
import sqlite3

import pytest
from conftest import templated


@templated
def busy(register):
    """P1 with Kari since 2026-11-02; Håkon (max 2 at once) follows H1 and H2."""
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-11-02", "--name", "Amira")
    register.ok("participant", "add", "H1", "--leader", "Håkon Ødegård", "--start", "2026-11-02")
    register.ok("participant", "add", "H2", "--leader", "Håkon Ødegård", "--start", "2026-11-02")
    return register


def _new_rows(kimu, since_id):
    rows = kimu.query("SELECT * FROM audit_log WHERE id > ? ORDER BY id", (since_id,))
    return [(r["command"], r["action"], r["entity"], r["record"], json.loads(r["changes"] or "null")) for r in rows]


def _last_id(kimu):
    return kimu.query("SELECT coalesce(max(id), 0) AS id FROM audit_log")[0]["id"]


def _csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# Each change, the audit rows it must write: (command, action, entity, record, {field: [old, new]}).
CHANGES = {
    "site add": (
        ["site", "add", "Lia", "--municipality", "Voss"],
        [("site add", "add", "site", "Lia", {"name": [None, "Lia"], "municipality": [None, "Voss"]})],
    ),
    "leader add": (
        ["leader", "add", "Siri", "--site", "Åsgården sykehjem", "--yearly-capacity", "12"],
        [("leader add", "add", "leader", "Siri", {"name": [None, "Siri"], "site_id": [None, 2],
                                                  "yearly_capacity": [None, 12], "max_concurrent": [None, 10],
                                                  "site": [None, "Åsgården sykehjem"]})],
    ),
    "leader edit": (
        ["leader", "edit", "Ola Brøndbo", "--max-concurrent", "4"],
        [("leader edit", "edit", "leader", "Ola Brøndbo", {"max_concurrent": [10, 4]})],
    ),
    "leader end": (
        ["leader", "end", "Ola Brøndbo", "--date", "2026-11-20"],
        [("leader end", "edit", "leader", "Ola Brøndbo", {"ended": [None, "2026-11-20"]})],
    ),
    "participant add": (
        ["participant", "add", "P2", "--leader", "Kari Nordmann", "--start", "2026-11-03", "--birth-year", "1990"],
        [("participant add", "add", "participant", "P2", {"ref": [None, "P2"], "birth_year": [None, 1990]}),
         ("participant add", "enroll", "enrollment", "P2",
          {"leader": [None, "Kari Nordmann"], "start_date": [None, "2026-11-03"]})],
    ),
    "participant edit": (
        ["participant", "edit", "P1", "--name", "Amira H.", "--ref", "P1-B"],
        [("participant edit", "edit", "participant", "P1", {"name": ["Amira", "Amira H."], "ref": ["P1", "P1-B"]})],
    ),
    "participant edit of the enrollment": (
        ["participant", "edit", "P1", "--start", "2026-11-04"],
        [("participant edit", "edit", "enrollment", "P1", {"start_date": ["2026-11-02", "2026-11-04"]})],
    ),
    "participant end": (
        ["participant", "end", "P1", "--date", "2026-11-20", "--reason", "flyttet"],
        [("participant end", "end", "enrollment", "P1", {"end_date": [None, "2026-11-20"],
                                                          "end_reason": [None, "moved_away"]})],
    ),
    "capacity override": (
        ["participant", "add", "H3", "--leader", "Håkon Ødegård", "--start", "2026-11-10", "--force"],
        [("participant add", "add", "participant", "H3", {"ref": [None, "H3"]}),
         ("participant add", "enroll", "enrollment", "H3",
          {"leader": [None, "Håkon Ødegård"], "start_date": [None, "2026-11-10"]}),
         ("participant add", "force", "enrollment", "H3", "capacity_override")],
    ),
    "attendance record": (
        ["attendance", "record", "2026-11-20", "P1", "--status", "absent", "--note", "syk"],
        [("attendance record", "record", "attendance", "P1 2026-11-20",
          {"status": [None, "absent"], "note": [None, "syk"]})],
    ),
    "transition add": (
        ["transition", "add", "P1", "sommerjobb", "--date", "2026-11-20", "--detail", "Rema 1000"],
        [("transition add", "add", "transition", "1", {"ref": [None, "P1"], "date": [None, "2026-11-20"],
                                                       "kind": [None, "job_summer"], "detail": [None, "Rema 1000"]})],
    ),
    "transition add --end": (
        ["transition", "add", "P1", "mfy", "--date", "2026-11-20", "--end"],
        [("transition add", "add", "transition", "1", {"ref": [None, "P1"], "date": [None, "2026-11-20"],
                                                       "kind": [None, "mfy"]}),
         ("transition add", "end", "enrollment", "P1", {"end_date": [None, "2026-11-20"],
                                                         "end_reason": [None, "moved_on"]})],
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_each_change_writes_who_when_which_command_and_old_and_new_values(busy, change):
    args, expected = CHANGES[change]
    mark = _last_id(busy)
    busy.ok(*args)
    got = _new_rows(busy, mark)
    if expected[-1][-1] == "capacity_override":  # the message is capacity's; it must name the rule broken
        assert "Håkon Ødegård" in got[-1][-1]["capacity_override"][1]
        got[-1] = (*got[-1][:-1], "capacity_override")
    assert got == expected
    (row,) = busy.query("SELECT login, at FROM audit_log WHERE id = ?", (mark + 1,))
    assert row["login"] and row["at"].startswith("20")


def test_correcting_attendance_records_the_old_value(busy):
    busy.ok("attendance", "record", "2026-11-20", "-l", "Kari Nordmann")
    mark = _last_id(busy)
    busy.ok("attendance", "record", "2026-11-20", "-l", "Kari Nordmann", "-a", "P1")
    assert _new_rows(busy, mark) == [
        ("attendance record", "correct", "attendance", "P1 2026-11-20", {"status": ["present", "absent"]})
    ]


def test_removing_a_transition_records_what_was_removed(busy):
    busy.ok("transition", "add", "P1", "jobb", "--date", "2026-11-20", "--note", "deltid")
    mark = _last_id(busy)
    busy.ok("transition", "remove", "1")
    assert _new_rows(busy, mark) == [
        ("transition remove", "remove", "transition", "1",
         {"ref": ["P1", None], "date": ["2026-11-20", None], "kind": ["job_other", None], "note": ["deltid", None]})
    ]


def test_reenrolling_records_the_new_period(busy):
    busy.ok("participant", "end", "P1", "--date", "2026-11-10")
    mark = _last_id(busy)
    busy.ok("participant", "reenroll", "P1", "--leader", "Ola Brøndbo", "--start", "2026-11-16")
    assert _new_rows(busy, mark) == [
        ("participant reenroll", "enroll", "enrollment", "P1",
         {"leader": [None, "Ola Brøndbo"], "start_date": [None, "2026-11-16"]})
    ]


def test_importing_participants_audits_each_new_and_changed_record_and_the_file(busy, tmp_path):
    path = _csv(tmp_path, "deltakere.csv", "deltaker;navn;arbeidsleder;startdato\nP1;Amira Hansen;Kari Nordmann;"
                "02.11.2026\nP5;Per;Kari Nordmann;03.11.2026\n")
    mark = _last_id(busy)
    busy.ok("import", "participants", path)
    assert _new_rows(busy, mark) == [
        ("import", "edit", "participant", "P1", {"name": ["Amira", "Amira Hansen"]}),
        ("import", "add", "participant", "P5", {"ref": [None, "P5"], "name": [None, "Per"]}),
        ("import", "enroll", "enrollment", "P5",
         {"leader": [None, "Kari Nordmann"], "start_date": [None, "2026-11-03"]}),
        ("import", "import", "participants", "deltakere.csv", {"rows": [None, 2], "inserted": [None, 1],
                                                               "updated": [None, 1]}),
    ]


def test_an_import_that_overrides_capacity_records_the_override(busy, tmp_path):
    path = _csv(tmp_path, "p.csv", "ref;leader;start_date\nH3;Håkon Ødegård;10.11.2026\n")
    assert "--force overrides" in busy.fails("import", "participants", path)
    mark = _last_id(busy)
    busy.ok("import", "participants", path, "--force")
    (force,) = [row for row in _new_rows(busy, mark) if row[1] == "force"]
    assert force[:4] == ("import", "force", "enrollment", "H3") and "Håkon Ødegård" in force[4]["capacity_override"][1]


def test_importing_transitions_audits_each_new_and_changed_record(busy, tmp_path):
    busy.ok("import", "transitions", _csv(tmp_path, "t.csv", "ref;date;kind\nP1;20.11.2026;mfy\n"))
    mark = _last_id(busy)
    busy.ok("import", "transitions", _csv(tmp_path, "t.csv", "ref;date;kind;skole\nP1;20.11.2026;mfy;Amalie Skram\n"))
    assert _new_rows(busy, mark)[0] == ("import", "edit", "transition", "1", {"detail": [None, "Amalie Skram"]})


def test_importing_attendance_audits_the_file(busy, tmp_path):
    mark = _last_id(busy)
    busy.ok("import", "attendance", _csv(tmp_path, "a.csv", "ref;dato;oppmøte\nP1;20.11.2026;møtt\n"
                                         "H1;20.11.2026;syk\n"))
    assert _new_rows(busy, mark) == [
        ("import", "import", "attendance", "a.csv", {"rows": [None, 2], "inserted": [None, 2]})
    ]


def test_an_attendance_import_that_corrects_a_day_records_the_old_value(busy, tmp_path):
    busy.ok("attendance", "record", "2026-11-20", "P1", "--status", "present")
    mark = _last_id(busy)
    busy.ok("import", "attendance", _csv(tmp_path, "a.csv", "ref;dato;oppmøte\nP1;20.11.2026;fravær\n"))
    assert ("import", "correct", "attendance", "P1 2026-11-20", {"status": ["present", "absent"]}) in _new_rows(
        busy, mark)


def test_a_dry_run_import_writes_no_audit_row(busy, tmp_path):
    mark = _last_id(busy)
    busy.ok("import", "participants", _csv(tmp_path, "p.csv", "ref;leader;start_date\nP9;Kari Nordmann;03.11.2026\n"),
            "--dry-run")
    assert _new_rows(busy, mark) == []


@pytest.mark.parametrize("args", [
    ["participant", "add", "P2", "--leader", "Nobody", "--start", "2026-11-03"],  # participant row first, then fails
    ["participant", "add", "H3", "--leader", "Håkon Ødegård", "--start", "2026-11-10"],  # over capacity
    ["attendance", "record", "2026-11-20", "-l", "Kari Nordmann", "-a", "NOPE"],
    ["transition", "add", "P1", "mfy", "--date", "2026-10-01", "--end"],
    ["participant", "edit", "P1", "--name", "Amira H.", "--leader", "Nobody"],  # name written, then leader fails
])
def test_a_failed_command_writes_neither_its_change_nor_an_audit_row(busy, args):
    before = busy.snapshot()
    busy.fails(*args)
    assert busy.snapshot() == before


def test_a_change_whose_audit_row_cannot_be_written_is_not_made(busy):
    """Change and audit row share one transaction: break the audit insert and the change is gone too."""
    conn = sqlite3.connect(busy.path)
    conn.execute("CREATE TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit down'); END")
    conn.close()
    for args in (["site", "add", "Lia"], ["participant", "edit", "P1", "--name", "X"],
                 ["attendance", "record", "2026-11-20", "P1"],
                 ["transition", "add", "P1", "mfy", "--date", "2026-11-20"]):
        assert "audit down" in busy.fails(*args)
    assert busy.query("SELECT name FROM participants WHERE ref = 'P1'") == [{"name": "Amira"}]
    assert busy.query("SELECT count(*) AS n FROM sites WHERE name = 'Lia'") == [{"n": 0}]
    assert busy.query("SELECT (SELECT count(*) FROM attendance) + (SELECT count(*) FROM transitions) AS n") == [
        {"n": 0}]


# ---- the log cannot be edited ----

@pytest.mark.parametrize("sql", [
    "UPDATE audit_log SET changes = '{}' WHERE id = 1",
    "UPDATE audit_log SET login = 'someone else' WHERE id = 1",
    "UPDATE audit_log SET redacted = 1, action = 'nothing' WHERE id = 1",
    "DELETE FROM audit_log WHERE id = 1",
    "DELETE FROM audit_log",
])
def test_the_audit_log_refuses_edits_even_outside_kimu(busy, sql):
    before = busy.query("SELECT * FROM audit_log")
    conn = sqlite3.connect(busy.path)
    # Another client has not got kimu's function that tells a masking apart: no update gets through.
    with pytest.raises(sqlite3.DatabaseError, match="append-only|no such function: audit_log_append_only_allows"):
        conn.execute(sql)
    conn.close()
    kimus = busy.connect()  # kimu's own connections have it, and refuse the same
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        kimus.execute(sql)
    kimus.close()
    assert busy.query("SELECT * FROM audit_log") == before


def test_only_a_redaction_gets_through_even_on_kimus_own_connection(busy):
    from kimu_cli import purge

    conn = busy.connect()
    row = conn.execute("SELECT id, changes FROM audit_log WHERE changes LIKE '%\"name\"%' ORDER BY id").fetchone()
    redacted = purge.redact_changes(row["changes"])
    assert "[redacted]" in redacted
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # a redaction, but the row stays marked
        conn.execute("UPDATE audit_log SET changes = ? WHERE id = ?", (redacted, row["id"]))
    conn.execute("UPDATE audit_log SET redacted = 1, changes = ? WHERE id = ?", (redacted, row["id"]))  # purge's
    for sql in ("UPDATE audit_log SET redacted = 0 WHERE id = ?", "UPDATE audit_log SET changes = 'x' WHERE id = ?",
                "UPDATE audit_log SET changes = NULL WHERE id = ?", "UPDATE audit_log SET digest = 'x' WHERE id = ?",
                """UPDATE audit_log SET changes = '{"status": ["x", "forged"]}' WHERE id = ?"""):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql, (row["id"],))
    conn.close()


def test_kimu_audit_only_reads(busy):
    assert busy("audit", "delete", "1").exit_code == 2  # no verb that edits
    before = busy.snapshot()
    for options in ([], ["--ref", "P1"], ["--since", "2026-01-01"], ["--limit", "1"], ["--format", "json"]):
        busy.ok("audit", *options)
    assert busy.snapshot() == before


# ---- kimu audit ----

def test_audit_lists_changes_oldest_first_in_every_format(busy):
    table = busy.ok("audit")
    assert "participant add" in table and "name: - -> Amira" in table
    rows = json.loads(busy.ok("audit", "--format", "json"))
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert set(rows[0]) == {"id", "at", "login", "command", "action", "entity", "record", "changes", "redacted"}
    p1 = next(r for r in rows if r["record"] == "P1")
    assert p1["changes"] == {"ref": [None, "P1"], "name": [None, "Amira"]}
    csv_lines = busy.ok("audit", "--format", "csv").splitlines()
    assert csv_lines[0] == "id,at,login,command,action,entity,record,changes,redacted"
    assert len(csv_lines) == len(rows) + 1


def test_audit_for_one_participant_follows_them_across_a_change_of_ref(busy):
    busy.ok("participant", "edit", "P1", "--ref", "P1-B")
    busy.ok("attendance", "record", "2026-11-20", "P1-B")
    rows = json.loads(busy.ok("audit", "--ref", "p1-b", "--format", "json"))
    assert [(r["action"], r["record"]) for r in rows] == [
        ("add", "P1"), ("enroll", "P1"), ("edit", "P1"), ("record", "P1-B 2026-11-20")
    ]


def test_audit_since_a_date_and_the_last_n(busy):
    assert json.loads(busy.ok("audit", "--since", "01.01.2100", "--format", "json")) == []
    everything = json.loads(busy.ok("audit", "--since", "2000-01-01", "--format", "json"))
    assert json.loads(busy.ok("audit", "--limit", "2", "--format", "json")) == everything[-2:]


def test_audit_refuses_an_unknown_ref_and_a_bad_date(busy):
    assert "unknown participant 'NOPE'" in busy.fails("audit", "--ref", "NOPE")
    assert busy.fails("audit", "--since", "yesterday") == (
        "kimu: since: 'yesterday' is not a date (use 2026-11-20 or 20.11.2026)")

"""kimu attendance record|list|rates|alerts, through the real CLI on a real file (today = 2026-11-25)."""

import csv
import io
import json

import pytest
from conftest import templated


def _add(kimu, ref, leader="Kari Nordmann", start="2026-11-02"):
    kimu.ok("participant", "add", ref, "--leader", leader, "--start", start)


def _statuses(kimu, day):
    rows = kimu.query(
        "SELECT p.ref, a.status FROM attendance a JOIN participants p ON p.id = a.participant_id WHERE a.date = ?",
        (day,),
    )
    return {r["ref"]: r["status"] for r in rows}


@templated
def team(register):
    """Kari follows A, B, C (and W, who starts tomorrow); Ola follows D."""
    for ref in "ABC":
        _add(register, ref)
    _add(register, "W", start="2026-11-26")
    _add(register, "D", leader="Ola Brøndbo")
    return register


def test_day_registration_marks_everyone_else_of_the_leader_present(team):
    out = team.ok("attendance", "record", "24.11.2026", "-l", "Kari Nordmann", "-a", "A", "-e", "C")
    assert out.strip() == ("2026-11-24 Kari Nordmann: 1 present, 1 absent, 1 excused "
                           "(3 added, 0 corrected, 0 unchanged)")
    assert _statuses(team, "2026-11-24") == {"A": "absent", "B": "present", "C": "excused"}


def test_leader_may_be_given_by_the_start_of_a_word_of_the_name(team):
    team.ok("attendance", "record", "2026-11-24", "-l", "nord", "--absent", "A,B")
    assert _statuses(team, "2026-11-24") == {"A": "absent", "B": "absent", "C": "present"}


def test_recording_a_day_again_corrects_it_and_audits_old_and_new(team):
    team.ok("attendance", "record", "2026-11-24", "-l", "kari", "-a", "A")
    out = team.ok("attendance", "record", "2026-11-24", "-l", "kari", "-e", "B")
    assert "(0 added, 2 corrected, 1 unchanged)" in out
    assert _statuses(team, "2026-11-24") == {"A": "present", "B": "excused", "C": "present"}
    audit = team.query("SELECT record, changes FROM audit_log WHERE entity = 'attendance' AND action = 'correct' "
                       "ORDER BY record")
    assert [(a["record"], json.loads(a["changes"])) for a in audit] == [
        ("A 2026-11-24", {"status": ["absent", "present"]}),
        ("B 2026-11-24", {"status": ["present", "excused"]}),
    ]


def test_named_refs_take_a_status_in_norwegian_with_hours_and_note(team):
    team.ok("attendance", "record", "2026-11-23", "A", "B", "--status", "møtt", "--hours", "7,5")
    team.ok("attendance", "record", "2026-11-23", "B", "-s", "gyldig fravær", "--note", "lege")
    rows = team.query("SELECT p.ref, a.status, a.hours, a.note FROM attendance a "
                      "JOIN participants p ON p.id = a.participant_id ORDER BY p.ref")
    assert rows == [{"ref": "A", "status": "present", "hours": 7.5, "note": None},
                    {"ref": "B", "status": "excused", "hours": 7.5, "note": "lege"}]


def test_attendance_in_the_future_is_refused(team):
    err = team.fails("attendance", "record", "2026-11-26", "-l", "kari")
    assert err == "kimu: date: 2026-11-26 is in the future; attendance is recorded for days that have happened"


def test_attendance_outside_the_enrollment_is_refused_naming_ref_and_date(team):
    team.ok("participant", "end", "B", "--date", "2026-11-20", "--reason", "dropped_out")
    assert team.fails("attendance", "record", "2026-10-30", "A") == (
        "kimu: ref: 'A' is not enrolled on 2026-10-30 (enrollments: 2026-11-02–open)")
    assert team.fails("attendance", "record", "2026-11-23", "B", "-s", "absent") == (
        "kimu: ref: 'B' is not enrolled on 2026-11-23 (enrollments: 2026-11-02–2026-11-20)")
    assert team.query("SELECT * FROM attendance") == []


def test_unknown_ref_is_named_and_nothing_of_the_day_is_written(team):
    err = team.fails("attendance", "record", "2026-11-24", "-l", "kari", "-a", "A,Z-404")
    assert err.startswith("kimu: ref: unknown participant 'Z-404'")
    assert team.query("SELECT * FROM attendance") == []


def test_ref_not_followed_by_the_leader_that_day_is_refused(team):
    err = team.fails("attendance", "record", "2026-11-24", "-l", "kari", "-a", "D")
    assert err == "kimu: ref: 'D' is not followed by Kari Nordmann on 2026-11-24"


def test_a_day_without_refs_or_leader_and_bad_hours_are_refused(team):
    assert "give --leader to register the whole day" in team.fails("attendance", "record", "2026-11-24")
    assert team.fails("attendance", "record", "2026-11-24", "A", "--hours", "25") == (
        "kimu: hours: 25 is not between 0 and 24")


def test_unknown_status_and_a_ref_given_twice_are_refused(team):
    assert "status: unknown value 'sick'" in team.fails("attendance", "record", "2026-11-24", "A", "-s", "sick")
    assert team.fails("attendance", "record", "2026-11-24", "A", "-a", "a") == (
        "kimu: ref: 'A' is given twice for 2026-11-24")


def test_list_filters_and_json_keys_equal_csv_columns(team):
    team.ok("attendance", "record", "2026-11-23", "-l", "kari", "-a", "B")
    team.ok("attendance", "record", "2026-11-24", "-l", "ola")
    rows = json.loads(team.ok("attendance", "list", "--ref", "B", "--format", "json"))
    assert rows == [{"ref": "B", "date": "2026-11-23", "status": "absent", "hours": None, "note": None,
                     "leader": "Kari Nordmann", "site": "Solbakken omsorgssenter"}]
    table = list(csv.DictReader(io.StringIO(team.ok("attendance", "list", "--from", "24.11.2026", "-f", "csv"))))
    assert [(r["ref"], r["date"], r["leader"]) for r in table] == [("D", "2026-11-24", "Ola Brøndbo")]
    assert set(table[0]) == set(rows[0])
    assert team.ok("attendance", "list", "--site", "Åsgården sykehjem", "-f", "csv").strip() == (
        "ref,date,status,hours,note,leader,site")


def test_rates_do_not_count_excused_days_and_group_by_leader_and_site(team):
    team.ok("attendance", "record", "2026-11-23", "-l", "kari", "-a", "A", "-e", "B")
    team.ok("attendance", "record", "2026-11-24", "-l", "kari", "-e", "B")
    team.ok("attendance", "record", "2026-11-25", "-l", "kari", "-a", "A", "-e", "B")
    by_ref = {r["ref"]: r for r in json.loads(team.ok("attendance", "rates", "-f", "json"))}
    assert by_ref["A"] == {"ref": "A", "leader": "Kari Nordmann", "site": "Solbakken omsorgssenter",
                           "days": 3, "present": 1, "absent": 2, "excused": 0, "rate": pytest.approx(1 / 3)}
    assert by_ref["B"]["rate"] is None and by_ref["B"]["excused"] == 3
    assert by_ref["D"]["days"] == 0 and by_ref["D"]["rate"] is None
    assert "W" not in by_ref  # starts after the period
    leaders = json.loads(team.ok("attendance", "rates", "--by", "leader", "-f", "json"))
    assert leaders[0] == {"leader": "Kari Nordmann", "site": "Solbakken omsorgssenter", "days": 9,
                          "present": 4, "absent": 2, "excused": 3, "rate": pytest.approx(4 / 6)}
    sites = json.loads(team.ok("attendance", "rates", "--by", "site", "--from", "2026-11-25", "-f", "json"))
    assert sites == [{"site": "Solbakken omsorgssenter", "days": 3, "present": 1, "absent": 1, "excused": 1,
                      "rate": 0.5}]


# The constructed history behind the alert tests: Kari's participants from 2 November,
# registered on the weekdays 12-25 November (day -> absent, excused; everyone else present).
HISTORY = [
    ("2026-11-12", "", ""),
    ("2026-11-13", "LOW", ""),
    ("2026-11-16", "", ""),
    ("2026-11-17", "", ""),
    ("2026-11-18", "LOW,END", ""),
    ("2026-11-19", "END", ""),
    ("2026-11-20", "RUN,END", ""),
]


@templated
def history(register):
    for ref in ("RUN", "TWO", "LOW", "MISS", "OK", "EXC", "END"):
        _add(register, ref)
    for day, absent, excused in HISTORY:
        register.ok("attendance", "record", day, "-l", "kari", "-a", absent, "-e", excused)
    register.ok("participant", "end", "END", "--date", "2026-11-20", "--reason", "dropped_out")
    register.ok("attendance", "record", "2026-11-23", "-l", "kari", "-a", "RUN", "-e", "EXC")
    # 24 November: MISS is left out while the leader registers the others.
    register.ok("attendance", "record", "2026-11-24", "OK", "-a", "TWO,LOW", "-e", "RUN,EXC")
    register.ok("attendance", "record", "2026-11-25", "-l", "kari", "-a", "RUN,TWO", "-e", "EXC")
    return register


def _alerts(kimu, *options):
    return [(a["ref"], a["alert"], a["detail"]) for a in json.loads(kimu.ok("attendance", "alerts", *options,
                                                                             "-f", "json"))]


def test_alerts_are_found_exactly_on_a_constructed_history(history):
    assert _alerts(history) == [
        ("LOW", "low_rate", "attendance 70% (7 of 10 days) since 2026-11-12"),
        ("MISS", "missing_registration",
         "no registration on 1 day(s) the leader registered others (last 2026-11-24)"),
        ("RUN", "consecutive_absences", "3 absences in a row since 2026-11-20"),
        ("RUN", "low_rate", "attendance 67% (6 of 9 days) since 2026-11-12"),
    ]
    # TWO: 2 absences in a row and a rate of exactly 0.8; EXC: only excused lately;
    # END: 3 absences in a row, but no longer followed.
    row = json.loads(history.ok("attendance", "alerts", "-f", "json"))[0]
    assert list(row) == ["ref", "name", "leader", "site", "alert", "detail", "since", "last_contact", "followed_up"]
    assert "3 absences in a row since 2026-11-20" in history.ok("attendance", "alerts")


def test_alert_thresholds_are_options(history):
    two_in_a_row = ("TWO", "consecutive_absences", "2 absences in a row since 2026-11-24")
    assert two_in_a_row in _alerts(history, "--absences", "2")
    eighty_percent = ("TWO", "low_rate", "attendance 80% (8 of 10 days) since 2026-11-12")
    assert eighty_percent in _alerts(history, "--min-rate", "0.85")
    assert "missing_registration" not in {a[1] for a in _alerts(history, "--missing-days", "2")}


def test_alerts_on_an_earlier_day_see_that_day(history):
    assert ("END", "consecutive_absences", "3 absences in a row since 2026-11-18") in _alerts(
        history, "--on", "20.11.2026")


def test_strict_alerts_exit_3_when_someone_needs_a_call_and_0_otherwise(history):
    result = history("attendance", "alerts", "--strict")
    assert result.exit_code == 3 and "RUN" in result.stdout
    assert "(none)" in history.ok("attendance", "alerts", "--strict", "--leader", "Ola Brøndbo")


def test_demo_has_attendance_and_prints_todays_alerts(kimu):
    out = kimu.ok("demo")
    for alert in ("consecutive_absences", "low_rate", "missing_registration"):
        assert alert in out
    days = kimu.query("SELECT count(*) AS n, max(date) AS last, "
                      "sum(strftime('%w', date) IN ('0', '6')) AS weekend FROM attendance")[0]
    assert days["n"] > 1000 and days["last"] == "2026-11-25" and days["weekend"] == 0
    assert kimu.ok("db", "check").startswith("ok")


@pytest.mark.parametrize("in_error, flagged", [(False, True), (True, False)])
def test_a_period_registered_in_error_does_not_count_as_the_leader_registering_others(register, in_error, flagged):
    """The only day A lacks is a day the leader registered nobody but ERR; once ERR's period is marked
    registered in error, that day was not the leader's."""
    for ref in ("A", "ERR"):
        _add(register, ref, leader="Ola Brøndbo", start="2026-11-16")
    for day in ("2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-23", "2026-11-25"):
        register.ok("attendance", "record", day, "-l", "ola")
    register.ok("attendance", "record", "2026-11-24", "ERR", "--status", "present")
    if in_error:
        register.ok("participant", "end", "ERR", "--date", "2026-11-25", "--reason", "feilregistrert")
    assert (("A", "missing_registration") in {a[:2] for a in _alerts(register, "--leader", "Ola Brøndbo")}) is flagged

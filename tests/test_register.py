"""kimu site|leader|participant: the register, through the real CLI on a real file."""

import csv
import io
import json

from conftest import identity_number


def test_site_add_and_list_as_json(kimu):
    kimu.ok("site", "add", "Solbakken omsorgssenter", "--municipality", "Bergen", "--nav-office", "NAV Årstad")
    sites = json.loads(kimu.ok("site", "list", "--format", "json"))
    assert sites == [{"site": "Solbakken omsorgssenter", "municipality": "Bergen", "nav_office": "NAV Årstad",
                      "leaders": 0, "active_participants": 0}]


def test_duplicate_site_is_refused_case_insensitively(kimu):
    kimu.ok("site", "add", "Solbakken")
    assert "already exists" in kimu.fails("site", "add", "solbakken")


def test_leader_gets_default_limits(register):
    leaders = json.loads(register.ok("leader", "list", "--format", "json"))
    kari = next(row for row in leaders if row["leader"] == "Kari Nordmann")
    assert (kari["yearly_capacity"], kari["max_concurrent"], kari["site"]) == (20, 10, "Solbakken omsorgssenter")


def test_leader_at_unknown_site_is_refused_and_nothing_is_written(register):
    err = register.fails("leader", "add", "Per Hansen", "--site", "Nowhere")
    assert err == "kimu: site: unknown site 'Nowhere' (see 'kimu site list')"
    assert register.query("SELECT * FROM leaders WHERE name = 'Per Hansen'") == []


def test_leader_edit_changes_limits_and_site(register):
    register.ok("leader", "edit", "Kari Nordmann", "--yearly-capacity", "15", "--site", "Åsgården sykehjem")
    row = json.loads(register.ok("leader", "list", "--site", "Åsgården sykehjem", "--format", "json"))
    assert {r["leader"]: r["yearly_capacity"] for r in row}["Kari Nordmann"] == 15


def test_leader_with_zero_capacity_is_refused(register):
    assert "yearly-capacity" in register.fails("leader", "edit", "Kari Nordmann", "--yearly-capacity", "0")


def test_leader_end_is_refused_while_following_participants(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-10-01")
    assert "still follows 1 participant" in register.fails("leader", "end", "Kari Nordmann", "--date", "2026-11-01")
    register.ok("participant", "end", "P1", "--date", "2026-10-31")
    register.ok("leader", "end", "Kari Nordmann", "--date", "2026-11-01")
    names = [r["leader"] for r in json.loads(register.ok("leader", "list", "--format", "json"))]
    assert "Kari Nordmann" not in names
    assert "Kari Nordmann" in register.ok("leader", "list", "--all")


def test_participant_add_then_list_shows_them_active(register):
    out = register.ok("participant", "add", "D-2026-001", "--leader", "Kari Nordmann", "--start", "20.11.2026",
                      "--name", "Åse Ørn", "--birth-year", "1999", "--goal", "helsefagarbeider")
    assert "D-2026-001" in out
    rows = list(csv.DictReader(io.StringIO(register.ok("participant", "list", "--format", "csv"))))
    assert rows == [{"ref": "D-2026-001", "name": "Åse Ørn", "leader": "Kari Nordmann",
                     "site": "Solbakken omsorgssenter", "start_date": "2026-11-20", "end_date": "",
                     "end_reason": "", "status": "active"}]


def test_participant_list_filters_by_status(register):
    register.ok("participant", "add", "NOW", "--leader", "Kari Nordmann", "--start", "2026-11-01")
    register.ok("participant", "add", "LATER", "--leader", "Kari Nordmann", "--start", "2026-12-01")
    register.ok("participant", "add", "DONE", "--leader", "Ola Brøndbo", "--start", "2026-01-05")
    register.ok("participant", "end", "DONE", "--date", "2026-06-30", "--reason", "annet løp")

    def refs(*args):
        return [r["ref"] for r in json.loads(register.ok("participant", "list", "--format", "json", *args))]

    assert refs() == ["NOW"]
    assert refs("--status", "waiting") == ["LATER"]
    assert refs("--status", "ended") == ["DONE"]
    assert sorted(refs("--status", "all")) == ["DONE", "LATER", "NOW"]
    assert refs("--status", "all", "--leader", "Ola Brøndbo") == ["DONE"]
    assert refs("--status", "all", "--site", "Åsgården sykehjem") == []
    assert register("participant", "list", "--status", "bogus").exit_code == 2  # usage, as for every closed choice
    for ref, status in (("NOW", "active"), ("LATER", "waiting"), ("DONE", "ended")):  # show says the same
        assert json.loads(register.ok("participant", "show", ref, "--format", "json"))["status"] == status


def test_participant_show_as_json_has_details_and_enrollments(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-01-05",
                "--veileder", "Trine Aasen")
    shown = json.loads(register.ok("participant", "show", "P1", "--format", "json"))
    assert shown["ref"] == "P1" and shown["veileder"] == "Trine Aasen" and shown["status"] == "active"
    assert [(e["leader"], e["start_date"], e["end_date"]) for e in shown["enrollments"]] == [
        ("Kari Nordmann", "2026-01-05", None)
    ]


def test_participant_edit_changes_details_and_corrects_the_enrollment(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-01-05")
    register.ok("participant", "edit", "P1", "--ref", "P-001", "--goal", "fagbrev", "--leader", "Ola Brøndbo",
                "--start", "2026-01-12")
    shown = json.loads(register.ok("participant", "show", "P-001", "--format", "json"))
    assert shown["goal"] == "fagbrev"
    assert [(e["leader"], e["start_date"]) for e in shown["enrollments"]] == [("Ola Brøndbo", "2026-01-12")]
    assert "unknown participant 'P1'" in register.fails("participant", "show", "P1")


def test_end_then_reenroll_keeps_history(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2025-01-06")
    register.ok("participant", "end", "P1", "--date", "2025-03-01", "--reason", "sluttet")
    register.ok("participant", "reenroll", "P1", "--leader", "Ola Brøndbo", "--start", "2026-02-02")
    shown = json.loads(register.ok("participant", "show", "P1", "--format", "json"))
    assert [(e["start_date"], e["end_date"], e["end_reason"]) for e in shown["enrollments"]] == [
        ("2025-01-06", "2025-03-01", "dropped_out"),
        ("2026-02-02", None, None),
    ]
    assert shown["status"] == "active"


def test_empty_end_reason_means_other(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2025-01-06")
    register.ok("participant", "end", "P1", "--date", "2025-03-01", "--reason", "")
    assert register.query("SELECT end_reason FROM enrollments") == [{"end_reason": "other"}]


def test_second_open_enrollment_is_refused(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-01-05")
    err = register.fails("participant", "reenroll", "P1", "--leader", "Ola Brøndbo", "--start", "2026-03-01")
    assert err == "kimu: ref: 'P1' is still enrolled since 2026-01-05; end that period first"


def test_reenroll_overlapping_the_last_period_is_refused(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-01-05")
    register.ok("participant", "end", "P1", "--date", "2026-03-01")
    assert "not after the last period's end" in register.fails(
        "participant", "reenroll", "P1", "--leader", "Kari Nordmann", "--start", "2026-02-15")


def test_end_date_before_start_is_refused(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-01-05")
    err = register.fails("participant", "end", "P1", "--date", "01.01.2026")
    assert err == "kimu: date: end 2026-01-01 is before the start of the enrollment (2026-01-05)"


def test_unknown_end_reason_names_the_value(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-01-05")
    assert "unknown value 'bored'" in register.fails("participant", "end", "P1", "--date", "2026-02-01",
                                                      "--reason", "bored")


def test_duplicate_ref_is_refused(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-01-05")
    assert "participant 'p1' already exists" in register.fails(
        "participant", "add", "p1", "--leader", "Ola Brøndbo", "--start", "2026-01-05")


def test_malformed_date_names_the_field_and_value(register):
    err = register.fails("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026/01/05")
    assert err == "kimu: start: '2026/01/05' is not a date (use 2026-11-20 or 20.11.2026)"
    assert "2026-13-01" in register.fails("participant", "add", "P1", "--leader", "Kari Nordmann",
                                          "--start", "2026-13-01")
    assert "31.02.2026" in register.fails("participant", "add", "P1", "--leader", "Kari Nordmann",
                                          "--start", "31.02.2026")


def test_unknown_leader_is_refused_and_no_participant_is_left_behind(register):
    err = register.fails("participant", "add", "P1", "--leader", "Nobody", "--start", "2026-01-05")
    assert err == "kimu: leader: unknown leader 'Nobody' (see 'kimu leader list')"
    assert register.query("SELECT * FROM participants") == []
    assert register.query("SELECT * FROM audit_log WHERE entity = 'participant'") == []


def test_identity_number_as_ref_is_refused(register):
    number = identity_number()
    err = register.fails("participant", "add", number, "--leader", "Kari Nordmann", "--start", "2026-01-05")
    assert "national identity number" in err and number not in err
    assert register.query("SELECT * FROM participants") == []


def test_identity_number_in_notes_is_refused_but_other_digits_are_fine(register):
    number = identity_number("010190")
    spaced = f"{number[:6]} {number[6:]}"
    assert "notes" in register.fails("participant", "add", "P1", "--leader", "Kari Nordmann",
                                     "--start", "2026-01-05", "--notes", f"fnr {spaced}")
    near_miss = number[:-1] + str((int(number[-1]) + 1) % 10)
    register.ok("participant", "add", near_miss, "--leader", "Kari Nordmann", "--start", "2026-01-05")


def test_db_option_is_accepted_after_the_command(kimu, tmp_path):
    other = tmp_path / "other.db"
    kimu.ok("site", "add", "Solbakken", "--db", str(other))
    assert kimu.query("SELECT * FROM sites") == []
    assert "Solbakken" in kimu.ok("site", "list", "--db", str(other))


def test_db_path_follows_option_then_env_then_default(kimu, tmp_path):
    from typer.testing import CliRunner

    from kimu_cli.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["--db", "x.db", "db", "path"]).stdout.strip() == "x.db"
    assert runner.invoke(app, ["db", "path"], env={"KIMU_DB": "/tmp/env.db"}).stdout.strip() == "/tmp/env.db"
    default = runner.invoke(app, ["db", "path"]).stdout.strip()
    assert default == str(tmp_path / "xdg" / "kimu" / "kimu.db")


def test_an_enrollment_registered_in_error_is_not_counted_as_active(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-11-01")
    register.ok("participant", "add", "P2", "--leader", "Kari Nordmann", "--start", "2026-11-01")
    register.ok("participant", "end", "P2", "--date", "2026-12-31", "--reason", "feilregistrert")
    leaders = {r["leader"]: r for r in json.loads(register.ok("leader", "list", "--format", "json"))}
    sites = {r["site"]: r for r in json.loads(register.ok("site", "list", "--format", "json"))}
    assert leaders["Kari Nordmann"]["active_participants"] == 1
    assert sites["Solbakken omsorgssenter"]["active_participants"] == 1


def test_leader_filters_take_the_start_of_a_name_but_not_an_ambiguous_one(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-11-02")
    assert [r["ref"] for r in json.loads(register.ok("participant", "list", "--leader", "kari", "--format", "json"))] == ["P1"]
    register.ok("leader", "add", "Kari Olsen", "--site", "Åsgården sykehjem")
    assert "matches Kari Nordmann, Kari Olsen" in register.fails("participant", "list", "--leader", "kari")

"""kimu demo: a fictional register, in its own file unless told otherwise."""

import json

import pytest
from typer.testing import CliRunner

from kimu_cli.cli import app


def test_demo_without_db_writes_beside_the_default_database_not_into_it(tmp_path):
    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    demo_file = tmp_path / "xdg" / "kimu" / "kimu-demo.db"
    assert str(demo_file) in result.stdout
    assert demo_file.exists()
    assert not (tmp_path / "xdg" / "kimu" / "kimu.db").exists()
    again = CliRunner().invoke(app, ["demo"])  # the demo's own file is simply rebuilt
    assert again.exit_code == 0, again.output


def test_demo_into_db_holds_leaders_and_participants_with_norwegian_names(kimu):
    out = kimu.ok("demo")
    assert "Ingrid Sæther" in out and str(kimu.path) in out
    participants = json.loads(kimu.ok("participant", "list", "--status", "all", "--format", "json"))
    assert len(participants) >= 40
    assert any(ch in p["name"] for p in participants for ch in "æøåÆØÅ")
    years = {p["start_date"][:4] for p in participants}
    assert len(years) >= 3
    assert kimu.ok("db", "check").startswith("ok")


def test_demo_refuses_a_file_with_data_unless_replace(register):
    register.ok("participant", "add", "P1", "--leader", "Kari Nordmann", "--start", "2026-01-05")
    assert "already holds data" in register.fails("demo")
    register.ok("demo", "--replace")
    assert register.query("SELECT count(*) AS n FROM leaders WHERE name = 'Åse Kjærnes'")[0]["n"] == 1
    assert register.query("SELECT count(*) AS n FROM participants WHERE ref = 'P1'")[0]["n"] == 0


@pytest.mark.parametrize("today", ["2026-11-24", "2026-11-25", "2026-06-19", "2028-02-29", "2031-01-02"])
def test_the_demo_works_on_any_today_with_its_three_alerts(kimu, monkeypatch, today):
    """The data end on 25 November 2026: on another day they are moved by whole years to end on or
    before it (the day before keeps nothing in the future; a leap day finds no 29 February)."""
    monkeypatch.setenv("KIMU_TODAY", today)
    kimu.ok("demo")
    alerts = {a["alert"] for a in json.loads(kimu.ok("attendance", "alerts", "--format", "json"))}
    assert alerts == {"consecutive_absences", "low_rate", "missing_registration"}
    latest = kimu.query("SELECT max(start_date) AS d FROM enrollments")[0]["d"]
    assert latest <= today
    assert kimu.ok("db", "check").startswith("ok")

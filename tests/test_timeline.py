"""`participant show` as a timeline: one list in order, rates per period, a calendar of weeks."""

import json
import re

import pytest


@pytest.fixture
def history(register):
    ok = register.ok
    ok("participant", "add", "P1", "-l", "kari", "--start", "2026-08-31", "--goal", "helsefagarbeider")
    ok("attendance", "record", "2026-09-01", "P1", "-s", "absent")
    ok("attendance", "record", "2026-09-02", "P1", "-s", "absent")
    ok("attendance", "record", "2026-09-03", "P1", "-s", "excused")  # neither counts nor breaks the run
    ok("attendance", "record", "2026-09-04", "P1", "-s", "absent")
    ok("attendance", "record", "2026-09-07", "P1")
    ok("attendance", "record", "2026-09-08", "P1", "-s", "excused")
    ok("attendance", "record", "2026-09-09", "P1", "-s", "excused")
    ok("attendance", "record", "2026-09-12", "P1")  # a Saturday
    ok("attendance", "record", "2026-09-07", "P1", "-s", "absent")  # a correction
    ok("participant", "end", "P1", "--date", "2026-09-30", "--reason", "health")
    ok("participant", "reenroll", "P1", "-l", "ola", "--start", "2026-11-02")
    ok("attendance", "record", "2026-11-03", "P1")
    ok("transition", "add", "P1", "mfy", "--date", "2026-11-20", "--detail", "Solbakken")
    return register


def test_json_keeps_its_keys_and_adds_the_timeline(history):
    shown = json.loads(history.ok("participant", "show", "P1", "--format", "json"))
    assert list(shown) == ["ref", "name", "birth_year", "veileder", "goal", "notes", "status", "enrollments",
                           "transitions", "milestones", "timeline"]
    assert [e["forced"] for e in shown["enrollments"]] == [0, 0]
    events = [(e["date"], e["event"]) for e in shown["timeline"] if e["event"] != "corrected"]
    assert events == [
        ("2026-08-31", "enrolled"), ("2026-09-01", "absent_streak"), ("2026-09-03", "excused_spell"),
        ("2026-09-08", "excused_spell"), ("2026-09-30", "ended"), ("2026-11-02", "reenrolled"),
        ("2026-11-20", "transition")]
    streak = shown["timeline"][1]
    assert (streak["until"], streak["days"]) == ("2026-09-07", 4)  # 1, 2, 4 and (corrected) 7 September
    corrected = [e for e in shown["timeline"] if e["event"] == "corrected"]
    assert [(c["entity"], c["changes"]) for c in corrected] == [("attendance", "status: present -> absent")]


def test_the_table_tells_the_story_in_order(history):
    out = history.ok("participant", "show", "P1")
    assert "forced" not in out and "\x1b[" not in out
    story = out.split("What happened\n")[1].split("\n\n")[0].splitlines()
    assert story[0].split() [:1] == ["2026-08-31"] and "Enrolled with Kari Nordmann at Solbakken" in story[0]
    assert "Absent 4 days in a row, to 2026-09-07" in story[1]
    assert "Ended: Health" in out and "Re-enrolled with Ola Brøndbo" in out
    assert "Moved on: MFY training contract (Solbakken)" in out
    assert "Corrected attendance: status: present -> absent" in out
    assert re.search(r"Kari Nordmann .* 8 +1 +4 +3 +20 %", out)  # the first period's rate: 1 / (1 + 4)
    assert "Status  active" in out


def test_the_calendar_has_weeks_as_rows_and_letters_when_plain(history):
    out = history.ok("participant", "show", "P1")
    calendar = out.split("Attendance\n")[1].splitlines()
    assert calendar[0].split() == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]  # a Saturday was recorded
    assert calendar[1].split() == ["2026-W36", "·", "A", "A", "E", "A", "·", "·"]
    assert calendar[2].split() == ["2026-W37", "A", "E", "E", "·", "·", "P", "·"]
    assert calendar[3].split()[0] == "2026-W38"  # weeks without records between are shown, empty
    assert calendar[-2].split() == ["2026-W45", "·", "P", "·", "·", "·", "·", "·"]
    assert "P present  A absent  E excused" in calendar[-1]


def test_the_same_in_bokmal(history):
    out = history.ok("participant", "show", "P1", env={"KIMU_LANG": "nb"})
    assert "Status  aktiv" in out and "Hva som har skjedd" in out
    assert "31.08.2026  Startet hos Kari Nordmann på Solbakken omsorgssenter" in out
    assert "Fravær 4 dager på rad, til 07.09.2026" in out and "Avsluttet: Helse" in out
    assert "Overgang: MFY med opplæringskontrakt (Solbakken)" in out
    calendar = out.split("Oppmøte\n")[1].splitlines()
    assert calendar[0].split() == ["man", "tir", "ons", "tor", "fre", "lør", "søn"]
    assert calendar[1].split() == ["uke", "36", "2026", "·", "F", "F", "G", "F", "·", "·"]
    assert "M møtt  F fravær  G gyldig fravær" in calendar[-1]


def test_weekdays_only_when_no_weekend_day_was_recorded(register):
    register.ok("participant", "add", "P2", "-l", "kari", "--start", "2026-11-02")
    register.ok("attendance", "record", "2026-11-02", "P2")
    out = register.ok("participant", "show", "P2")
    calendar = out.split("Attendance\n")[1].splitlines()
    assert calendar[0].split() == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    assert calendar[1].split() == ["2026-W45", "P", "·", "·", "·", "·"]


def test_a_capacity_override_is_said_in_words(register):
    for ref in ("H1", "H2"):
        register.ok("participant", "add", ref, "-l", "håkon", "--start", "2026-11-02")
    register.ok("participant", "add", "H3", "-l", "håkon", "--start", "2026-11-02", "--force")
    out = register.ok("participant", "show", "H3")
    assert "(over capacity, rule overridden)" in out and "forced" not in out


def test_on_a_terminal_the_marks_are_coloured(history, monkeypatch):
    import io

    from kimu_cli import participants, render, timeline

    monkeypatch.setattr(render, "colour", lambda: True)
    conn = history.connect()
    try:
        shown = timeline.show(conn, "P1")
        days = timeline.calendar(conn, participants.get(conn, "P1")["id"])
    finally:
        conn.close()
    out = io.StringIO()
    monkeypatch.setattr(render.sys, "stdout", out)
    render.participant(shown, days, "en")
    text = out.getvalue()
    assert "\x1b[31m●\x1b[0m" in text and "\x1b[32m●\x1b[0m" in text and "\x1b[33m●\x1b[0m" in text

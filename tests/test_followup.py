"""Alerts that know they were handled (issue 18): since, last_contact, followed_up, `attendance alerts
--open/--strict`, and the weekly summary's follow-up figures on a register counted by hand."""

import json

import pytest
from conftest import weekdays

from kimu_cli import attendance, contacts, db, followup, participants, weekly

# Week 2026-W47 runs from Monday 16 to Sunday 22 November 2026 (KIMU_TODAY is 25 November).
# Kari follows A, B, C, M and OK from 2 November; Ola follows D (never registered). Kari registers
# every weekday 2-25 November, everyone present but:
ABSENT = {"2026-11-16": ["A", "C"], "2026-11-17": ["A", "C"], "2026-11-18": ["A", "B", "C"],
          "2026-11-19": ["B"], "2026-11-20": ["B"]}
MISSING = {"2026-11-17": "M"}  # left out that day while the others are registered
CONTACTS = [("A", "2026-11-20", "veileder", "phone"), ("B", "2026-11-17", "participant", "phone"),
            ("C", "2026-11-19", "school", "meeting"), ("B", "2026-11-24", "participant", "meeting"),
            ("D", "2026-11-18", "employer", "visit")]



@pytest.fixture
def history(register):
    """The register above, built through the core (the CLI is not the point here); no contacts yet."""
    conn = register.connect()
    try:
        with db.transaction(conn):
            for ref in ("A", "B", "C", "M", "OK"):
                participants.add(conn, ref, "Kari Nordmann", "2026-11-02")
            participants.add(conn, "D", "Ola Brøndbo", "2026-11-02")
            for day in weekdays("2026-11-02", "2026-11-25"):
                statuses = [(ref, "absent") for ref in ABSENT.get(day, [])]
                if day in MISSING:
                    given = {ref for ref, _ in statuses}
                    statuses += [(r, "present") for r in ("A", "B", "C", "M", "OK") if r not in given | {MISSING[day]}]
                    attendance.record(conn, day, statuses)
                else:
                    attendance.record(conn, day, statuses, leader="Kari Nordmann")
    finally:
        conn.close()
    return register


def _add_contacts(kimu, rows):
    conn = kimu.connect()
    try:
        with db.transaction(conn):
            for ref, day, with_, how in rows:
                contacts.add(conn, ref, with_, how, day)
    finally:
        conn.close()


def _alerts(kimu, on, *options):
    return json.loads(kimu.ok("attendance", "alerts", "--on", on, "-f", "json", *options))


def _by_key(rows):
    return {(a["ref"], a["alert"]): (a["since"], a["last_contact"], a["followed_up"]) for a in rows}


def test_each_alert_knows_the_day_its_trouble_began(history):
    assert _by_key(_alerts(history, "2026-11-18")) == {
        ("A", "consecutive_absences"): ("2026-11-16", None, False),  # the run's first absence
        ("A", "low_rate"): ("2026-11-05", None, False),  # the start of the 14-day window
        ("C", "consecutive_absences"): ("2026-11-16", None, False),
        ("C", "low_rate"): ("2026-11-05", None, False),
        ("M", "missing_registration"): ("2026-11-17", None, False),  # the first day missing
    }
    # a run of excused-free absences that began before the window: still its first absence
    assert _by_key(_alerts(history, "2026-11-20", "--days", "3"))[("B", "consecutive_absences")][0] == "2026-11-18"


def test_a_contact_the_day_before_the_run_does_not_count_one_on_its_first_day_does(history):
    _add_contacts(history, [("A", "2026-11-15", "participant", "phone")])
    found = _by_key(_alerts(history, "2026-11-18"))
    assert found[("A", "consecutive_absences")] == ("2026-11-16", None, False)
    assert found[("A", "low_rate")] == ("2026-11-05", "2026-11-15", True)  # its trouble began before
    _add_contacts(history, [("A", "2026-11-16", "veileder", "message")])
    found = _by_key(_alerts(history, "2026-11-18"))
    assert found[("A", "consecutive_absences")] == ("2026-11-16", "2026-11-16", True)
    assert found[("A", "low_rate")] == ("2026-11-05", "2026-11-16", True)  # the last one since


def test_a_contact_after_the_day_looked_from_does_not_count(history):
    _add_contacts(history, [("M", "2026-11-19", "participant", "phone")])
    assert _by_key(_alerts(history, "2026-11-18"))[("M", "missing_registration")][2] is False
    assert _by_key(_alerts(history, "2026-11-19"))[("M", "missing_registration")] == (
        "2026-11-17", "2026-11-19", True)


def test_open_alerts_come_first_and_open_and_strict_see_only_them(history):
    _add_contacts(history, [("A", "2026-11-16", "veileder", "phone"), ("M", "2026-11-17", "participant", "phone")])
    rows = _alerts(history, "2026-11-18")
    assert [(a["ref"], a["alert"], a["followed_up"]) for a in rows] == [
        ("C", "consecutive_absences", False), ("C", "low_rate", False),
        ("A", "consecutive_absences", True), ("A", "low_rate", True), ("M", "missing_registration", True)]
    assert list(rows[0]) == ["ref", "name", "leader", "site", "alert", "detail", "since", "last_contact", "followed_up"]
    assert rows[0]["detail"] == "3 absences in a row since 2026-11-16"  # the detail texts are unchanged
    assert {a["ref"] for a in _alerts(history, "2026-11-18", "--open")} == {"C"}
    result = history("attendance", "alerts", "--on", "2026-11-18", "--strict")
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0] == "Who needs a call" and lines[1].startswith("!")  # open alerts marked
    assert [line.startswith("!") for line in lines[3:]] == [True, True, False, False, False]
    assert [line.split()[-1] for line in lines[3:]] == ["no", "no", "yes", "yes", "yes"]
    _add_contacts(history, [("C", "2026-11-18", "school", "meeting")])
    result = history("attendance", "alerts", "--on", "2026-11-18", "--strict")
    assert result.exit_code == 0 and "C " in result.stdout  # all followed up: listed, and not an error
    assert history.ok("attendance", "alerts", "--on", "2026-11-18", "--open", "--strict") == "Who needs a call\n(none)\n"
    csv_lines = history.ok("attendance", "alerts", "--on", "2026-11-18", "-f", "csv").splitlines()
    assert csv_lines[0] == "ref,name,leader,site,alert,detail,since,last_contact,followed_up"
    assert csv_lines[1].endswith(",2026-11-16,2026-11-16,true")


def test_working_days():
    assert followup.working_days("2026-11-18", "2026-11-18") == 0
    assert followup.working_days("2026-11-18", "2026-11-17") == 0
    assert followup.working_days("2026-11-18", "2026-11-20") == 2
    assert followup.working_days("2026-11-20", "2026-11-23") == 1  # Friday to Monday
    assert followup.working_days("2026-11-21", "2026-11-22") == 0  # a weekend
    assert followup.working_days("2026-11-16", "2026-11-30") == 10


# By hand, week 2026-W47 (contacts as CONTACTS):
# - A: absent Mon-Wed, present Thu-Fri. On Wed 18 three in a row (since 16) and 7 of 10 days in the
#   window 05-18 (since 05): two alerts raised Wed 18. Contact Fri 20: both followed up, 2 working days.
# - C: the same absences, contact Thu 19: both followed up, 1 working day each.
# - B: absent Wed-Fri: three in a row on Fri 20 (since 18) and 7 of 10 in 07-20 (since 07), raised
#   Fri 20. Contact Tue 17: the day before the run (open), in the rate's window (followed up, 0 days:
#   the call came before the alert). The contact of Tue 24 is after the week's Sunday.
# - M: not registered Tue 17 while the others were: raised Tue 17 (since 17), no contact: open.
# Raised 7, followed up 5, open 2; working days 2, 2, 1, 1, 0: median 1.
# Contacts dated in the week: Kari's A 20, B 17, C 19 (3 contacts, 3 participants); Ola's D 18.
def test_the_weeks_follow_up_figures_as_counted_by_hand(history):
    _add_contacts(history, CONTACTS)
    conn = history.connect()
    try:
        rows = followup.raised(conn, "2026-11-16", "2026-11-22")
        assert sorted((r["ref"], r["alert"], r["raised"], r["since"], r["first_contact"], r["working_days"])
                      for r in rows) == [
            ("A", "consecutive_absences", "2026-11-18", "2026-11-16", "2026-11-20", 2),
            ("A", "low_rate", "2026-11-18", "2026-11-05", "2026-11-20", 2),
            ("B", "consecutive_absences", "2026-11-20", "2026-11-18", None, None),
            ("B", "low_rate", "2026-11-20", "2026-11-07", "2026-11-17", 0),
            ("C", "consecutive_absences", "2026-11-18", "2026-11-16", "2026-11-19", 1),
            ("C", "low_rate", "2026-11-18", "2026-11-05", "2026-11-19", 1),
            ("M", "missing_registration", "2026-11-17", "2026-11-17", None, None),
        ]
        week = weekly.summary(conn, "2026-W47")
    finally:
        conn.close()
    assert week["follow_up"] == {
        "alerts_raised": 7, "alerts_followed_up": 5, "alerts_open": 2, "median_working_days_to_contact": 1,
        "contacts_by_leader": [{"leader": "Kari Nordmann", "site": "Solbakken omsorgssenter", "contacts": 3,
                                "participants": 3},
                               {"leader": "Ola Brøndbo", "site": "Solbakken omsorgssenter", "contacts": 1,
                                "participants": 1}]}
    # the week's alert list (as on its Sunday) knows which are followed up, open ones first
    assert [(a["ref"], a["alert"], a["since"], a["followed_up"]) for a in week["alerts"]] == [
        ("B", "consecutive_absences", "2026-11-18", False), ("M", "missing_registration", "2026-11-17", False),
        ("A", "low_rate", "2026-11-09", True), ("B", "low_rate", "2026-11-09", True),
        ("C", "low_rate", "2026-11-09", True)]


def test_the_weeks_follow_up_is_suppressed_like_every_count(history):
    _add_contacts(history, CONTACTS)
    week = json.loads(history.ok("summary", "weekly", "--week", "2026-W47", "--format", "json",
                                 "--suppress-below", "3"))
    assert week["alerts"] is None
    follow = week["follow_up"]
    # open 2 is hidden; followed up would give it back (7 - 5): hidden too; the median rests on it
    assert (follow["alerts_raised"], follow["alerts_followed_up"], follow["alerts_open"]) == (7, "x", "<3")
    assert follow["median_working_days_to_contact"] is None
    assert follow["contacts_by_leader"] == [
        {"leader": "Kari Nordmann", "site": "Solbakken omsorgssenter", "contacts": 3, "participants": 3},
        {"leader": "Ola Brøndbo", "site": "Solbakken omsorgssenter", "contacts": None, "participants": "<3"}]


def test_the_weekly_text_and_markdown_show_the_follow_up(history):
    _add_contacts(history, CONTACTS)
    text = history.ok("summary", "weekly", "--week", "2026-W47")
    assert "Follow-up of alerts this week" in text and "Median working days from alert to first contact" in text
    assert "Contacts this week per leader" in text
    bokmal = history.ok("summary", "weekly", "--week", "2026-W47", "--lang", "nb", "--format", "markdown")
    assert "Oppfølging av varsler denne uken" in bokmal and "**Fulgt opp:** 5" in bokmal


def test_the_demo_records_contacts_and_shows_open_and_followed_up_alerts(kimu):
    out = kimu.ok("demo")
    assert "'kimu contact add' follows one up" in out
    rows = json.loads(kimu.ok("attendance", "alerts", "-f", "json"))
    assert {a["followed_up"] for a in rows} == {True, False}
    assert [a["followed_up"] for a in rows] == sorted(a["followed_up"] for a in rows)  # open ones first
    assert len(json.loads(kimu.ok("contact", "list", "-f", "json"))) >= 10
    week = json.loads(kimu.ok("summary", "weekly", "--format", "json"))
    assert week["follow_up"]["alerts_raised"] >= week["follow_up"]["alerts_followed_up"] >= 0
    assert kimu.ok("db", "check").startswith("ok")

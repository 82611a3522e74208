"""Outcomes and cost on their edges: the first and last day of the window, a period ending on the
window's first day or starting on its last, a member who started on the first day and came back,
rows after today, the median of an odd and an even count, the cost's defaults and refusals, an empty
window, suppression at below = 1 and 2, and the flat rows and sections of a summary.

Through the core functions on a real file (today is 2026-11-25). tools/mutate.py found each of these
wanting: a test here kills a mutant of kimu_cli/outcomes.py nothing else did.
"""

from datetime import date, timedelta

import pytest
from conftest import core

from kimu_cli import attendance, outcomes, participants, transitions
from kimu_cli.errors import KimuError

KARI, OLA, HAKON = "Kari Nordmann", "Ola Brøndbo", "Håkon Ødegård"



def read(kimu, function, *args, **kw):
    conn = kimu.connect()
    try:
        return function(conn, *args, **kw)
    finally:
        conn.close()


def enroll(conn, ref, leader, start, end=None, reason="other"):
    participants.add(conn, ref, leader, start, force=True)
    if end:
        participants.end(conn, ref, end, reason)



def months(days):
    """Participant-months as the report shows them (two decimals): the costs are these times a price."""
    return round(days / outcomes.DAYS_PER_MONTH, 2)


def months_cost(days, monthly=3500):
    return round(months(days) * monthly)


# ---- cost ----

def test_cost_counts_a_period_ending_on_the_windows_first_day_and_one_starting_on_its_last(register):
    """October 2026: FIRST ends on 1 October with a move that day, LAST starts on 31 October with a
    move that day (its start day): one day followed each, both moved on."""
    with core(register) as conn:
        enroll(conn, "FIRST", KARI, "2026-09-01")
        transitions.add(conn, "FIRST", "job_other", "2026-10-01", end=True)
        enroll(conn, "LAST", KARI, "2026-10-31")
        transitions.add(conn, "LAST", "mfy", "2026-10-31")
        enroll(conn, "BEFORE", KARI, "2026-09-01", "2026-09-30")     # ends the day before the window
        transitions.add(conn, "BEFORE", "job_other", "2026-10-01")    # a move in the window, after the period
    cost = read(register, outcomes.cost, "2026-10-01", "2026-10-31")
    assert (cost["participants"], cost["moved_on"]) == (2, 2)
    assert (cost["participant_months"], cost["model_cost"]) == (months(2), months_cost(2))
    # A window of one day each: 1 and 31 October.
    first, last = (read(register, outcomes.cost, day, day) for day in ("2026-10-01", "2026-10-31"))
    assert (first["participants"], first["moved_on"], last["participants"], last["moved_on"]) == (1, 1, 1, 1)


def test_cost_a_milestone_is_not_a_move_and_the_alternative_costs_18000_a_month(register):
    with core(register) as conn:
        enroll(conn, "M", KARI, "2026-10-01", "2026-10-31")
        transitions.add(conn, "M", "fagbrev", "2026-10-15")
        transitions.add(conn, "M", "kompetansebevis", "2026-10-16")
    cost = read(register, outcomes.cost, "2026-10-01", "2026-10-31")
    assert (cost["participants"], cost["moved_on"], cost["cost_per_moved_on"]) == (1, 0, None)
    assert (cost["monthly_cost"], cost["compare_monthly_cost"]) == (3500, 18000)
    assert (cost["model_cost"], cost["compare_cost"], cost["saving"]) == (
        months_cost(31), months_cost(31, 18000), months_cost(31, 18000 - 3500))


def test_cost_of_a_participant_waiting_to_start_is_no_day(register):
    """A window reaching past today: WAIT starts on 27 November (today is the 25th), so no day of
    theirs is followed yet (not -1 day); NOW is followed 1-25 November."""
    with core(register) as conn:
        enroll(conn, "NOW", KARI, "2026-11-01")
        enroll(conn, "WAIT", OLA, "2026-11-27")
    cost = read(register, outcomes.cost, "2026-11-01", "2026-12-31")
    assert (cost["participant_months"], cost["model_cost"]) == (months(25), months_cost(25))
    assert read(register, outcomes.cost, "2026-11-26", "2026-12-31")["model_cost"] == 0


def test_cost_of_a_window_nobody_was_followed_in_is_zero(register):
    cost = read(register, outcomes.cost, "2026-01-01", "2026-01-31")
    assert {k: cost[k] for k in ("participants", "participant_months", "model_cost", "compare_cost", "saving",
                                 "moved_on", "cost_per_moved_on")} == {
        "participants": 0, "participant_months": 0, "model_cost": 0, "compare_cost": 0, "saving": 0,
        "moved_on": 0, "cost_per_moved_on": None}


def test_cost_takes_zero_and_refuses_negative_costs(register):
    with core(register) as conn:
        enroll(conn, "C", KARI, "2026-10-01", "2026-10-31")
    free = read(register, outcomes.cost, "2026-10-01", "2026-10-31", monthly_cost=0, compare=0)
    assert (free["model_cost"], free["compare_cost"], free["saving"]) == (0, 0, 0)
    for field, option in (("monthly-cost", "monthly_cost"), ("compare", "compare")):
        for value in (-1, -0.5):
            with pytest.raises(KimuError, match=f"^{field}: must not be negative, got {value}$"):
                read(register, outcomes.cost, "2026-10-01", "2026-10-31", **{option: value})


def test_suppression_below_1_hides_nothing_and_below_2_hides_ones(register):
    with core(register) as conn:
        enroll(conn, "S1", KARI, "2026-10-01")
        transitions.add(conn, "S1", "mfy", "2026-10-15")
        enroll(conn, "S2", KARI, "2026-10-02")
        enroll(conn, "S3", KARI, "2026-10-05", "2026-10-20", "health")
    for function in (outcomes.summary, outcomes.cost):
        plain = read(register, function, "2026-10-01", "2026-10-31")
        assert read(register, function, "2026-10-01", "2026-10-31", suppress_below=1) == plain
        assert "suppress_below" not in plain
        hidden = read(register, function, "2026-10-01", "2026-10-31", suppress_below=2)
        assert (hidden["moved_on"], hidden["suppress_below"]) == ("<2", 2)


# ---- the outcome summary ----

def test_median_days_to_move_of_an_odd_and_an_even_count(register):
    """Moves after 10, 20 and 60 days: the middle one, 20; with a fourth after 100 days, the mean of
    the middle two, (20 + 60) / 2 = 40."""
    with core(register) as conn:
        for ref, days in (("M10", 10), ("M20", 20), ("M60", 60)):
            enroll(conn, ref, KARI, "2026-03-02")
            transitions.add(conn, ref, "job_other", date(2026, 3, 2) + timedelta(days=days))
    conn = register.connect()
    waits = sorted(r["days_to_move"] for r in conn.execute("SELECT days_to_move FROM enrollment_facts"))
    conn.close()
    assert waits == [10, 20, 60]
    assert read(register, outcomes.summary, "2026-03-01", "2026-03-31")["median_days_to_move"] == 20
    with core(register) as conn:
        enroll(conn, "M100", OLA, "2026-03-02")
        transitions.add(conn, "M100", "education", "2026-06-10")     # 100 days
    summary = read(register, outcomes.summary, "2026-03-01", "2026-03-31", by="site")
    assert summary["median_days_to_move"] == 40
    assert [(g["site"], g["median_days_to_move"]) for g in summary["groups"]] == [("Solbakken omsorgssenter", 40)]


def test_a_member_who_started_on_the_windows_first_day_and_came_back_counts_both_periods(register):
    """R starts on 2 March, the window's first day, and comes back in April: the days of both
    periods count. ERR's later period was registered in error: its day does not."""
    with core(register) as conn:
        enroll(conn, "R", KARI, "2026-03-02")
        attendance.record(conn, "2026-03-02", [("R", "present")])
        participants.end(conn, "R", "2026-03-06", "other")
        participants.reenroll(conn, "R", KARI, "2026-04-06", force=True)
        attendance.record(conn, "2026-04-06", [("R", "absent")])
        enroll(conn, "ERR", OLA, "2026-03-03")
        attendance.record(conn, "2026-03-03", [("ERR", "present")])
        participants.end(conn, "ERR", "2026-03-06", "other")
        participants.reenroll(conn, "ERR", OLA, "2026-04-07", force=True)
        attendance.record(conn, "2026-04-07", [("ERR", "absent")])
        participants.end(conn, "ERR", "2026-04-07", "registered_in_error")
    summary = read(register, outcomes.summary, "2026-03-02", "2026-03-31", by="leader")
    assert summary["participants"] == 2
    assert summary["attendance_rate"] == pytest.approx(2 / 3)
    assert [(g["leader"], g["attendance_rate"]) for g in summary["groups"]] == [(KARI, 0.5), (OLA, 1.0)]


def test_rows_after_today_are_left_out_on_the_first_and_last_day_of_a_period(register):
    """kimu records no day after today (25 November); rows written so behind its back are left out:
    in the member's own period (OWN), on the first day of a later period starting after today
    (LATER), and on the last day of a period ending after today (ENDS)."""
    with core(register) as conn:
        enroll(conn, "OWN", KARI, "2026-11-02")
        enroll(conn, "LATER", OLA, "2026-11-02", "2026-11-20")
        participants.reenroll(conn, "LATER", OLA, "2026-12-01", force=True)
        enroll(conn, "ENDS", HAKON, "2026-11-02", "2026-12-31")
        attendance.record(conn, "2026-11-02", [("OWN", "present"), ("LATER", "present"), ("ENDS", "present")])
        ids = dict(conn.execute("SELECT ref, id FROM participants"))
    register.execute("INSERT INTO attendance (participant_id, date, status) VALUES "
                                f"({ids['OWN']}, '2026-11-30', 'absent'), ({ids['LATER']}, '2026-12-01', 'absent'), "
                                f"({ids['ENDS']}, '2026-12-31', 'absent')")
    summary = read(register, outcomes.summary, "2026-11-01", "2026-11-30", by="leader")
    assert summary["attendance_rate"] == 1.0
    assert [(g["leader"], g["attendance_rate"]) for g in summary["groups"]] == [(HAKON, 1.0), (KARI, 1.0), (OLA, 1.0)]


def test_a_previous_period_ending_on_the_windows_first_day_or_running_to_a_start_on_its_last(register):
    """The attendance of a member from the window's start includes their previous period's days in
    it: P's ends on 1 March, the window's first day; Q's runs into the window and Q starts again on
    31 March, its last day."""
    with core(register) as conn:
        enroll(conn, "P", KARI, "2026-02-02")
        attendance.record(conn, "2026-03-01", [("P", "absent")])
        participants.end(conn, "P", "2026-03-01", "other")
        participants.reenroll(conn, "P", KARI, "2026-03-09", force=True)
        attendance.record(conn, "2026-03-09", [("P", "present")])
        enroll(conn, "Q", OLA, "2026-02-02")
        attendance.record(conn, "2026-03-02", [("Q", "absent")])
        participants.end(conn, "Q", "2026-03-10", "other")
        participants.reenroll(conn, "Q", OLA, "2026-03-31", force=True)
        attendance.record(conn, "2026-03-31", [("Q", "present")])
    summary = read(register, outcomes.summary, "2026-03-01", "2026-03-31", by="leader")
    assert summary["participants"] == 2
    assert [(g["leader"], g["participants"], g["attendance_rate"]) for g in summary["groups"]] == [
        (KARI, 1, 0.5), (OLA, 1, 0.5)]


def test_the_flat_row_of_a_whole_cohort_and_the_endings_shown_by_reason(register):
    with core(register) as conn:
        enroll(conn, "H1", KARI, "2026-10-01", "2026-10-20", "health")
        enroll(conn, "H2", KARI, "2026-10-02", "2026-10-21", "health")
        enroll(conn, "O", KARI, "2026-10-05", "2026-10-20", "other_path")
        enroll(conn, "A", KARI, "2026-10-06")
        transitions.add(conn, "A", "mfy", "2026-10-26")
    summary = read(register, outcomes.summary, "2026-10-01", "2026-10-31")
    (row,) = outcomes.rows(summary)
    assert {k: row[k] for k in ("from", "to", "participants", "moved_on", "still_active", "median_days_to_move",
                                "by_kind.mfy", "ended_by_reason.health", "ended_by_reason.other_path",
                                "ended_by_reason.dropped_out")} == {
        "from": "2026-10-01", "to": "2026-10-31", "participants": 4, "moved_on": 1, "still_active": 1,
        "median_days_to_move": 20, "by_kind.mfy": 1, "ended_by_reason.health": 2, "ended_by_reason.other_path": 1,
        "ended_by_reason.dropped_out": 0}
    assert row["moved_on_rate"] == 0.25
    ended = [s for s in outcomes.document(summary)["sections"] if s.get("title") == "ended_by_reason"]
    assert ended[0]["table"]["rows"] == [{"end_reason": "other_path", "participants": 1},
                                         {"end_reason": "health", "participants": 2}]

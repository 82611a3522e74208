"""Alerts on their edges: an excused day in the window, a run of absences that ended before the
window, a rate over one day counted, and a rate of exactly 0.8 beside another alert.

Through the core functions on a real file (today is 2026-11-25, the window 12-25 November).
tools/mutate.py found each of these wanting: a test here kills a mutant of kimu_cli/attendance.py
nothing else did.
"""


from conftest import core

from kimu_cli import attendance, participants


def enroll(conn, *refs, start="2026-10-01"):
    for ref in refs:
        participants.add(conn, ref, "Kari Nordmann", start, force=True)


def record(conn, *days):
    """days: (date, {ref: status})."""
    for day, statuses in days:
        attendance.record(conn, day, list(statuses.items()))


def alerts(kimu, **options):
    conn = kimu.connect()
    try:
        return [(a["ref"], a["alert"], a["detail"]) for a in attendance.alerts(conn, **options)]
    finally:
        conn.close()


def test_an_excused_day_in_the_window_is_a_registration_not_a_missing_one(register):
    """The leader registered others on 24 November and P as excused: nothing is missing for P."""
    with core(register) as conn:
        enroll(conn, "P", "Q")
        record(conn, ("2026-11-24", {"P": "excused", "Q": "present"}), ("2026-11-25", {"P": "present", "Q": "present"}))
    assert alerts(register) == []
    with core(register) as conn:
        record(conn, ("2026-11-23", {"Q": "present"}))
    assert alerts(register) == [
        ("P", "missing_registration", "no registration on 1 day(s) the leader registered others (last 2026-11-23)")]


def test_absences_before_the_window_with_nothing_registered_since_are_still_a_run(register):
    """Three absences 2-4 November, before the 14-day window, and no registration of anyone since:
    the run is still open (no day present after it), so it is an alert, and the only one."""
    with core(register) as conn:
        enroll(conn, "P")
        record(conn, *[(day, {"P": "absent"}) for day in ("2026-11-02", "2026-11-03", "2026-11-04")])
    assert alerts(register) == [("P", "consecutive_absences", "3 absences in a row since 2026-11-02")]
    assert alerts(register, absences_in_row=4) == []
    # The window reaching back to the run changes nothing but adds the rate of those days.
    assert alerts(register, window_days=24) == [
        ("P", "consecutive_absences", "3 absences in a row since 2026-11-02"),
        ("P", "low_rate", "attendance 0% (0 of 3 days) since 2026-11-02")]


def test_a_single_absent_day_is_a_rate_of_0_and_a_low_rate_alert(register):
    """One day counted in the window (present + absent = 1): its rate is 0 %, under 0.8."""
    with core(register) as conn:
        enroll(conn, "ONE")
        record(conn, ("2026-11-25", {"ONE": "absent"}))
    assert alerts(register) == [("ONE", "low_rate", "attendance 0% (0 of 1 days) since 2026-11-12")]
    with core(register) as conn:
        enroll(conn, "GOOD")
        record(conn, ("2026-11-25", {"GOOD": "present"}))
    assert [a for a in alerts(register) if a[0] == "GOOD"] == []  # 1 of 1: 100 %


def test_a_rate_of_exactly_0_8_is_no_low_rate_alert_also_when_another_alert_is_reported(register):
    """4 present of 5 counted is 0.8, not under the threshold: with a missing day P is reported,
    for the missing day only."""
    with core(register) as conn:
        enroll(conn, "P", "Q")
        record(conn, ("2026-11-16", {"P": "absent", "Q": "present"}),
               *[(day, {"P": "present", "Q": "present"}) for day in
                 ("2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20")],
               ("2026-11-23", {"Q": "present"}))
    assert alerts(register) == [
        ("P", "missing_registration", "no registration on 1 day(s) the leader registered others (last 2026-11-23)")]
    assert alerts(register, min_rate=0.81) == [
        ("P", "low_rate", "attendance 80% (4 of 5 days) since 2026-11-12"),
        ("P", "missing_registration", "no registration on 1 day(s) the leader registered others (last 2026-11-23)")]


def test_a_rate_just_under_the_threshold_never_reads_as_the_threshold(register):
    """2 present of 3 is 66.7 %: under a threshold of 0.67 it reads 66%, not 67% (cut where rounding
    would reach the threshold); under 0.68 it reads 67%, rounded as everywhere."""
    with core(register) as conn:
        enroll(conn, "P")
        record(conn, ("2026-11-23", {"P": "present"}), ("2026-11-24", {"P": "present"}),
               ("2026-11-25", {"P": "absent"}))
    assert alerts(register, min_rate=0.67) == [("P", "low_rate", "attendance 66% (2 of 3 days) since 2026-11-12")]
    assert alerts(register, min_rate=0.68) == [("P", "low_rate", "attendance 67% (2 of 3 days) since 2026-11-12")]
    assert alerts(register, min_rate=0.66) == []


def test_a_threshold_that_is_no_whole_float_percent_is_not_read_as_reached(register):
    """6 present of 11 is 54.5 %, which rounds to 55; 0.55 * 100 is 55.00000000000001 in floats, yet
    under a threshold of 0.55 it still reads 54%."""
    with core(register) as conn:
        enroll(conn, "P")
        record(conn, *[(f"2026-11-{day}", {"P": "absent" if i < 5 else "present"})
                       for i, day in enumerate(("12", "13", "14", "16", "17", "18", "19", "20", "23", "24", "25"))])
    assert alerts(register, min_rate=0.55) == [("P", "low_rate", "attendance 54% (6 of 11 days) since 2026-11-12")]
    assert alerts(register, min_rate=0.56) == [("P", "low_rate", "attendance 55% (6 of 11 days) since 2026-11-12")]


def test_a_missing_day_on_the_first_day_of_the_period_is_when_the_trouble_began(register):
    """P starts on 23 November, inside the window; the leader registered Q that day and P only from
    the 24th: the alert's since (from which a contact follows it up) is the 23rd, the period's first
    day, not a later one."""
    with core(register) as conn:
        enroll(conn, "Q")
        enroll(conn, "P", start="2026-11-23")
        record(conn, ("2026-11-23", {"Q": "present"}), ("2026-11-24", {"P": "present", "Q": "present"}),
               ("2026-11-25", {"P": "present", "Q": "present"}))
    conn = register.connect()
    try:
        found = [(a["ref"], a["alert"], a["since"]) for a in attendance.alerts(conn)]
    finally:
        conn.close()
    assert found == [("P", "missing_registration", "2026-11-23")]


def test_a_day_the_leader_registered_someone_whose_period_has_ended_since_is_still_the_leaders_day(register):
    """Q's period ended on 20 November, after the leader registered Q on the 19th; P, followed all
    along, was not registered that day: a day missing for P. A period registered in error is no
    leader's day: R's, registered alone on the 21st, adds none once it is ended that way."""
    missing_19th = ("P", "missing_registration",
                    "no registration on 1 day(s) the leader registered others (last 2026-11-19)")
    with core(register) as conn:
        enroll(conn, "P", "Q", "R")
        everyone = {"P": "present", "Q": "present", "R": "present"}
        record(conn, ("2026-11-16", everyone), ("2026-11-17", everyone), ("2026-11-18", everyone),
               ("2026-11-19", {"Q": "present", "R": "present"}), ("2026-11-25", {"P": "present", "R": "present"}))
        participants.end(conn, "Q", "2026-11-20", "other_path")
    assert alerts(register) == [missing_19th]
    with core(register) as conn:
        record(conn, ("2026-11-21", {"R": "present"}))
        participants.end(conn, "R", "2026-11-25", "registered_in_error")
    assert alerts(register) == [missing_19th]


def test_a_run_of_absences_stops_at_the_start_of_the_period_it_is_in(register):
    """P's first period ended on 31 October absent; the second began on 1 November, before the
    window, with two absences and nothing since: a run of 2, not 3 (the day before the period is
    another period's)."""
    with core(register) as conn:
        participants.add(conn, "P", "Kari Nordmann", "2026-10-01", force=True)
        record(conn, ("2026-10-30", {"P": "absent"}), ("2026-10-31", {"P": "absent"}))
        participants.end(conn, "P", "2026-10-31", "other_path")
        participants.reenroll(conn, "P", "Kari Nordmann", "2026-11-01", force=True)
        record(conn, ("2026-11-02", {"P": "absent"}), ("2026-11-03", {"P": "absent"}))
    assert [a for a in alerts(register) if a[1] == "consecutive_absences"] == []
    assert alerts(register, absences_in_row=2)[0] == (
        "P", "consecutive_absences", "2 absences in a row since 2026-11-02")


def test_a_run_from_before_the_first_window_lasts_until_a_day_present_in_a_pass_over_days(register):
    """Five absences 2-6 November, before the window of the first day asked (20 November), nothing
    until present on the 21st, absent the 23rd and 24th: the run of 5 lasts up to the 20th, and
    after the day present it is 2 (no alert). A pass over the days says what each day alone says."""
    with core(register) as conn:
        enroll(conn, "P")
        record(conn, *[(f"2026-11-0{d}", {"P": "absent"}) for d in range(2, 7)])
        record(conn, ("2026-11-21", {"P": "present"}), ("2026-11-23", {"P": "absent"}),
               ("2026-11-24", {"P": "absent"}))
    conn = register.connect()
    try:
        together = attendance.alerts_by_day(conn, "2026-11-20", "2026-11-25")
        runs = {day: [a["detail"] for a in found if a["alert"] == "consecutive_absences"]
                for day, found in together.items()}
        assert runs["2026-11-20"] == ["5 absences in a row since 2026-11-02"]
        assert runs["2026-11-21"] == runs["2026-11-24"] == runs["2026-11-25"] == []
        for day, found in together.items():
            assert found == attendance.alerts(conn, day), day
    finally:
        conn.close()


def test_missing_days_are_reported_since_the_first_of_them(register):
    """The leader registered Q on the 20th and the 23rd and P on neither: P's trouble began on the
    20th (the first day missing), the detail names the last."""
    with core(register) as conn:
        enroll(conn, "P", "Q")
        record(conn, ("2026-11-20", {"Q": "present"}), ("2026-11-23", {"Q": "present"}),
               ("2026-11-25", {"P": "present", "Q": "present"}))
    conn = register.connect()
    try:
        found = [(a["ref"], a["alert"], a["since"], a["detail"]) for a in attendance.alerts(conn)]
    finally:
        conn.close()
    assert found == [("P", "missing_registration", "2026-11-20",
                      "no registration on 2 day(s) the leader registered others (last 2026-11-23)")]


def test_a_long_window_with_everyone_registered_every_weekday_has_no_alert(register):
    """90 days back from 25 November, the leader registered P and Q present every weekday: nothing
    is missing, on no day of the window (its weekends included)."""
    from datetime import date, timedelta

    days = [date(2026, 9, 1) + timedelta(days=i) for i in range(86)]
    with core(register) as conn:
        enroll(conn, "P", "Q", start="2026-09-01")
        record(conn, *[(d.isoformat(), {"P": "present", "Q": "present"}) for d in days if d.weekday() < 5])
    assert alerts(register, window_days=90) == []

"""The alerts of consecutive days counted in one pass (attendance.alerts_by_day: the weekly follow-up
asks eight days, the HTML page's history 85) are, day by day, the alerts of that day asked alone, and
the same without their detail on the days not asked with it.

A day asked alone has the simplest windows: nothing before it to carry. Over several days the pass
carries runs of absences that began before the first window, each period's start inside a later
window, a period that ended before the first day asked but still counts in its leader's days.
Hypothesis builds small registers (written behind kimu's back, as the triggers allow) and compares.
"""

from datetime import date, timedelta

import pytest
from conftest import file_with
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kimu_cli import attendance, db
from kimu_cli.errors import KimuError

FIRST = date(2026, 10, 1)
SPAN = 40  # days from FIRST that periods and attendance may fall on
STATUS = st.sampled_from(["present", "present", "absent", "absent", "excused"])


def _day(offset: int) -> str:
    return (FIRST + timedelta(days=offset)).isoformat()


# A participant: leader (0 or 1), their periods as (start, length or None for open, in error), and
# statuses by day offset.
PERIODS = st.lists(st.tuples(st.integers(0, SPAN // 2), st.one_of(st.none(), st.none(), st.integers(0, 30)), st.booleans()),
                   min_size=1, max_size=2)
PARTICIPANT = st.tuples(st.integers(0, 1), PERIODS, st.dictionaries(st.integers(0, SPAN - 1), STATUS, min_size=5, max_size=40))


def _build(conn, participants):
    for n, (leader, periods, statuses) in enumerate(participants, 1):
        conn.execute("INSERT INTO participants (id, ref) VALUES (?, ?)", (n, f"P{n}"))
        taken = []
        for start, length, in_error in sorted(periods, key=lambda p: p[0]):
            end = None if length is None else start + length
            if any(start <= (e if e is not None else SPAN * 9) and s <= (end if end is not None else SPAN * 9)
                   for s, e in taken):
                continue  # periods of a participant never overlap
            taken.append((start, end))
            conn.execute(
                "INSERT INTO enrollments (participant_id, leader_id, start_date, end_date, end_reason, forced) "
                "VALUES (?, ?, ?, ?, ?, 1)",
                (n, leader + 1, _day(start), None if end is None else _day(end),
                 "registered_in_error" if in_error and end is not None else ("other_path" if end is not None else None)))
        for offset, status in statuses.items():
            if any(s <= offset <= (e if e is not None else SPAN * 9) for s, e in taken):
                conn.execute("INSERT INTO attendance (participant_id, date, status) VALUES (?, ?, ?)",
                             (n, _day(offset), status))


@pytest.fixture(scope="module")
def register_file(tmp_path_factory):
    conn = file_with(tmp_path_factory.mktemp("alert-days") / "kimu.db",
                     "INSERT INTO sites (id, name) VALUES (1, 'Solbakken'), (2, 'Åsgården')",
                     "INSERT INTO leaders (id, name, site_id, yearly_capacity, max_concurrent) "
                     "VALUES (1, 'Kari', 1, 99, 99), (2, 'Ola', 2, 99, 99)")
    yield conn
    conn.close()


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(participants=st.lists(PARTICIPANT, min_size=1, max_size=5), first=st.integers(SPAN // 4, SPAN),
       days=st.integers(1, 10), absences=st.integers(1, 4), min_rate=st.sampled_from([0.0, 0.5, 0.8, 1.0]),
       window=st.integers(1, 16), missing=st.integers(1, 3))
def test_each_day_of_a_pass_is_the_day_asked_alone(register_file, participants, first, days, absences, min_rate,
                                                   window, missing):
    conn = register_file
    with db.transaction(conn):
        for table in ("attendance", "enrollments", "participants"):
            conn.execute(f"DELETE FROM {table}")
        _build(conn, participants)
    options = {"absences_in_row": absences, "min_rate": min_rate, "window_days": window, "missing_days": missing}
    together = attendance.alerts_by_day(conn, _day(first), _day(first + days - 1), **options)
    assert list(together) == [_day(first + i) for i in range(days)]
    kinds = {a["alert"] for found in together.values() for a in found}
    event(f"alerts: {', '.join(sorted(kinds)) or 'none'}")
    for day, found in together.items():
        assert found == attendance.alerts(conn, day, **options), day
    # Asked with the detail of one day (the weekly summary's Sunday): that day's alerts are whole, the
    # others the same without their detail.
    shown = _day(first + days - 1)
    brief = attendance.alerts_by_day(conn, _day(first), shown, **options, detailed=(shown,))
    assert brief == {day: found if day == shown else [{**a, "detail": ""} for a in found]
                     for day, found in together.items()}


@pytest.mark.parametrize("days, refused", [(366, False), (367, True)])
def test_the_window_of_alerts_is_at_most_366_days(register, days, refused):
    """A day of the window is one character of a string (attendance._DAY_CHAR): the window has a limit."""
    result = register("attendance", "alerts", "--days", days)
    assert result.exit_code == (1 if refused else 0), result.output
    if refused:
        assert result.stderr.strip() == "kimu: days: at most 366 days, got 367"
        assert "høyst 366" in register.fails("attendance", "alerts", "--days", days, "--lang", "nb")


def test_a_pass_asks_at_most_366_days(register_file):
    assert len(attendance.alerts_by_day(register_file, "2026-01-01", "2027-01-01")) == 366
    assert attendance.alerts_by_day(register_file, "2026-11-25", "2026-11-24", window_days=1) == {}
    with pytest.raises(ValueError):
        attendance.alerts_by_day(register_file, "2026-01-01", "2027-01-02")
    with pytest.raises(KimuError):
        attendance.alerts_by_day(register_file, "2026-01-01", "2026-01-02", window_days=0)

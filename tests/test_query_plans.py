"""Report queries use indexes on attendance (millions of rows nationally), never a full scan of it.

Every statement a report runs is captured with the connection's trace callback (so a query
added to a report later is checked too), then asked for its plan with EXPLAIN QUERY PLAN.
A plan line `SCAN attendance` (or `SCAN a ...` where `a` is an alias of attendance, also
through one of its indexes) walks the whole table: that is what fails. The database is the
benchmark generator's small register (bench/generate.py), with and without ANALYZE
statistics, since real files have none unless someone runs ANALYZE.
"""

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from kimu_cli import attendance, capacity, outcomes, weekly
from kimu_cli import db as kimu_db

GENERATOR = Path(__file__).resolve().parents[1] / "bench" / "generate.py"
NOT_ALIASES = {"where", "join", "left", "inner", "cross", "on", "group", "order", "limit", "union", "and", "set",
               "values", "using", "natural", "as", "window", "having"}

REPORTS = {
    "attendance alerts": lambda conn: attendance.alerts(conn),
    "attendance alerts for one leader": lambda conn: attendance.alerts(conn, leader="Leder 0001"),
    "attendance rates by participant": lambda conn: attendance.rates(conn),
    "attendance rates by leader": lambda conn: attendance.rates(conn, by="leader"),
    "attendance rates by site over a year": lambda conn: attendance.rates(conn, start="2025-11-25", by="site"),
    "attendance rates over the whole history": lambda conn: attendance.rates(conn, start="2016-01-01"),
    "attendance list": lambda conn: attendance.list_attendance(conn),
    "summary outcomes --by site": lambda conn: outcomes.summary(conn, by="site"),
    "summary outcomes of one year by leader": lambda conn: outcomes.summary(conn, "2025-01-01", "2025-12-31",
                                                                              by="leader"),
    "summary cost": lambda conn: outcomes.cost(conn),
    "summary weekly": lambda conn: _weekly(conn),
    "capacity": lambda conn: capacity.report(conn),
}


def _weekly(conn):
    with kimu_db.snapshot(conn):  # inside a transaction its alerts run on conn too, so they are traced
        return weekly.summary(conn)


def _generator():
    spec = importlib.util.spec_from_file_location("generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    """{analyzed: path}: the small synthetic register (8 000 attendance rows), without and with ANALYZE."""
    folder = tmp_path_factory.mktemp("plans")
    generate = _generator()
    generate.main(["--size", "small", "--seed", "7", "--out", str(folder)])
    analyzed = folder / "analyzed.db"
    shutil.copy(folder / "kimu.db", analyzed)
    conn = kimu_db.connect(analyzed)
    conn.execute("ANALYZE")
    conn.close()
    return {False: folder / "kimu.db", True: analyzed}


def statements(conn, report):
    """The SELECT statements (parameters filled in) a report runs."""
    seen = []
    conn.set_trace_callback(seen.append)
    try:
        REPORTS[report](conn)
    finally:
        conn.set_trace_callback(None)
    return [sql for sql in seen if re.match(r"\s*(SELECT|WITH)\b", sql, re.IGNORECASE)]


def plan_lines(path, report):
    """Every EXPLAIN QUERY PLAN line of every statement a report runs."""
    conn = kimu_db.connect(path)
    try:
        return [row["detail"] for sql in statements(conn, report) for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    finally:
        conn.close()


def attendance_scans(conn, sql):
    """The plan lines of sql that read all of attendance (through the table or an index of it)."""
    names = {"attendance"} | {
        alias.lower() for alias in re.findall(r"\battendance\s+(?:AS\s+)?(\w+)", sql, re.IGNORECASE)
    } - NOT_ALIASES
    plan = [row["detail"] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
    return [line for line in plan
            if line.startswith("SCAN ") and (line.split()[1].lower() in names or "INDEX attendance_" in line)]


@pytest.mark.parametrize("analyzed", [False, True], ids=["without statistics", "analyzed"])
@pytest.mark.parametrize("report", REPORTS)
def test_report_reads_attendance_through_an_index(databases, report, analyzed):
    conn = kimu_db.connect(databases[analyzed])
    try:
        queries = statements(conn, report)
        assert queries, f"{report} ran no query"
        scans = {sql: attendance_scans(conn, sql) for sql in queries}
    finally:
        conn.close()
    assert not any(scans.values()), "full scan of attendance:\n" + "\n\n".join(
        f"{sql}\n  -> {lines}" for sql, lines in scans.items() if lines)


def test_a_full_scan_of_attendance_is_caught(databases):
    conn = kimu_db.connect(databases[False])
    try:
        assert attendance_scans(conn, "SELECT count(*) FROM attendance WHERE status = 'absent'")
        assert attendance_scans(conn, "SELECT p.ref FROM participants p JOIN attendance AS a "
                                      "ON a.participant_id = p.id WHERE a.note = 'x'")
        assert attendance_scans(conn, "SELECT count(*) FROM attendance a")  # through the date index
        assert not attendance_scans(conn, "SELECT * FROM attendance a WHERE a.participant_id = 1")
        assert not attendance_scans(conn, "SELECT * FROM attendance WHERE date = '2026-11-02'")
    finally:
        conn.close()


def test_who_a_leader_follows_is_sought_among_open_periods(databases):
    """enrollments_leader_end (migration leader_periods_by_end) is what keeps capacity from reading
    every period each leader ever had."""
    plans = plan_lines(databases[False], "capacity")
    assert any("enrollments_leader_end" in line for line in plans), plans


@pytest.mark.parametrize("analyzed", [False, True])
def test_alerts_read_only_the_periods_that_reach_into_their_window(databases, analyzed):
    """The periods of the alerts are found by their end (open ones and those ended inside the window:
    enrollments_end, or enrollments_leader_end leader by leader), never by reading every period ever
    registered."""
    plans = plan_lines(databases[analyzed], "attendance alerts")
    by_end = ("SEARCH e USING INDEX enrollments_end (<expr>>?)",
              "SEARCH e USING INDEX enrollments_leader_end (leader_id=? AND <expr>>?)")
    assert any(line.startswith(by_end) for line in plans), plans
    assert not any(re.match(r"SCAN (e|enrollments)\b", line) for line in plans), plans


@pytest.mark.parametrize("report", ["attendance rates over the whole history", "attendance rates by site over a year",
                                    "summary weekly"])
def test_long_periods_are_counted_from_the_enrollment_facts(databases, report):
    """Rates over months read each period's days from enrollment_facts (migration enrollment_facts),
    less the rows outside the window, not the day-by-day rows of the whole period."""
    plans = plan_lines(databases[False], report)
    assert any(line.startswith("SEARCH f USING INDEX enrollment_facts_participant (participant_id=? AND start_date=?)")
               for line in plans), plans


@pytest.mark.parametrize("analyzed", [False, True], ids=["without statistics", "analyzed"])
def test_a_cohort_is_counted_by_site_in_one_pass_of_the_enrollment_facts(databases, analyzed):
    """summary outcomes --by site of the whole history reads enrollment_facts (migration
    enrollment_facts) in its own order, so the members are counted without sorting them, and of
    attendance only the days after today (by date: none unless written behind kimu's back)."""
    plans = plan_lines(databases[analyzed], "summary outcomes --by site")
    first = plans.index("LEFT-MOST SUBQUERY")  # the members' figures, before the few later periods
    assert plans[first + 1:plans.index("UNION ALL", first)] == ["SCAN f"], plans
    assert [line for line in plans if "attendance" in line] == ["SEARCH a USING INDEX attendance_date (date>?)"], plans


def test_who_is_followed_on_a_day_is_sought_among_periods_ending_after_it(databases):
    """enrollments_end (migration periods_by_end): the alerts of all leaders read the periods
    ending on or after the day, not every period."""
    plans = plan_lines(databases[False], "attendance alerts")
    assert any("USING INDEX enrollments_end " in line for line in plans), plans

"""The register as it stood at the end of a past day, for reports about a past week.

`as_of(conn, day)` shadows, on this connection only, the tables whose rows say what happened later:
TEMP views named `enrollments` and `transitions` (SQLite finds temp objects before main's) show
periods started by that day, with an end dated later not yet known (still open, no reason), and
transitions dated by that day; `enrollment_facts` holds the participants asked for: counted again
from the views for those with something dated after the day, copied from main for the others (a
participant's facts read only their own periods, transitions and days, so theirs are the same).
The report's own queries run unchanged, and everything is dropped again on leaving.
Attendance needs no shadow: reports count days up to their `today`, which the caller sets to the day.
"""

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from kimu_cli import dates, rules
from kimu_cli.vocab import EXCLUDED_END_REASON

_ENROLLMENTS = """
    CREATE TEMP VIEW enrollments AS
    SELECT id, participant_id, leader_id, start_date,
           iif(end_date > '{day}' AND end_reason IS NOT '{excluded}', NULL, end_date) AS end_date,
           iif(end_date > '{day}' AND end_reason IS NOT '{excluded}', NULL, end_reason) AS end_reason, forced
    FROM main.enrollments WHERE start_date <= '{day}'
"""
_TRANSITIONS = "CREATE TEMP VIEW transitions AS SELECT * FROM main.transitions WHERE date <= '{day}'"
# The participants with a period starting or ending, or a transition, dated after :day.
_CHANGED_AFTER = f"""
    SELECT participant_id FROM main.enrollments WHERE start_date > :day
    UNION ALL SELECT participant_id FROM main.enrollments
              WHERE {rules.until('')} > :day AND {rules.until('')} < '{rules.OPEN_END}'
    UNION ALL SELECT participant_id FROM main.transitions WHERE date > :day
"""
# main.enrollment_facts as it was created, table and indexes: the copy is laid out the same (its key
# order is what the reports read it in), so the reports' plans stay as fast.
_FACTS_SCHEMA = ("SELECT sql FROM main.sqlite_master WHERE tbl_name = 'enrollment_facts' "
                 "AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC")
_DROP = ["DROP VIEW IF EXISTS temp.enrollments", "DROP VIEW IF EXISTS temp.transitions",
         "DROP TABLE IF EXISTS temp.enrollment_facts"]


def changed_after(conn: sqlite3.Connection, day: str) -> int:
    """Whether anything in the register is dated after day: a period starting or ending, a transition
    (1 or 0, as SQLite's EXISTS gives it)."""
    return conn.execute(f"SELECT EXISTS ({_CHANGED_AFTER})", {"day": day}).fetchone()[0]


@contextmanager
def as_of(conn: sqlite3.Connection, day: object, started_from: object = None) -> Iterator[sqlite3.Connection]:
    """The register at the end of day (ISO) on conn while inside; the enrollment facts are counted
    for the participants with a period starting from started_from (ISO) to day (all when None).
    Nothing is shadowed when day is not in the past or nothing is dated after it."""
    day = cast(str, dates.iso(day, "day"))  # checked: the day goes into the SQL text of the views; required
    if day >= dates.today().isoformat() or not changed_after(conn, day):
        yield conn
        return
    from kimu_cli.schema import FACTS

    asked = "participant_id IS NOT NULL" if started_from is None else (  # NOT NULL: every participant
        "participant_id IN (SELECT participant_id FROM main.enrollments "
        f"WHERE start_date BETWEEN '{dates.iso(started_from, 'from')}' AND '{day}')")
    try:
        conn.execute(_ENROLLMENTS.format(day=day, excluded=EXCLUDED_END_REASON))
        conn.execute(_TRANSITIONS.format(day=day))
        for (sql,) in conn.execute(_FACTS_SCHEMA).fetchall():  # the table first
            conn.execute(re.sub(r"^CREATE (TABLE|INDEX|UNIQUE INDEX) ", r"CREATE \1 temp.", sql))
        conn.execute("INSERT INTO temp.enrollment_facts SELECT * FROM main.enrollment_facts "
                     f"WHERE {asked} AND participant_id NOT IN ({_CHANGED_AFTER})", {"day": day})
        conn.execute("INSERT INTO temp.enrollment_facts "
                     + FACTS.format(which=f"e.{asked} AND e.participant_id IN ({_CHANGED_AFTER})"), {"day": day})
        yield conn
    finally:
        for sql in _DROP:
            conn.execute(sql)

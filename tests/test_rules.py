"""One definition per rule (kimu_cli/rules.py): no second copy in the code, and where a second one
must exist (SQL beside Python, the frozen migrations beside the code of today) a test that they agree."""

import re
import sqlite3
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kimu_cli import attendance, rules

PACKAGE = Path(__file__).resolve().parent.parent / "kimu_cli"
# Where a rule may be written out: its definition, and the migrations (frozen: they must not follow it).
DEFINED_IN = {"rules.py", "schema.py"}


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name not in DEFINED_IN:
            yield path, path.read_text(encoding="utf-8")


def test_the_open_end_date_is_written_once():
    copies = [f"{path.name}:{text[:i].count(chr(10)) + 1}" for path, text in _sources()
              for i in (m.start() for m in re.finditer(r"9999-12-31", text))]
    assert not copies, f"'9999-12-31' written again (use rules.OPEN_END / rules.until): {copies}"


def test_enrollments_that_count_are_defined_once():
    pattern = re.compile(r"""end_reason, ''\) <> |["']excluded["']: """)
    copies = [path.name for path, text in _sources() if pattern.search(text)]
    assert not copies, f"'registered in error' left out again by hand (use rules.counted, rules.COUNTED_PARAMS): {copies}"


def test_the_fragments_read_as_before():
    assert rules.until() == "coalesce(e.end_date, '9999-12-31')"  # the text the indexes are made of
    assert rules.until("") == "coalesce(end_date, '9999-12-31')"
    assert rules.covers(":on") == ":on BETWEEN e.start_date AND coalesce(e.end_date, '9999-12-31')"
    assert rules.counted("p") == "coalesce(p.end_reason, '') <> :excluded"


def _covers_in_sql(start, end, reason, day):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE enrollments (start_date, end_date, end_reason)")
    conn.execute("INSERT INTO enrollments VALUES (?, ?, ?)", (start, end, reason))
    sql = f"SELECT {rules.covers(':day')}, {rules.counted()} FROM enrollments e"
    return conn.execute(sql, {"day": day, **rules.COUNTED_PARAMS}).fetchone()


DAYS = st.dates().map(lambda d: d.isoformat())


@given(DAYS, st.none() | DAYS, st.sampled_from([None, "moved_on", "registered_in_error"]), DAYS)
def test_covers_and_counted_mean_what_they_say(start, end, reason, day):
    covers, counted = _covers_in_sql(start, end, reason, day)
    assert bool(covers) == (start <= day and (end is None or day <= end))
    assert bool(counted) == (reason != "registered_in_error")


@given(st.integers(0, 10**7), st.integers(0, 10**7), st.floats(0, 1))
def test_the_rate_in_sql_is_rate(present, absent, below):
    conn = sqlite3.connect(":memory:")
    sql = f"SELECT {attendance.rate_sql(':present', ':absent')}, {attendance.rate_sql(':present', ':absent')} < :below"
    in_sql, is_below = conn.execute(sql, {"present": present, "absent": absent, "below": below}).fetchone()
    assert in_sql == attendance.rate(present, absent)
    python_below = attendance.rate(present, absent) is not None and attendance.rate(present, absent) < below
    assert bool(is_below) == python_below

"""The rules of the register that the SQL of several modules shares, each written once here.

Each is a function returning a fragment of SQL for the table alias it is given ("e" -> e.end_date,
"" -> end_date), so the queries that use it stay whole and readable where they are. The text of a
fragment is exactly what the queries held before it was named: SQLite matches the expression
indexes on enrollments (schema.py: coalesce(end_date, '9999-12-31')) by their text.

The migrations in schema.py write the same rules out literally instead: a migration that has run
on existing files is frozen and must not change with this module (tests/test_rules.py checks
that both still agree).
"""

from kimu_cli.vocab import EXCLUDED_END_REASON

# The end of an open enrollment (or leader, or window) wherever dates are compared: ISO dates sort
# as text, so this comes after every real day.
OPEN_END = "9999-12-31"
# The parameters of counted(): the end reason of enrollments that count in nothing.
COUNTED_PARAMS = {"excluded": EXCLUDED_END_REASON}


def _column(alias: str, name: str) -> str:
    return f"{alias}.{name}" if alias else name


def until(alias: str = "e") -> str:
    """The last day enrollment `alias` is followed: its end date, OPEN_END while it is open."""
    return f"coalesce({_column(alias, 'end_date')}, '{OPEN_END}')"


def counted(alias: str = "e") -> str:
    """Enrollment `alias` counts in statistics, capacity and alerts: it was not registered in error
    (parameter :excluded, see COUNTED_PARAMS)."""
    return f"coalesce({_column(alias, 'end_reason')}, '') <> :excluded"


def covers(day: str, alias: str = "e") -> str:
    """Enrollment `alias` covers the day `day` (an SQL expression): its start and end are followed."""
    return f"{day} BETWEEN {_column(alias, 'start_date')} AND {until(alias)}"


def overlaps(first: str, last: str, alias: str = "e") -> str:
    """Enrollment `alias` is followed on some day of [first, last] (SQL expressions)."""
    return f"{_column(alias, 'start_date')} <= {last} AND {until(alias)} >= {first}"


def active_on(leader: str) -> str:
    """How many participants leader `leader` (an SQL expression) follows on :on, counted ones only:
    the yardstick of max_concurrent (capacity) and the lists of leaders and sites."""
    return f"""
    SELECT count(*) FROM enrollments
    WHERE leader_id = {leader} AND {overlaps(':on', ':on', '')}
      AND {counted('')}
"""

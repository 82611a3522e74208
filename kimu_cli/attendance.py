"""Attendance (oppmøte/fravær): one row per participant and day, only inside an enrollment.

The attendance rate is defined once, in `rate()`: present / (present + absent).
Excused days (gyldig fravær) are not counted against the participant. Enrollments
registered in error are left out of rates and alerts, as of every statistic.
"""

import sqlite3
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import timedelta
from math import floor
from typing import Any, NotRequired, TypedDict, cast

from kimu_cli import audit, dates, fields, filters, labels, leaders, participants, rules, vocab
from kimu_cli.errors import KimuError

DEFAULT_PERIOD_DAYS = 28
DEFAULT_ABSENCES_IN_ROW = 3
DEFAULT_MIN_RATE = 0.8
DEFAULT_WINDOW_DAYS = 14
DEFAULT_MISSING_DAYS = 1
ALERTS = ("consecutive_absences", "low_rate", "missing_registration")
# The interface: JSON keys = CSV columns (also when a list is empty).
COLUMNS = ("ref", "date", "status", "hours", "note", "leader", "site")
COUNT_COLUMNS = ("days", "present", "absent", "excused", "rate")
RATE_KEYS = {"participant": ("ref", "leader", "site"), "leader": ("leader", "site"), "site": ("site",)}
ALERT_COLUMNS = ("ref", "name", "leader", "site", "alert", "detail")

# The counts every summary shows, over rows of `attendance a` (LEFT JOINed: days may be 0).
COUNTS = """
    count(a.date) AS days,
    coalesce(sum(a.status = 'present'), 0) AS present,
    coalesce(sum(a.status = 'absent'), 0) AS absent,
    coalesce(sum(a.status = 'excused'), 0) AS excused
"""


def rate(present: int, absent: int) -> float | None:
    """The attendance rate, 0..1: present / (present + absent); None when there is nothing to count."""
    counted = present + absent
    return present / counted if counted else None


def rate_sql(present: str, absent: str) -> str:
    """rate() in SQL, over two columns: NULL when there is nothing to count (tests/test_rules.py
    checks that both agree)."""
    return f"1.0 * {present} / nullif({present} + {absent}, 0)"


class Counts(TypedDict):
    """Days registered (COUNTS) and their rate."""

    days: int
    present: int
    absent: int
    excused: int
    rate: float | None  # rate(): 0..1, None when nothing to count


def with_rate(row: sqlite3.Row | Mapping[str, Any]) -> dict[str, Any]:
    """A counts row (see COUNTS) with its `rate` added."""
    row = dict(row)
    row["rate"] = rate(row["present"], row["absent"])
    return row


def check_day(conn: sqlite3.Connection, participant: sqlite3.Row | Mapping[str, Any], day: object,
              field: str = "date") -> sqlite3.Row:
    """The enrollment covering day for participant (a participants row); KimuError naming ref and
    date when the day is in the future or outside every enrollment. The importer reuses this."""
    iso = dates.parse(day, field).isoformat()
    if iso > dates.today().isoformat():
        raise KimuError("attendance_day_future_attendance_recorded", field=field, day=iso)
    enrollment = conn.execute(
        f"SELECT e.* FROM enrollments e WHERE e.participant_id = ? AND {rules.covers('?')}",
        (participant["id"], iso),
    ).fetchone()
    if enrollment is None:
        periods = participants.enrollments(conn, participant["id"])
        span = ", ".join(f"{labels.date(e['start_date'])}–{labels.date(e['end_date']) or labels.t('open_period')}"
                         for e in periods) or labels.t("no_periods")
        raise KimuError("attendance_ref_enrolled_day_enrollments", ref=participant['ref'], day=iso, span=span)
    return enrollment


class Checked(TypedDict):
    """An attendance row as `check_row` accepts it, ready for `save` (which keeps the stored hours and
    note where these are None or missing)."""

    participant_id: int
    ref: str
    date: str  # ISO
    status: str  # present, absent or excused
    hours: NotRequired[float | None]
    note: NotRequired[str | None]


def check_row(conn: sqlite3.Connection, ref: str, day: object, status: str, hours: object = None,
              note: str | None = None) -> Checked:
    """One attendance row as a person or a file gives it -> clean dict
    {participant_id, ref, date, status, hours, note}; KimuError naming the field otherwise.

    The checks: known ref, a real date not in the future and inside an enrollment,
    status in English or Norwegian (vocab), hours 0..24, a note as fields.clean takes it.
    The CSV importer reuses this so the rules live here once.
    """
    p = participants.get(conn, ref)
    check_day(conn, p, day)
    return {
        "participant_id": p["id"],
        "ref": p["ref"],
        "date": cast(str, dates.iso(day)),  # check_day has parsed it
        "status": vocab.attendance_status(status),
        "hours": parse_hours(hours),
        "note": fields.clean(note, "attendance.note"),
    }


def parse_hours(value: object) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        hours = float(str(value).replace(",", "."))
    except ValueError:
        raise KimuError("attendance_value_number", value=value) from None
    if not 0 <= hours <= 24:
        raise KimuError("attendance_value_between", value=value)
    return hours


def save(conn: sqlite3.Connection, row: Checked) -> str:
    """Insert or correct one checked row (from check_row); hours and note not given are kept.

    Every change is audited with old and new values. Returns 'added', 'corrected' or 'unchanged',
    so that recording (or importing) the same day twice changes nothing the second time.
    """
    old = conn.execute(
        "SELECT status, hours, note FROM attendance WHERE participant_id = ? AND date = ?",
        (row["participant_id"], row["date"]),
    ).fetchone()
    new: dict[str, object] = {"status": row["status"]}
    given: Mapping[str, object] = row
    new.update({k: given[k] for k in ("hours", "note") if given.get(k) is not None})
    old = dict(old) if old else {}
    changes = audit.diff(old, new)
    if not changes:
        return "unchanged"
    key = {"participant_id": row["participant_id"], "date": row["date"]}
    if old:
        assignments = ", ".join(f"{column} = :{column}" for column in changes)  # column names are ours
        conn.execute(f"UPDATE attendance SET {assignments} WHERE participant_id = :participant_id AND date = :date",
                     {**new, **key})
    else:
        conn.execute("INSERT INTO attendance (participant_id, date, status, hours, note) "
                     "VALUES (:participant_id, :date, :status, :hours, :note)",
                     {"hours": None, "note": None, **new, **key})
    action = "correct" if old else "record"
    audit.record(conn, action, "attendance", f"{row['ref']} {row['date']}", changes, row["participant_id"])
    return "corrected" if old else "added"


def followed_on(conn: sqlite3.Connection, leader_id: int, day: str) -> list[str]:
    """Refs a leader follows on day (enrollment covering it, not registered in error), sorted."""
    sql = f"""
        SELECT p.ref FROM enrollments e JOIN participants p ON p.id = e.participant_id
        WHERE e.leader_id = :leader_id AND {rules.covers(':day')} AND {rules.counted()}
        ORDER BY p.ref
    """
    return [r["ref"] for r in conn.execute(sql, {"leader_id": leader_id, "day": day, **rules.COUNTED_PARAMS})]


class Recorded(TypedDict):
    """What `record` did on a day."""

    date: str
    leader: str | None
    present: int
    absent: int
    excused: int
    added: int
    corrected: int
    unchanged: int


def record(conn: sqlite3.Connection, day: object, statuses: Iterable[tuple[str, str]], leader: str | None = None,
           hours: object = None, note: str | None = None) -> Recorded:
    """Record one day: statuses is a list of (ref, status) pairs (status English or Norwegian).

    With leader, everyone else that leader follows that day is marked present, and a ref
    the leader does not follow that day is refused (a typo caught before it is stored).
    Recording a day again corrects it. Returns counts: {date, leader, present, absent,
    excused, added, corrected, unchanged}.
    """
    iso = cast(str, dates.iso(day))  # required: the CLI argument
    if not statuses and leader is None:
        raise KimuError("attendance_name_at_least_one")
    status_of: dict[str, str] = {}  # ref -> status, in the order given
    for ref, status in statuses:
        ref = participants.get(conn, ref)["ref"]
        if ref in status_of:
            raise KimuError("attendance_ref_given_twice_for", ref=ref, day=iso)
        status_of[ref] = vocab.attendance_status(status)
    leader_name = None
    if leader is not None:
        leader_row = leaders.get(conn, leader)
        leader_name = leader_row["name"]
        followed = followed_on(conn, leader_row["id"], iso)
        if not followed:
            raise KimuError("attendance_leader_name_follows_nobody", leader_name=leader_name, day=iso)
        for ref in status_of:
            if ref not in followed:
                raise KimuError("attendance_ref_followed_by_leader", ref=ref, leader_name=leader_name, day=iso)
        status_of = {ref: status_of.get(ref, "present") for ref in followed}
    summary: dict[str, Any] = {"date": iso, "leader": leader_name, "present": 0, "absent": 0, "excused": 0,
               "added": 0, "corrected": 0, "unchanged": 0}
    for ref, status in status_of.items():
        summary[save(conn, check_row(conn, ref, iso, status, hours, note))] += 1
        summary[status] += 1
    return cast(Recorded, summary)


def _period(start: object, end: object) -> tuple[str, str]:
    """(start, end) as ISO; end defaults to today, start to DEFAULT_PERIOD_DAYS before end."""
    last = dates.parse(end or dates.today(), "to")
    first = dates.parse(start, "from") if start else last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if first > last:
        raise KimuError("from_after_to", start=first, end=last)
    return first.isoformat(), last.isoformat()


class Entry(TypedDict):
    """A line of `kimu attendance list` (COLUMNS)."""

    ref: str
    date: str
    status: str
    hours: float | None
    note: str | None
    leader: str  # of the enrollment covering the day
    site: str


def list_attendance(conn: sqlite3.Connection, start: object = None, end: object = None, leader: str | None = None,
                    site: str | None = None, ref: str | None = None) -> list[Entry]:
    """Attendance rows in a period (default: the last 28 days), keys: ref, date, status, hours,
    note, leader, site. The leader is the one of the enrollment covering the day."""
    first, last = _period(start, end)
    known = participants.get(conn, ref)["ref"] if ref else None
    sql = f"""
        SELECT p.ref, a.date, a.status, a.hours, a.note, l.name AS leader, s.name AS site
        FROM attendance a
        JOIN participants p ON p.id = a.participant_id
        JOIN enrollments e ON e.participant_id = a.participant_id AND {rules.covers('a.date')}
        JOIN leaders l ON l.id = e.leader_id JOIN sites s ON s.id = l.site_id
        WHERE a.date BETWEEN :start AND :end AND (:ref IS NULL OR p.ref = :ref) AND {filters.WHERE}
        ORDER BY a.date, s.name, l.name, p.ref
    """
    params = {"start": first, "end": last, "ref": known, **filters.params(conn, leader, site)}
    return cast(list[Entry], [dict(r) for r in conn.execute(sql, params)])


# One row per enrollment followed in [:span_start, :span_end] (not registered in error, within the
# filter and the condition {{only}} on e, if any), with its days in that period, [a, b], and how
# they are counted (see SPAN_PIECES): 'rows' when that reads fewer rows than 'less'. A span that is
# its whole period up to today is 'less' with nothing to take off (kimu records no day after today;
# a row written so behind its back is still taken off); the lengths are worked out only for the few
# spans a window cuts.
SHORT_SPAN = "+45 days"
_SPANS = f"""
    spans AS (
        SELECT *, CASE
            WHEN a = start_date AND b >= min(until, :today) THEN 'less'
            WHEN b < date(a, '{SHORT_SPAN}') THEN 'rows'
            WHEN julianday(a) - julianday(start_date) + max(0, julianday(min(until, :today)) - julianday(b))
                 < julianday(b) - julianday(a) THEN 'less'
            ELSE 'rows' END AS how
        FROM (
            SELECT e.id, e.participant_id, e.leader_id, e.start_date, {rules.until()} AS until,
                   max(e.start_date, :span_start) AS a, min({rules.until()}, :span_end) AS b
            FROM enrollments e JOIN leaders l ON l.id = e.leader_id JOIN sites s ON s.id = l.site_id
            WHERE {rules.overlaps(':span_start', ':span_end')}
              AND {rules.counted()} AND {filters.WHERE} {{only}})
    )
"""
# The counts of each span's days (CTE `pieces`, rows to sum by span id or participant): its
# attendance rows ('rows'), or its period's days from enrollment_facts less the rows of the period
# before a and after b ('less'). Outcomes sums them too, so the rate is counted one way everywhere.
SPAN_PIECES = _SPANS + """
    , pieces AS (
        SELECT x.id, x.participant_id, a.status = 'present' AS present, a.status = 'absent' AS absent,
               a.status = 'excused' AS excused
        FROM spans x JOIN attendance a ON a.participant_id = x.participant_id AND a.date BETWEEN x.a AND x.b
        WHERE x.how = 'rows'
        UNION ALL
        SELECT x.id, x.participant_id, f.present, f.absent, f.excused FROM spans x
        JOIN enrollment_facts f ON f.participant_id = x.participant_id AND f.start_date = x.start_date
        WHERE x.how = 'less'
        UNION ALL
        SELECT x.id, x.participant_id, -(a.status = 'present'), -(a.status = 'absent'), -(a.status = 'excused')
        FROM spans x JOIN attendance a ON a.participant_id = x.participant_id AND a.date >= x.start_date AND a.date < x.a
        WHERE x.how = 'less'
        UNION ALL
        SELECT x.id, x.participant_id, -(a.status = 'present'), -(a.status = 'absent'), -(a.status = 'excused')
        FROM spans x JOIN attendance a ON a.participant_id = x.participant_id AND a.date > x.b AND a.date <= x.until
        WHERE x.how = 'less'
    )
"""
# by -> (columns, grouping, order); all ours, never user text.
_RATES_BY = {
    "participant": ("p.ref AS ref, l.name AS leader, s.name AS site", "p.id, l.id", "s.name, l.name, p.ref"),
    "leader": ("l.name AS leader, s.name AS site, count(DISTINCT x.participant_id) AS participants", "l.id",
               "s.name, l.name"),
    "site": ("s.name AS site, count(DISTINCT x.participant_id) AS participants", "s.id", "s.name"),
}


class Rate(Counts):
    """A line of `kimu attendance rates`; which of ref, leader and participants it has depends on by."""

    ref: NotRequired[str]  # by participant
    leader: NotRequired[str]  # by participant or leader
    site: str
    participants: NotRequired[int]  # by leader or site: how many were followed


def rates(conn: sqlite3.Connection, start: object = None, end: object = None, by: str = "participant",
          leader: str | None = None, site: str | None = None) -> list[Rate]:
    """Attendance rates over a period (default: the last 28 days up to today).

    by="participant" (one row per participant and leader), "leader" or "site". Everyone
    followed during the period has a row, also without registrations (days 0, rate None).
    Keys: ref (by participant) / leader (by participant or leader) / site, participants (by leader
    or site: how many were followed), then days, present, absent, excused, rate (0..1 float, see rate(), or None when nothing to count).
    The days are counted from enrollment_facts where that reads fewer rows (see SPAN_PIECES),
    the same as counting the attendance rows of each enrollment in the period.
    """
    if by not in _RATES_BY:
        raise KimuError("attendance_unknown_value_by_one", by=by, _RATES_BY=', '.join(_RATES_BY))
    first, last = _period(start, end)
    columns, group, order = _RATES_BY[by]
    sql = f"""
        WITH {SPAN_PIECES.format(only="")}, span_counts AS (
            SELECT id, sum(present) AS present, sum(absent) AS absent, sum(excused) AS excused FROM pieces GROUP BY id
        )
        SELECT {columns}, coalesce(sum(n.present + n.absent + n.excused), 0) AS days,
               coalesce(sum(n.present), 0) AS present, coalesce(sum(n.absent), 0) AS absent,
               coalesce(sum(n.excused), 0) AS excused
        FROM spans x
        {"JOIN participants p ON p.id = x.participant_id" if by == "participant" else ""}
        JOIN leaders l ON l.id = x.leader_id JOIN sites s ON s.id = l.site_id
        LEFT JOIN span_counts n ON n.id = x.id
        GROUP BY {group} ORDER BY {order}
    """
    params = {"span_start": first, "span_end": last, **rules.COUNTED_PARAMS, "today": dates.today().isoformat(),
              **filters.params(conn, leader, site)}
    return cast(list[Rate], [with_rate(r) for r in conn.execute(sql, params)])


def summary(conn: sqlite3.Connection, participant_id: int, start: str, end: str | None = None) -> Counts:
    """Counts and rate of one participant between start and end (None: up to today)."""
    sql = f"SELECT {COUNTS} FROM attendance a WHERE a.participant_id = ? AND a.date BETWEEN ? AND ?"
    row = conn.execute(sql, (participant_id, start, end or dates.today().isoformat())).fetchone()
    return cast(Counts, with_rate(row))


# A day as one character: its offset from :window_start, from '0' (_FIRST_CHAR) on. Strings of them
# sort as the days do, so a span of days is found in one by bisection (_char, _offset in Python).
_FIRST_CHAR = 48
_DAY_CHAR = f"char({_FIRST_CHAR} + CAST(julianday({{day}}) - julianday(:window_start) AS INTEGER))"
# The periods followed on some day from :window_start (the first day's window) to :on, within the
# filter, with what an alert says of them and their days in that span: one string of two characters
# a day (its _DAY_CHAR, then p, a or e for its status) in date order, read in primary-key ranges of
# attendance. A period registered in error counts in nothing, not even in its leader's days.
_PERIODS = f"""
    WITH periods AS MATERIALIZED (
        SELECT e.id, e.participant_id, e.leader_id, e.start_date, {rules.until()} AS until
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id JOIN sites s ON s.id = l.site_id
        WHERE {rules.overlaps(':window_start', ':on')} AND {rules.counted()} AND {filters.WHERE}
    )
    SELECT x.id, x.participant_id, x.leader_id, x.start_date, x.until, p.ref, p.name, l.name AS leader,
           s.name AS site, (
        SELECT group_concat(day, '') FROM (
            SELECT {_DAY_CHAR.format(day='a.date')} || substr(a.status, 1, 1) AS day
            FROM attendance a
            WHERE a.participant_id = x.participant_id
              AND a.date BETWEEN max(x.start_date, :window_start) AND min(x.until, :on)
            ORDER BY a.date)
    ) AS days
    FROM periods x JOIN participants p ON p.id = x.participant_id
    JOIN leaders l ON l.id = x.leader_id JOIN sites s ON s.id = l.site_id
    ORDER BY s.name COLLATE BINARY, l.name COLLATE BINARY, p.ref COLLATE BINARY
"""
# The absences of a run that began before :window_start (excused days neither count nor break it):
# those since the last day present before it, within the period from :start_date; the day present is
# found by walking the primary key back.
_EARLIER_RUN = """
    SELECT count(*), min(a.date) FROM attendance a
    WHERE a.participant_id = :participant_id AND a.status = 'absent' AND a.date < :window_start
      AND a.date > max(date(:start_date, '-1 day'), coalesce(
          (SELECT pr.date FROM attendance pr WHERE pr.participant_id = :participant_id
           AND pr.date < :window_start AND pr.status = 'present' ORDER BY pr.date DESC LIMIT 1), ''))
"""
# The longest window alerts look over, and the most days asked at once: a year. (A day's character,
# _DAY_CHAR, would allow some fifty thousand, below the surrogates of Unicode.)
MAX_WINDOW_DAYS = 366


def _char(offset: int) -> str:
    """A day of alerts_by_day (its offset from the first window's start) as _DAY_CHAR writes it."""
    return chr(_FIRST_CHAR + offset)


def _offset(char: str) -> int:
    return ord(char) - _FIRST_CHAR


class Alert(TypedDict):
    """A line of `kimu attendance alerts` (ALERT_COLUMNS)."""

    ref: str
    name: str | None
    leader: str
    site: str
    alert: str  # one of ALERTS
    detail: str  # '' on a day alerts_by_day was not asked to detail
    since: str  # the day the trouble began
    # With contacts.followed_up: the participant's last contact on or after since, and whether there is one.
    last_contact: NotRequired[str | None]
    followed_up: NotRequired[bool]


def alerts(conn: sqlite3.Connection, on: object = None, absences_in_row: int = DEFAULT_ABSENCES_IN_ROW,
           min_rate: float = DEFAULT_MIN_RATE, window_days: int = DEFAULT_WINDOW_DAYS,
           missing_days: int = DEFAULT_MISSING_DAYS, leader: str | None = None, site: str | None = None) -> list[Alert]:
    """Who needs a call on `on` (default today), among participants followed that day.

    - consecutive_absences: `absences_in_row` or more absences since the last day present
      (excused days neither count nor break the run);
    - low_rate: rate() under `min_rate` over the `window_days` days up to `on`;
    - missing_registration: `missing_days` or more days in that window where the leader
      registered others but not this participant.
    Returns dicts with keys ref, name, leader, site, alert (one of ALERTS), detail (text),
    since (the day the trouble began: see _alert), sorted by site, leader, ref; one participant may
    have several alerts.
    """
    day = dates.parse(on or dates.today(), "on")
    return alerts_by_day(conn, day, day, absences_in_row, min_rate, window_days, missing_days, leader,
                         site)[day.isoformat()]


def alerts_by_day(conn: sqlite3.Connection, first: object, last: object,
                  absences_in_row: int = DEFAULT_ABSENCES_IN_ROW, min_rate: float = DEFAULT_MIN_RATE,
                  window_days: int = DEFAULT_WINDOW_DAYS, missing_days: int = DEFAULT_MISSING_DAYS,
                  leader: str | None = None, site: str | None = None,
                  detailed: Collection[str] | None = None) -> dict[str, list[Alert]]:
    """alerts() of each day from first to last (at most MAX_WINDOW_DAYS of them): {ISO day: its
    alerts}. The rows are read once for all the days (their windows share most of their days).
    detailed: the days (ISO) whose alerts carry their detail, the others '' (for counting and
    following them up: who, which alert, since when); None: every day's."""
    if not 0 <= min_rate <= 1:
        raise KimuError("attendance_min_rate_between", min_rate=min_rate)
    for field, value in (("absences", absences_in_row), ("days", window_days), ("missing-days", missing_days)):
        if value < 1:
            raise KimuError("at_least_one", field=field, value=value)
    if window_days > MAX_WINDOW_DAYS:
        raise KimuError("attendance_days_at_most", days=window_days, most=MAX_WINDOW_DAYS)
    first_day, last_day = dates.parse(first, "on"), dates.parse(last, "on")
    if last_day < first_day:
        return {}
    if (last_day - first_day).days >= MAX_WINDOW_DAYS:
        raise ValueError(f"alerts_by_day: at most {MAX_WINDOW_DAYS} days at once")
    window_start = first_day - timedelta(days=window_days - 1)
    days = [(window_start + timedelta(days=i)).isoformat() for i in range((last_day - window_start).days + 1)]
    params = {"on": last_day.isoformat(), "window_start": days[0], **rules.COUNTED_PARAMS,
              **filters.params(conn, leader, site)}
    periods = conn.execute(_PERIODS, params).fetchall()
    # A leader's days: those on which any of the leader's periods has a row.
    days_of_leader: dict[int, set[str]] = {}
    for period in periods:
        days_of_leader.setdefault(period["leader_id"], set()).update((period["days"] or "")[0::2])
    registered = {leader_id: "".join(sorted(found)) for leader_id, found in days_of_leader.items()}

    def earlier(period: sqlite3.Row) -> tuple[int, str | None]:
        return conn.execute(_EARLIER_RUN, {**params, **period}).fetchone()

    rule = _Rule(days, window_days, absences_in_row, min_rate, missing_days,
                 [detailed is None or day in detailed for day in days])
    out: dict[str, list[Alert]] = {day: [] for day in days[window_days - 1:]}
    for period in periods:
        if period["until"] < first_day.isoformat():
            continue  # ended before the first day asked: only its leader's days counted
        for day, alert in rule.alerts(period, earlier, registered[period["leader_id"]]):
            out[day].append(alert)
    return out


class _Rule:
    """The three alerts over the days of one call of alerts_by_day: `days` from the first window's
    start to the last day asked, a day written as its offset in them (_DAY_CHAR); detailed: for each
    of them, whether its alerts carry their detail."""

    def __init__(self, days: list[str], window_days: int, absences_in_row: int, min_rate: float,
                 missing_days: int, detailed: list[bool]) -> None:
        self.days, self.window_days, self.detailed = days, window_days, detailed
        self.absences_in_row, self.min_rate, self.missing_days = absences_in_row, min_rate, missing_days
        self.chars = [_char(offset) for offset in range(len(days))]  # each day's _char, looked up

    def alerts(self, period: sqlite3.Row, earlier: Callable[[sqlite3.Row], tuple[int, str | None]],
               registered: str) -> Iterator[tuple[str, Alert]]:
        """(day, alert) of the period (a row of _PERIODS) on each day asked that it covers;
        earlier(period): the absences of its run begun before the first window, and the run's first
        day; registered: the days its leader registered anyone (_DAY_CHARs; the period's among them)."""
        text = period["days"] or ""
        offsets, statuses = text[0::2], text[1::2]
        days, chars, start = self.days, self.chars, period["start_date"]
        start_offset = bisect_left(days, start)
        # A run of absences reaching back before the first window, when no day present ends it sooner.
        before: tuple[int, str | None] = (0, None)
        if start < days[0] and "p" not in statuses[:bisect_right(offsets, chars[self.window_days - 1])]:
            before = earlier(period)
        if "a" not in statuses and not before[0] and len(registered) - bisect_left(
                registered, chars[start_offset]) == len(offsets):
            return  # no absence, no day missing: no alert on any day
        for offset in range(max(self.window_days - 1, start_offset), bisect_right(days, period["until"])):
            on, detailed = days[offset], self.detailed[offset]
            since = max(start_offset, offset - self.window_days + 1)
            low, high = bisect_left(offsets, chars[since]), bisect_right(offsets, chars[offset])
            present, absent = statuses.count("p", low, high), statuses.count("a", low, high)
            last_present = statuses.rfind("p", 0, high)
            absences = statuses.count("a", last_present + 1, high)
            first = days[_offset(offsets[statuses.find("a", last_present + 1, high)])] if absences else None
            if last_present < 0 and before[0]:
                absences, first = absences + before[0], before[1]
            if absences >= self.absences_in_row:
                yield on, _alert(period, "consecutive_absences", labels.t(
                    "alert_detail_absences", count=absences, since=first) if detailed else "", cast(str, first))
            share = rate(present, absent)
            if share is not None and share < self.min_rate:
                yield on, _alert(period, "low_rate", labels.t(
                    "alert_detail_low_rate", percent=_percent_under(share, self.min_rate), present=present,
                    counted=present + absent, since=days[since]) if detailed else "", days[since])
            registered_low, registered_high = bisect_left(registered, chars[since]), bisect_right(registered, chars[offset])
            missing = registered_high - registered_low - (high - low)
            if missing >= self.missing_days:
                # The period's days are among its leader's, both in order: the first and the last day
                # missing are where the two first differ, from the start and from the end.
                registered_then, own = registered[registered_low:registered_high], offsets[low:high]
                first_missing = days[_offset(registered_then[_differ(registered_then, own)])]
                last_missing = registered_then[-1 - _differ(registered_then[::-1], own[::-1])]
                yield on, _alert(period, "missing_registration", labels.t(
                    "alert_detail_missing", count=missing, last=days[_offset(last_missing)]) if detailed else "",
                    first_missing)


def _percent_under(share: float, threshold: float) -> int:
    """A rate under the threshold in whole percent: rounded, but cut where rounding would read as the
    threshold or over it (79.6 % under 0.8 reads 79%, not 80%)."""
    rounded = round(share * 100)
    # Compared as the fraction it reads: 0.55 * 100 is 55.00000000000001, and 55 under it.
    return rounded if rounded / 100 < threshold else floor(share * 100)


def _differ(longer: str, shorter: str) -> int:
    """The first index at which longer differs from shorter (len(shorter) when shorter begins it)."""
    for i, (one, other) in enumerate(zip(longer, shorter)):
        if one != other:
            return i
    return len(shorter)


def _alert(row: sqlite3.Row, kind: str, detail: str, since: str) -> Alert:
    """since: the day the trouble began (the run's first absence, the start of the rate's window,
    the first day missing), from which a contact follows the alert up (contacts.followed_up)."""
    return {"ref": row["ref"], "name": row["name"], "leader": row["leader"], "site": row["site"], "alert": kind,
            "detail": detail, "since": since}

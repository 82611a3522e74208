"""Attendance (oppmøte/fravær): one row per participant and day, only inside an enrollment.

The attendance rate is defined once, in `rate()`: present / (present + absent).
Excused days (gyldig fravær) are not counted against the participant. Enrollments
registered in error are left out of rates and alerts, as of every statistic.
"""

import sqlite3
from collections.abc import Iterable, Mapping
from datetime import timedelta
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


# Participants followed on :on (an enrollment covering it, within the filter): one row each, as
# periods never overlap; `since` is where the window starts for them.
_ACTIVE = f"""
    active AS MATERIALIZED (
        SELECT e.participant_id, e.leader_id, e.start_date, max(e.start_date, :window_start) AS since
        FROM enrollments e JOIN leaders l ON l.id = e.leader_id JOIN sites s ON s.id = l.site_id
        WHERE {rules.covers(':on')} AND {rules.counted()} AND {filters.WHERE}
    )
"""
# The days in the window on which a leader registered anyone, read from the leader's periods that
# overlap it (primary-key ranges of attendance; CROSS JOIN keeps that order, else SQLite may read
# all of enrollments_leader_end). A period registered in error does not count: its days were not
# the leader's.
_REGISTERED = f"""
    registered AS MATERIALIZED (
        SELECT DISTINCT e.leader_id, a.date
        FROM (SELECT DISTINCT leader_id FROM active) k
        CROSS JOIN enrollments e ON e.leader_id = k.leader_id AND {rules.overlaps(':window_start', ':on')}
             AND {rules.counted()}
        JOIN attendance a ON a.participant_id = e.participant_id
             AND a.date BETWEEN max(e.start_date, :window_start) AND min({rules.until()}, :on)
    )
"""
# Each participant's days in the window, read once: `tally` packs the days present, absent and
# excused into one integer (rules.tally). A participant's own days all fall in the leader's registered
# days (the enrollment covers them), so the days missing are the leader's days less their own: all
# of them unless the enrollment started inside the window.
_PRESENT, _ABSENT, _EXCUSED = rules.untally("tally")
_COUNTED = f"""
    leader_totals AS MATERIALIZED (
        SELECT leader_id, count(*) AS days FROM registered GROUP BY leader_id
    ), tallied AS MATERIALIZED (
        SELECT x.*,
               (SELECT sum({rules.tally('a.status')})
                FROM attendance a
                WHERE a.participant_id = x.participant_id AND a.date BETWEEN x.since AND :on) AS tally,
               CASE WHEN x.since = :window_start THEN coalesce(d.days, 0) ELSE (
                   SELECT count(*) FROM registered r WHERE r.leader_id = x.leader_id AND r.date BETWEEN x.since AND :on
               ) END AS leader_days
        FROM active x LEFT JOIN leader_totals d ON d.leader_id = x.leader_id
    ), counted AS MATERIALIZED (
        SELECT participant_id, leader_id, start_date, since,
               coalesce({_PRESENT}, 0) AS present, coalesce({_ABSENT}, 0) AS absent,
               leader_days - coalesce({_PRESENT} + {_ABSENT} + {_EXCUSED}, 0)
                   AS missing
        FROM tallied
    )
"""
# Absences since the last day present (excused days neither count nor break the run), within the
# current enrollment. With a day present in the window and fewer absences in it than the alert needs,
# the run cannot be long enough; for the others the last day present is sought once, walking the
# primary key back from :on.
_STREAKS = """
    runs AS MATERIALIZED (
        SELECT x.participant_id, max(date(x.start_date, '-1 day'), coalesce(
            (SELECT pr.date FROM attendance pr WHERE pr.participant_id = x.participant_id AND pr.date <= :on
             AND pr.status = 'present' ORDER BY pr.date DESC LIMIT 1), '')) AS after
        FROM counted x WHERE x.present = 0 OR x.absent >= :absences_in_row
    ), streaks AS (
        SELECT x.participant_id, count(*) AS absences, min(a.date) AS first
        FROM runs x
        JOIN attendance a ON a.participant_id = x.participant_id AND a.date > x.after AND a.date <= :on
             AND a.status = 'absent'
        GROUP BY x.participant_id HAVING count(*) >= :absences_in_row
    )
"""
# One row per participant with an alert, in the order of the list (Python's, so binary collation);
# the last day missing is looked up only for those reported.
_ALERTS = f"""
    WITH {_ACTIVE}, {_REGISTERED}, {_COUNTED}, {_STREAKS}
    SELECT p.ref, p.name, l.name AS leader, s.name AS site, x.since, x.present, x.absent, x.missing,
           t.absences, t.first, CASE WHEN x.missing >= :missing_days THEN (
               SELECT max(r.date) FROM registered r WHERE r.leader_id = x.leader_id AND r.date BETWEEN x.since AND :on
               AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.participant_id = x.participant_id AND a.date = r.date)
           ) END AS last, CASE WHEN x.missing >= :missing_days THEN (
               SELECT min(r.date) FROM registered r WHERE r.leader_id = x.leader_id AND r.date BETWEEN x.since AND :on
               AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.participant_id = x.participant_id AND a.date = r.date)
           ) END AS first_missing
    FROM counted x LEFT JOIN streaks t ON t.participant_id = x.participant_id
    JOIN participants p ON p.id = x.participant_id
    JOIN leaders l ON l.id = x.leader_id JOIN sites s ON s.id = l.site_id
    WHERE t.absences IS NOT NULL OR x.missing >= :missing_days
       OR {rate_sql('x.present', 'x.absent')} < :min_rate
    ORDER BY s.name COLLATE BINARY, l.name COLLATE BINARY, p.ref COLLATE BINARY
"""


class Alert(TypedDict):
    """A line of `kimu attendance alerts` (ALERT_COLUMNS)."""

    ref: str
    name: str | None
    leader: str
    site: str
    alert: str  # one of ALERTS
    detail: str
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
    if not 0 <= min_rate <= 1:
        raise KimuError("attendance_min_rate_between", min_rate=min_rate)
    for field, value in (("absences", absences_in_row), ("days", window_days), ("missing-days", missing_days)):
        if value < 1:
            raise KimuError("at_least_one", field=field, value=value)
    day = dates.parse(on or dates.today(), "on")
    params = {
        "on": day.isoformat(),
        "window_start": (day - timedelta(days=window_days - 1)).isoformat(),
        **rules.COUNTED_PARAMS,
        "absences_in_row": absences_in_row,
        "missing_days": missing_days,
        "min_rate": min_rate,
        **filters.params(conn, leader, site),
    }
    found: list[Alert] = []
    for r in conn.execute(_ALERTS, params):
        if r["absences"] is not None:
            found.append(_alert(r, "consecutive_absences", labels.t("alert_detail_absences", count=r["absences"],
                                                                       since=r["first"]), r["first"]))
        share = rate(r["present"], r["absent"])
        if share is not None and share < min_rate:
            counted = r["present"] + r["absent"]
            found.append(_alert(r, "low_rate", labels.t("alert_detail_low_rate", percent=round(share * 100),
                                                        present=r["present"], counted=counted, since=r["since"]),
                                r["since"]))
        if r["missing"] >= missing_days:
            found.append(_alert(r, "missing_registration", labels.t("alert_detail_missing", count=r["missing"],
                                                                    last=r["last"]), r["first_missing"]))
    return found


def _alert(row: sqlite3.Row, kind: str, detail: str, since: str) -> Alert:
    """since: the day the trouble began (the run's first absence, the start of the rate's window,
    the first day missing), from which a contact follows the alert up (contacts.followed_up)."""
    return {"ref": row["ref"], "name": row["name"], "leader": row["leader"], "site": row["site"], "alert": kind,
            "detail": detail, "since": since}

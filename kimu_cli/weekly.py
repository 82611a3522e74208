"""The weekly summary the coordinator reads, or cron mails, every Monday.

A week is an ISO week (Monday to Sunday). Its year is the ISO year: 2026-W53 runs from
28.12.2026 to 03.01.2027 and belongs to 2026, so its year-to-date outcomes start on
1 January 2026 and its capacity counts 2026 (active participants on its Sunday).
"""

import io
import re
import sys
from datetime import date, timedelta

from kimu_cli import dates
from kimu_cli.errors import KimuError
from kimu_cli.vocab import EXCLUDED_END_REASON

WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)

ACTIVE = """
    SELECT count(DISTINCT participant_id) FROM enrollments
    WHERE start_date <= :end AND coalesce(end_date, '9999-12-31') >= :start AND coalesce(end_reason, '') <> :excluded
"""
# Enrollments whose start (or end) falls in the week; {column} is start_date or
# coalesce(end_date, '9999-12-31'), the expressions enrollments are indexed by.
CHANGED = """
    SELECT p.ref, l.name AS leader, s.name AS site, e.start_date, e.end_date, e.end_reason
    FROM enrollments e
    JOIN participants p ON p.id = e.participant_id
    JOIN leaders l ON l.id = e.leader_id JOIN sites s ON s.id = l.site_id
    WHERE {column} BETWEEN :start AND :end AND coalesce(e.end_reason, '') <> :excluded
    ORDER BY {column}, p.ref
"""


def weeks_in(year):
    """52 or 53: 28 December always falls in an ISO year's last week."""
    return date(year, 12, 28).isocalendar().week


def parse_week(text=None):
    """(label, monday, sunday) of an ISO week such as 2026-W47; default the last complete
    week before today (dates.today(), so KIMU_TODAY fixes it)."""
    if text is None:
        today = dates.today()
        monday = today - timedelta(days=today.weekday() + 7)
    else:
        m = WEEK.fullmatch(text.strip())
        if not m:
            raise KimuError("weekly_text_iso_week_w", text=text)
        year, number = int(m[1]), int(m[2])
        if not 1 <= number <= weeks_in(year):
            raise KimuError("weekly_year_has_no_week", year=year, number=number, year2=weeks_in(year))
        monday = date.fromisocalendar(year, number, 1)
    year, number, _ = monday.isocalendar()
    return f"{year}-W{number:02d}", monday, monday + timedelta(days=6)


def summary(conn, week=None, names=False, suppress_below=None):
    """The week's figures; JSON keys: week, from, to, active (followed on a day of the week),
    new_enrollments, ended_enrollments,
    transitions, attendance_by_leader, alerts (ref, leader, site, alert, detail; name with names),
    capacity, outcomes_year_to_date; with suppress_below also suppress_below, and the rows about
    single participants None (see suppress). All parts describe one state of the file, whatever a writer
    commits meanwhile (inside the caller's transaction, that one's)."""
    from kimu_cli import attendance, db

    label, monday, sunday = parse_week(week)
    # The Sunday's alerts, the largest part, are counted on a second connection meanwhile.
    with db.alongside(conn, attendance.alerts, sunday.isoformat()) as alerts:
        week = {"week": label, **_figures(conn, monday, sunday, suppress_below)}
        week["alerts"] = alerts() if names else [{k: v for k, v in a.items() if k != "name"} for a in alerts()]
    return suppress(week, suppress_below)


# The parts that are rows about single participants: left out with --suppress-below.
PER_PERSON = ("new_enrollments", "ended_enrollments", "transitions", "alerts")


def suppress(week, below):
    """The week with --suppress-below (kimu_cli.suppression): the rows about single participants
    left out (None), 'active' and the counts of each section 1..below-1 as '<below', with what
    would give them back hidden as well: in attendance per leader days = present + absent + excused
    and the rate rests on present and absent; capacity as `capacity.suppress`; the outcomes so far
    this year are suppressed by `outcomes.summary` itself."""
    from kimu_cli import capacity, suppression

    if not below or below < 2:
        return week
    out = {**week, **dict.fromkeys(PER_PERSON), "active": suppression.mask(week["active"], below)}
    out["attendance_by_leader"] = _attendance(week["attendance_by_leader"], below)
    out["capacity"] = capacity.suppress(week["capacity"], below)
    out["suppress_below"] = below
    return out


def _attendance(rows, below):
    """A leader's days with fewer than `below` participants tell those few people's week (one
    participant: theirs exactly): left out, the number of participants masked."""
    from kimu_cli import suppression

    few = {i for i, row in enumerate(rows) if suppression.small(row["participants"], below)}
    rows = [{**row, "participants": suppression.mask(row["participants"], below),
             **(dict.fromkeys(("days", "present", "absent", "excused", "rate")) if i in few else {})}
            for i, row in enumerate(rows)]
    counts = {(i, k): row[k] for i, row in enumerate(rows) for k in ("days", "present", "absent", "excused")
              if i not in few}
    sums = [suppression.Sum((i, "days"), ((i, "present"), (i, "absent"), (i, "excused")))
            for i in range(len(rows)) if i not in few]
    shown = suppression.protect(counts, sums, below)
    out = []
    for i, row in enumerate(rows):
        if i not in few:
            row = {**row, **{k: shown[i, k] for k in ("days", "present", "absent", "excused")}}
            if suppression.rests_on(shown, (i, "present"), (i, "absent")):
                row["rate"] = None
        out.append(row)
    return out


def _figures(conn, monday, sunday, suppress_below):
    from kimu_cli import attendance, capacity, outcomes, transitions

    start, end = monday.isoformat(), sunday.isoformat()
    params = {"start": start, "end": end, "excluded": EXCLUDED_END_REASON}
    new = [dict(r) for r in conn.execute(CHANGED.format(column="e.start_date"), params)]
    ended = [dict(r) for r in conn.execute(CHANGED.format(column="coalesce(e.end_date, '9999-12-31')"), params)]
    year = monday.isocalendar().year
    return {
        "from": start,
        "to": end,
        "active": conn.execute(ACTIVE, params).fetchone()[0],
        "new_enrollments": [{k: r[k] for k in ("ref", "leader", "site", "start_date")} for r in new],
        "ended_enrollments": [{k: r[k] for k in ("ref", "leader", "site", "end_date", "end_reason")} for r in ended],
        "transitions": [{k: t[k] for k in ("ref", "date", "kind", "leader", "site")}
                        for t in transitions.list_transitions(conn, start, end)],
        "attendance_by_leader": attendance.rates(conn, start, end, by="leader"),
        "alerts": None,  # counted alongside, see summary
        "capacity": capacity.report(conn, year, end),
        "outcomes_year_to_date": outcomes.summary(conn, f"{year}-01-01", end, suppress_below=suppress_below),
    }


def document(week, lang="en"):
    """The weekly summary as a report document (see render.document). Alert details are
    English text from attendance.alerts, so a bokmål report leaves them out."""
    from kimu_cli import capacity, outcomes

    below = week.get("suppress_below")
    alert_columns = ["ref", "name", "leader", "alert", "detail"]
    if not any("name" in a for a in week["alerts"] or ()):  # names only with --names
        alert_columns.remove("name")
    if lang != "en":
        alert_columns.remove("detail")
    ytd = outcomes.sections(week["outcomes_year_to_date"])
    attendance = {"title": "attendance_by_leader", "chart": {"label": "leader", "value": "rate"},
                  "table": {"columns": ["leader", "participants", "days", "present", "absent", "excused", "rate"],
                            "rows": week["attendance_by_leader"]}}
    if below:  # rows about single participants: left out, said in their place
        per_person = [{"title": "rows_left_out"}, attendance]
    else:
        per_person = [
            {"title": "new_enrollments",
             "table": {"columns": ["ref", "leader", "site", "start_date"], "rows": week["new_enrollments"]}},
            {"title": "ended_enrollments", "table": {"columns": ["ref", "leader", "site", "end_date", "end_reason"],
                                                     "rows": week["ended_enrollments"]}},
            {"title": "transitions",
             "table": {"columns": ["ref", "date", "kind", "leader"], "rows": week["transitions"]}},
            attendance,
            {"title": "alerts", "table": {"columns": alert_columns, "rows": week["alerts"]}},
        ]
    doc = {
        "title": "weekly",
        "week": week["week"],
        "period": (week["from"], week["to"]),
        "sections": [
            {"facts": [("followed_this_week", week["active"])]},
            *per_person,
            {"title": "capacity", "table": {"columns": ["leader", "followed", "yearly_capacity", "active",
                                                        "max_concurrent", "status"],
                                            "rows": week["capacity"], "highlight": capacity.over}},
            {**ytd[0], "title": "outcomes_year_to_date"},
            *ytd[1:],
        ],
    }
    if below:
        doc["note"] = ("suppressed_counts", {"n": below})
    return doc


def write(week, fmt, lang, output=None, database=None):
    """Render to stdout (output None or '-'), or to output written whole with mode 0600 (never a
    half-written mail, never the database)."""
    from kimu_cli import outputs, render

    text = sys.stdout if outputs.is_stdout(output) else io.StringIO()
    if fmt == "json":
        render.record(week, "json", text)
    else:
        render.document(document(week, lang), fmt, lang, text)
    if text is not sys.stdout:
        with outputs.written_whole(output, database) as binary:
            binary.write(text.getvalue().encode("utf-8"))

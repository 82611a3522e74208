"""The weekly summary the coordinator reads, or cron mails, every Monday.

A week is an ISO week (Monday to Sunday). Its year is the ISO year: 2026-W53 runs from
28.12.2026 to 03.01.2027 and belongs to 2026, so its year-to-date outcomes start on
1 January 2026 and its capacity counts 2026 (active participants on its Sunday).
"""

import io
import re
import sqlite3
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NotRequired, TextIO, TypedDict, cast

from kimu_cli import dates, followup, rules
from kimu_cli.errors import KimuError

if TYPE_CHECKING:
    from kimu_cli.capacity import CapacityRow
    from kimu_cli.outcomes import Summary
    from kimu_cli.render import Document, Section
    from kimu_cli.suppression import Shown

# 48 (this ISO year), W48, 2026-48, 2026-W48, 2026W48
WEEK = re.compile(r"(?:(\d{4})-?)?W?(\d{1,2})", re.IGNORECASE)

ACTIVE = f"""
    SELECT count(DISTINCT participant_id) FROM enrollments
    WHERE {rules.overlaps(':start', ':end', '')} AND {rules.counted('')}
"""
# Enrollments whose start (or end) falls in the week; {{column}} is e.start_date or rules.until(),
# the expressions enrollments are indexed by.
CHANGED = f"""
    SELECT p.ref, l.name AS leader, s.name AS site, e.start_date, e.end_date, e.end_reason
    FROM enrollments e
    JOIN participants p ON p.id = e.participant_id
    JOIN leaders l ON l.id = e.leader_id JOIN sites s ON s.id = l.site_id
    WHERE {{column}} BETWEEN :start AND :end AND {rules.counted()}
    ORDER BY {{column}}, p.ref
"""


def weeks_in(year: int) -> int:
    """52 or 53: 28 December always falls in an ISO year's last week."""
    return date(year, 12, 28).isocalendar().week


def parse_week(text: str | None = None) -> tuple[str, date, date]:
    """(label, monday, sunday) of an ISO week: 48 (in this ISO year), 2026-48 or 2026-W48; default
    the last complete week before today (dates.today(), so KIMU_TODAY fixes it)."""
    today = dates.today()
    if text is None:
        monday = today - timedelta(days=today.weekday() + 7)
    else:
        m = WEEK.fullmatch(str(text).strip())
        if not m:
            raise KimuError("bad_week", text=text)
        year, number = int(m[1] or today.isocalendar().year), int(m[2])
        if not 1 <= number <= weeks_in(year):
            raise KimuError("no_such_week", year=year, number=number, weeks=weeks_in(year))
        monday = date.fromisocalendar(year, number, 1)
    year, number, _ = monday.isocalendar()
    return f"{year}-W{number:02d}", monday, monday + timedelta(days=6)


# The week as summary returns it and `--format json` prints it. With --suppress-below the rows about
# single participants (PER_PERSON) are None and counts may be '<N' or 'x'. ("from" is a keyword: the
# functional syntax.)
Week = TypedDict("Week", {
    "week": str,  # 2026-W47
    "from": str,  # its Monday
    "to": str,  # its Sunday
    "active": "Shown",  # followed on a day of the week
    "new_enrollments": list[dict[str, Any]] | None,  # ref, leader, site, start_date
    "ended_enrollments": list[dict[str, Any]] | None,  # ref, leader, site, end_date, end_reason
    "transitions": list[dict[str, Any]] | None,  # ref, date, kind, leader, site
    "attendance_by_leader": list[dict[str, Any]],  # attendance.rates by leader
    "alerts": list[dict[str, Any]] | None,  # attendance.alerts on the Sunday; name only with names
    "capacity": list[dict[str, Any]],  # capacity.report on the Sunday
    "outcomes_year_to_date": "Summary",
    "follow_up": followup.FollowUp,  # followup.week: alerts raised in the week and how they were followed up
    "counted_on": str,  # the day the year's figures describe the register as it stood
    "audit_head": "AuditHead",
    "suppress_below": NotRequired[int],
    "trends": NotRequired[followup.History],  # with_trends: the 12 weeks the HTML page draws
})


class AuditHead(TypedDict):
    """The audit log's last row and its chain (row 0 and the genesis link on an empty log)."""

    row: int
    chain: str


def summary(conn: sqlite3.Connection, week: str | None = None, names: bool = False,
            suppress_below: int | None = None) -> Week:
    """The week's figures; JSON keys: week, from, to, active (followed on a day of the week),
    new_enrollments, ended_enrollments, transitions, attendance_by_leader, alerts (ref, leader, site,
    alert, detail, since, last_contact, followed_up; name with names), capacity,
    outcomes_year_to_date, counted_on (the day the year's figures describe the register as it
    stood: the Sunday, or today in a week not over yet), follow_up, audit_head (row, chain: see
    audit_head); with suppress_below also suppress_below, and the rows about single participants
    None (see suppress). All parts describe one state of the file, whatever a writer
    commits meanwhile (inside the caller's transaction, that one's)."""
    from kimu_cli import attendance, db

    label, monday, sunday = parse_week(week)
    # The alerts of the week's days and the Sunday before (the follow-up's), the largest part, are
    # counted on a second connection meanwhile.
    the_day_before = (monday - timedelta(days=1)).isoformat()
    count_alerts = partial(attendance.alerts_by_day, detailed=(sunday.isoformat(),))  # the Sunday's are shown
    with db.alongside(conn, count_alerts, the_day_before, sunday.isoformat()) as alerts:
        figures = {"week": label, **_figures(conn, monday, sunday, suppress_below)}
        by_day = alerts()
        alert_days = followup.AlertDays(conn)
        alert_days.known(by_day)
        sundays = by_day[sunday.isoformat()]
        figures["alerts"] = sundays if names else [{k: v for k, v in a.items() if k != "name"} for a in sundays]
        follow_up(conn, figures, monday, sunday, suppress_below, alert_days)
    figures["audit_head"] = audit_head(conn)
    return suppress(cast(Week, figures), suppress_below)


def audit_head(conn: sqlite3.Connection) -> AuditHead:
    """The audit log's last row and chain as the summary is made: noted down outside the file
    (a mailed summary is), it shows any later rewrite of the log up to that row (docs of
    kimu_cli.audit: anyone who can write the file can rebuild a chain, but not this copy)."""
    from kimu_cli import audit

    row, chain = audit.head(conn)
    return {"row": row, "chain": chain}


def follow_up(conn: sqlite3.Connection, week: dict[str, Any], monday: date, sunday: date,
              suppress_below: int | None = None, alert_days: "followup.AlertDays | None" = None) -> None:
    """Issue 18, in the week (in place): each alert with since, last_contact and followed_up (up to
    the week's sunday: open ones first), and `follow_up` (kimu_cli.followup.week): alerts raised in
    the week, how many followed up, the median working days to the first contact, contacts per leader."""
    from kimu_cli import contacts

    week["alerts"] = contacts.followed_up(conn, week["alerts"], sunday.isoformat())
    week["follow_up"] = followup.week(conn, monday, sunday, suppress_below, alert_days)


# The parts that are rows about single participants: left out with --suppress-below.
PER_PERSON = ("new_enrollments", "ended_enrollments", "transitions", "alerts")


def suppress(week: Week, below: int | None) -> Week:
    """The week with --suppress-below (kimu_cli.suppression): the rows about single participants
    left out (None), 'active' and the counts of each section 1..below-1 as '<below', with what
    would give them back hidden as well: in attendance per leader days = present + absent + excused
    and the rate rests on present and absent; capacity as `capacity.suppress`; the outcomes so far
    this year are suppressed by `outcomes.summary` itself."""
    from kimu_cli import capacity, suppression

    if not below or below < 2:
        return week
    out = {**week, **dict.fromkeys(PER_PERSON), "active": suppression.mask(cast(int, week["active"]), below)}
    out["attendance_by_leader"] = _attendance(week["attendance_by_leader"], below)
    out["capacity"] = capacity.suppress(cast(list["CapacityRow"], week["capacity"]), below)
    out["suppress_below"] = below
    return cast(Week, out)


def _attendance(rows: Sequence[dict[str, Any]], below: int) -> list[dict[str, Any]]:
    """A leader's days with fewer than `below` participants tell those few people's week (one
    participant: theirs exactly): left out, the number of participants masked."""
    from kimu_cli import suppression

    few = {i for i, row in enumerate(rows) if suppression.small(row["participants"], below)}
    masked = [{**row, "participants": suppression.mask(row["participants"], below),
               **(dict.fromkeys(("days", "present", "absent", "excused", "rate")) if i in few else {})}
              for i, row in enumerate(rows)]
    counts: dict[suppression.Cell, int] = {(i, k): row[k] for i, row in enumerate(masked)
                                           for k in ("days", "present", "absent", "excused") if i not in few}
    sums = [suppression.Sum((i, "days"), ((i, "present"), (i, "absent"), (i, "excused")))
            for i in range(len(masked)) if i not in few]
    shown = suppression.protect(counts, sums, below)
    out = []
    for i, row in enumerate(masked):
        if i not in few:
            row = {**row, **{k: shown[i, k] for k in ("days", "present", "absent", "excused")}}
            if suppression.rests_on(shown, (i, "present"), (i, "absent")):
                row["rate"] = None
        out.append(row)
    return out


def _figures(conn: sqlite3.Connection, monday: date, sunday: date, suppress_below: int | None) -> dict[str, Any]:
    from kimu_cli import attendance, transitions

    start, end = monday.isoformat(), sunday.isoformat()
    counted_on = min(end, dates.today().isoformat())
    params = {"start": start, "end": end, **rules.COUNTED_PARAMS}
    new = [dict(r) for r in conn.execute(CHANGED.format(column="e.start_date"), params)]
    ended = [dict(r) for r in conn.execute(CHANGED.format(column=rules.until()), params)]
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
        # The register as it stood at the end of the Sunday (or now, in a week not over yet): what is
        # dated later (a period, an end, a transition) is not counted.
        **_as_of(conn, year, end, counted_on, suppress_below),
    }


def _as_of(conn: sqlite3.Connection, year: int, end: str, counted_on: str,
           suppress_below: int | None) -> dict[str, Any]:
    from kimu_cli import capacity, history, outcomes

    capacity_then = capacity.report(conn, year, counted_on, as_it_stood=True)  # as as_of counts it, faster
    with history.as_of(conn, counted_on, f"{year}-01-01"):
        return {
            "capacity": capacity_then,
            "outcomes_year_to_date": outcomes.summary(conn, f"{year}-01-01", end, suppress_below=suppress_below,
                                                      today=counted_on),
            "counted_on": counted_on,
        }


def document(week: Week, lang: str = "en") -> "Document":
    """The weekly summary as a report document (see render.document). Alert details are
    English text from attendance.alerts, so a bokmål report leaves them out."""
    from kimu_cli import capacity, outcomes

    below = week.get("suppress_below")
    alert_columns = ["ref", "name", "leader", "alert", "detail", "since", "last_contact", "followed_up"]
    if not any("name" in a for a in week["alerts"] or ()):  # names only with --names
        alert_columns.remove("name")
    if lang != "en":
        alert_columns.remove("detail")
    ytd = outcomes.sections(week["outcomes_year_to_date"])
    attendance: Section = {"title": "attendance_by_leader", "chart": {"label": "leader", "value": "rate"},
                  "table": {"columns": ["leader", "participants", "days", "present", "absent", "excused", "rate"],
                            "rows": week["attendance_by_leader"]}}
    if below:  # rows about single participants: left out, said in their place
        per_person: list[Section] = [{"title": "rows_left_out"}, attendance]
    else:  # the rows are there (None only with --suppress-below)
        per_person = [
            {"title": "new_enrollments",
             "table": {"columns": ["ref", "leader", "site", "start_date"], "rows": week["new_enrollments"] or []}},
            {"title": "ended_enrollments", "table": {"columns": ["ref", "leader", "site", "end_date", "end_reason"],
                                                     "rows": week["ended_enrollments"] or []}},
            {"title": "transitions",
             "table": {"columns": ["ref", "date", "kind", "leader"], "rows": week["transitions"] or []}},
            attendance,
            {"title": ("alerts_on", {"day": _day(week["to"], lang)}),
             "table": {"columns": alert_columns, "rows": week["alerts"] or [],
                       "highlight": lambda a: a.get("followed_up") is False}},
        ]
    per_person += follow_up_sections(week)
    # Each section says what it counts: the year's figures are those of the register as it stood on
    # the Sunday (counted_on; the day of the summary in a week not over yet).
    day = _day(week.get("counted_on") or week["to"], lang)
    ytd_window = {"start": _date(week["outcomes_year_to_date"]["from"], lang),
                  "end": _date(week["outcomes_year_to_date"]["to"], lang), "day": day}
    year = date.fromisoformat(week["from"]).isocalendar().year
    doc: Document = {
        "title": "weekly",
        "week": week["week"],
        "period": (week["from"], week["to"]),
        "sections": [
            {"facts": [("followed_this_week", week["active"])]},
            *trend_sections(week),
            *per_person,
            {"title": ("capacity_on", {"year": year, "day": day}),
             "table": {"columns": ["leader", "followed", "yearly_capacity", "active", "max_concurrent", "status"],
                       "rows": week["capacity"], "highlight": capacity.over}},
            {**ytd[0], "title": ("outcomes_on", ytd_window)},
            *ytd[1:],
            {"facts": [("audit_head", f"{week['audit_head']['row']}: {week['audit_head']['chain'] or '-'}")]},
        ],
    }
    if below:
        doc["note"] = ("suppressed_counts", {"n": below})
    return doc


def follow_up_sections(week: Week) -> list["Section"]:
    """The document's follow-up sections (issue 18), when the week has them."""
    return followup.sections(week["follow_up"]) if week.get("follow_up") else []


def with_trends(conn: sqlite3.Connection, week: str | None = None, names: bool = False,
                suppress_below: int | None = None) -> Week:
    """summary() and the 12 weeks up to it that the HTML page draws (`trends`, followup.history):
    attendance rate per leader, the year's moves on per month, alerts followed up per week."""
    from kimu_cli import db

    result = summary(conn, week, names, suppress_below)
    with db.snapshot(conn):
        result["trends"] = followup.history(conn, result["to"], suppress_below)
    return result


def trend_sections(week: Week) -> list["Section"]:
    """The HTML page's chart sections, when the week has its trends (with_trends)."""
    trends = week.get("trends")
    if not trends:
        return []
    return [
        {"title": "rate_trend", "svg": ("rate_trend", {"weeks": trends["weeks"], "series": trends["rate_trend"]})},
        {"title": "follow_up_trend", "svg": ("follow_up_trend", trends["follow_up"])},
        {"title": "moves_by_month", "svg": ("moves_by_month", trends["moves_by_month"])},
    ]


def _date(iso: str, lang: str) -> str:
    return dates.norwegian(iso) if lang == "nb" else iso


def _day(iso: str, lang: str) -> str:
    """'Sunday 2026-11-29' / 'søndag 29.11.2026' (the date alone on another weekday)."""
    from kimu_cli import labels

    text = _date(iso, lang)
    return labels.text("sunday", lang, day=text) if date.fromisoformat(iso).weekday() == 6 else text


def write(week: Week, fmt: str, lang: str, output: Path | str | None = None, database: Path | None = None) -> None:
    """Render to stdout (output None or '-'), or to output written whole with mode 0600 (never a
    half-written mail, never the database)."""
    from kimu_cli import outputs, render

    buffer = io.StringIO()
    text: TextIO = sys.stdout if outputs.is_stdout(output) else buffer
    if fmt == "json":
        render.record(week, "json", text)
    else:
        render.document(document(week, lang), fmt, lang, text)
    if text is buffer and output is not None:
        from kimu_cli import idnumber

        with outputs.written_whole(output, database) as binary:  # masked as the same report on stdout is
            binary.write(idnumber.mask(buffer.getvalue(), printed=True).encode("utf-8"))

"""Whether absence is followed up, week by week (issue 18): the weekly summary's follow-up figures and
the 12-week history of the weekly HTML page.

An alert is *raised* on a day when `attendance alerts --on DAY` shows it (participant and kind) and
the day before did not. The alerts raised in a week are those raised on its Monday to Sunday (so the
Sunday before the week is looked at too); one still showing from the week before was raised then.
An alert raised is *followed up* when the participant has a contact dated on or after the day its
trouble began (`since`) and no later than the week's Sunday: the report tells the week as it was, and
reads the same when run again later. *Working days to the first contact*: the weekdays (Monday to
Friday; public holidays are not known to kimu) after the day the alert was raised up to the day of the
first contact on or after `since`; 0 when the contact came on the day it was raised or before it
(a leader who called on the first absent day did not wait for kimu).

Counts are suppressed as every count is (`--suppress-below`, kimu_cli.suppression): raised =
followed up + open is declared, and the median rests on followed up.
"""

import sqlite3
from bisect import bisect_left
from collections.abc import Sequence
from datetime import date, timedelta
from statistics import median
from typing import TYPE_CHECKING, TypedDict, cast

from kimu_cli import attendance, contacts, dates

if TYPE_CHECKING:
    from kimu_cli.attendance import Alert
    from kimu_cli.render import Section
    from kimu_cli.suppression import Shown

WEEKS = 12


class AlertDays:
    """attendance.alerts of each day asked, counted once per day, and days not counted yet in one pass
    (attendance.alerts_by_day: the 12-week history asks 85 days). Those it counts itself come without
    their details: what is followed up is who, which alert and since when."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.days: dict[str, dict[tuple[str, str], Alert]] = {}  # ISO day -> {(ref, alert): the alert}

    def known(self, found: dict[str, list["Alert"]]) -> None:
        """The alerts of some days ({ISO day: alerts}), counted already elsewhere (the weekly summary's)."""
        for day, alerts in found.items():
            self.days[day] = {(a["ref"], a["alert"]): a for a in alerts}

    def span(self, first: date, last: date) -> list[dict[tuple[str, str], "Alert"]]:
        """The alerts of each day from first to last, {(ref, alert): the alert} a day."""
        asked = [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]
        new = [day for day in asked if day not in self.days]
        if new:
            self.known(attendance.alerts_by_day(self.conn, new[0], new[-1], detailed=()))
        return [self.days[day] for day in asked]


def working_days(start: date | str, end: date | str) -> int:
    """Weekdays d with start < d <= end (dates or ISO texts); 0 when end <= start."""
    start, end = dates.parse(start), dates.parse(end)
    if end <= start:
        return 0
    whole, rest = divmod((end - start).days, 7)
    count = whole * 5
    for i in range(1, rest + 1):
        if (start + timedelta(days=whole * 7 + i)).weekday() < 5:
            count += 1
    return count


class Raised(TypedDict):
    """An alert raised in a week (raised()) and how it was followed up."""

    ref: str
    leader: str
    site: str
    alert: str  # one of attendance.ALERTS
    since: str  # the day its trouble began
    raised: str  # the day it was raised
    first_contact: str | None  # on or after since, up to the week's Sunday
    followed_up: bool
    working_days: int | None  # to the first contact (None: none yet)


def raised(conn: sqlite3.Connection, monday: date | str, sunday: date | str,
           alert_days: AlertDays | None = None) -> list[Raised]:
    """The alerts raised from monday to sunday: dicts ref, leader, site, alert, since, raised (the
    day), first_contact (the first contact on or after since, up to sunday, or None), followed_up,
    working_days (to the first contact, None when there is none), in the order raised."""
    monday, sunday = dates.parse(monday), dates.parse(sunday)
    days = (alert_days or AlertDays(conn)).span(monday - timedelta(days=1), sunday)
    found = [(alert, monday + timedelta(days=i - 1)) for i, today in enumerate(days[1:], 1)
             for key, alert in today.items() if key not in days[i - 1]]
    contacted = contacts.contact_days(conn, (alert["ref"] for alert, _ in found),
                                      min((alert["since"] for alert, _ in found), default=""), sunday.isoformat())
    return [_followed(alert, day, contacted.get(alert["ref"], [])) for alert, day in found]


def _followed(alert: "Alert", day: date, contacted: list[str]) -> Raised:
    """The alert raised on day, with the first of the participant's contacts (days up to the week's
    Sunday) on or after its since."""
    later = contacted[bisect_left(contacted, alert["since"]):]
    first = later[0] if later else None
    return {"ref": alert["ref"], "leader": alert["leader"], "site": alert["site"], "alert": alert["alert"],
            "since": alert["since"], "raised": day.isoformat(), "first_contact": first,
            "followed_up": first is not None, "working_days": None if first is None else working_days(day, first)}


class Figures(TypedDict):
    """How the alerts raised were followed up (figures()); counts as suppression shows them."""

    alerts_raised: "Shown"
    alerts_followed_up: "Shown"
    alerts_open: "Shown"
    median_working_days_to_contact: float | None  # None: nothing followed up, or resting on a hidden count


def figures(rows: Sequence[Raised], below: int | None = None) -> Figures:
    """{alerts_raised, alerts_followed_up, alerts_open, median_working_days_to_contact} of raised()'s
    rows, suppressed below `below`."""
    from kimu_cli import suppression

    counts: dict[suppression.Cell, int] = {"alerts_raised": len(rows),
                                           "alerts_followed_up": sum(r["followed_up"] for r in rows)}
    counts["alerts_open"] = counts["alerts_raised"] - counts["alerts_followed_up"]
    waits = [cast(int, r["working_days"]) for r in rows if r["followed_up"]]  # followed up: counted
    shown = suppression.protect(counts, [suppression.Sum("alerts_raised", ("alerts_followed_up", "alerts_open"))],
                                below)
    middle = median(waits) if waits else None
    if suppression.rests_on(shown, "alerts_followed_up"):
        middle = None
    return cast(Figures, {**shown, "median_working_days_to_contact": middle})


_CONTACTS_BY_LEADER = """
    SELECT l.name AS leader, s.name AS site, count(*) AS contacts, count(DISTINCT c.participant_id) AS participants
    FROM contacts c
    JOIN leaders l ON l.id = (
        SELECT e.leader_id FROM enrollments e WHERE e.participant_id = c.participant_id AND e.start_date <= c.date
        ORDER BY e.start_date DESC LIMIT 1)
    JOIN sites s ON s.id = l.site_id
    WHERE c.date BETWEEN ? AND ?
    GROUP BY l.id ORDER BY s.name, l.name
"""


class LeaderContacts(TypedDict):
    """A line of the week's contacts per leader (contacts_by_leader)."""

    leader: str
    site: str
    contacts: "Shown | None"  # None: masked with the few participants contacted
    participants: "Shown"


def contacts_by_leader(conn: sqlite3.Connection, monday: date | str, sunday: date | str,
                       below: int | None = None) -> list[LeaderContacts]:
    """The week's contacts per leader (of the enrollment each belongs to): leader, site, contacts,
    participants (contacted); with below, a leader who contacted fewer than `below` participants is
    left out of the counts (their contacts would tell those few people's week) and masked."""
    from kimu_cli import suppression

    rows = [dict(r) for r in conn.execute(_CONTACTS_BY_LEADER, (dates.iso(monday), dates.iso(sunday)))]
    if not below or below < 2:
        return cast(list[LeaderContacts], rows)
    masked = [{**r, "participants": suppression.mask(r["participants"], below),
               "contacts": None if suppression.small(r["participants"], below) else suppression.mask(r["contacts"], below)}
              for r in rows]
    return cast(list[LeaderContacts], masked)


class FollowUp(Figures):
    """The weekly summary's follow-up (week())."""

    contacts_by_leader: list[LeaderContacts]


def week(conn: sqlite3.Connection, monday: date | str, sunday: date | str, below: int | None = None,
         alert_days: AlertDays | None = None) -> FollowUp:
    """The weekly summary's follow-up section (JSON key `follow_up`)."""
    rows = raised(conn, monday, sunday, alert_days)
    return {**figures(rows, below), "contacts_by_leader": contacts_by_leader(conn, monday, sunday, below)}


def sections(follow_up: FollowUp) -> list["Section"]:
    """The weekly document's sections for follow_up (see week)."""
    facts: list[tuple[str, object]] = [
        ("alerts_raised", follow_up["alerts_raised"]), ("alerts_followed_up", follow_up["alerts_followed_up"]),
        ("alerts_open", follow_up["alerts_open"]),
        ("median_working_days_to_contact", follow_up["median_working_days_to_contact"])]
    return [
        {"title": "follow_up", "facts": facts},
        {"title": "contacts_by_leader", "table": {"columns": ["leader", "site", "contacts", "participants"],
                                                  "rows": follow_up["contacts_by_leader"]}},
    ]


# --- the 12-week history of the HTML page -------------------------------------------------------

def _weeks(sunday: date | str, weeks: int = WEEKS) -> list[tuple[str, date, date]]:
    """(label, monday, sunday) of the `weeks` ISO weeks ending with sunday's, oldest first."""
    sunday = dates.parse(sunday)
    out = []
    for back in range(weeks - 1, -1, -1):
        end = sunday - timedelta(weeks=back)
        start = end - timedelta(days=6)
        year, number, _ = start.isocalendar()
        out.append((f"{year}-W{number:02d}", start, end))
    return out


class WeekFigures(Figures):
    """A week of the history's follow_up: figures() of the alerts raised in it."""

    week: str  # 2026-W47


class Moves(TypedDict):
    """Participants with a move to education or to work dated in a month (masked below `below`)."""

    month: str  # 2026-11
    education: "Shown"
    work: "Shown"


class History(TypedDict):
    """What the weekly HTML page draws beside the week's tables (history())."""

    weeks: list[str]  # labels, oldest first
    rate_trend: dict[str, list[float | None]]  # leader -> rate per week
    moves_by_month: list[Moves]
    follow_up: list[WeekFigures]


def history(conn: sqlite3.Connection, sunday: date | str, below: int | None = None, weeks: int = WEEKS) -> History:
    """What the weekly HTML page draws beside the week's tables:
    - rate_trend: {leader: [rate or None per week]} with `weeks` (labels), attendance rate per
      leader and week (None where nothing was counted or the counts are hidden by below);
    - moves_by_month: [{month, education, work}] of the ISO year's months up to sunday: participants
      with a transition of the group dated in the month (masked below `below`);
    - follow_up: [{week, alerts_raised, alerts_followed_up, alerts_open, median_...}] per week."""
    from kimu_cli import suppression, transitions

    spans = _weeks(sunday, weeks)
    alert_days = AlertDays(conn)
    alert_days.span(spans[0][1] - timedelta(days=1), spans[-1][2])  # every day of the weeks in one pass
    trend: dict[str, list[float | None]] = {}
    follow: list[WeekFigures] = []
    for i, (label, start, end) in enumerate(spans):
        for r in attendance.rates(conn, start.isoformat(), end.isoformat(), by="leader"):
            hidden = any(suppression.small(r[k], below) for k in ("participants", "present", "absent"))
            trend.setdefault(r["leader"], [None] * len(spans))[i] = None if hidden else r["rate"]
        follow.append({"week": label, **figures(raised(conn, start, end, alert_days), below)})
    year = spans[-1][1].isocalendar().year
    last = dates.parse(sunday)
    months: dict[str, dict[str, set[str]]] = {}
    for t in transitions.list_transitions(conn, date(year, 1, 1).isoformat(), last.isoformat()):
        if t["group"] in ("education", "work"):
            months.setdefault(t["date"][:7], {"education": set(), "work": set()})[t["group"]].add(t["ref"])
    moves: list[Moves] = []
    for month in range(1, (last.month if last.year == year else 12) + 1):
        key = f"{year}-{month:02d}"
        found = months.get(key, {"education": set(), "work": set()})
        moves.append({"month": key, "education": suppression.mask(len(found["education"]), below),
                      "work": suppression.mask(len(found["work"]), below)})
    return {"weeks": [label for label, _, _ in spans], "rate_trend": dict(sorted(trend.items())),
            "moves_by_month": moves, "follow_up": follow}

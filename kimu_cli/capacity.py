"""Capacity: about 20 participants per leader per year, and at most max_concurrent at once."""

from kimu_cli import dates
from kimu_cli.errors import KimuError
from kimu_cli.vocab import EXCLUDED_END_REASON

# A leader's ({leader}) enrollments during a year (overlapping it); registered in error do not count.
IN_YEAR = """
    leader_id = {leader} AND start_date <= :year_end AND coalesce(end_date, '9999-12-31') >= :year_start
    AND coalesce(end_reason, '') <> :excluded
"""
# Distinct participants a leader follows during a year, and those active on a day.
FOLLOWED_IN_YEAR = "SELECT count(DISTINCT participant_id) FROM enrollments WHERE " + IN_YEAR
ACTIVE_ON = """
    SELECT count(*) FROM enrollments
    WHERE leader_id = {leader} AND start_date <= :on
      AND coalesce(end_date, '9999-12-31') >= :on
      AND coalesce(end_reason, '') <> :excluded
"""


def _params(leader_id, on, year=None):
    """The parameters of IN_YEAR and ACTIVE_ON: a leader, a day, a year (default the day's)."""
    year = year or on[:4]
    return {"leader_id": leader_id, "on": on, "year_start": f"{year}-01-01", "year_end": f"{year}-12-31",
            "excluded": EXCLUDED_END_REASON}


def usage(conn, leader_id, on, year=None):
    """(followed during year -- default on's year --, active on on) for one leader."""
    params = _params(leader_id, on, year)
    return (
        conn.execute(FOLLOWED_IN_YEAR.format(leader=":leader_id"), params).fetchone()[0],
        conn.execute(ACTIVE_ON.format(leader=":leader_id"), params).fetchone()[0],
    )


def check_room(conn, leader, start, force=False, participant_id=None):
    """Refuse one more participant for leader from start when that breaks a limit.

    The yearly limit holds in every calendar year the new (open) period overlaps: from start's year
    to the last year in which the leader has a period starting (after it, a year only loses people).
    Returns '' when there is room, or a description of the limit overridden with force.
    participant_id: someone the leader already follows in a year does not count twice in it.
    """
    start = dates.iso(start, "start")
    problems = [f"would follow {count + 1} participants in {year} (yearly capacity {leader['yearly_capacity']})"
                for year, count in _full_years(conn, leader, start, participant_id)]
    active = usage(conn, leader["id"], start)[1]
    if active + 1 > leader["max_concurrent"]:
        problems.append(f"would have {active + 1} active on {start} (max concurrent {leader['max_concurrent']})")
    if not problems:
        return ""
    description = f"leader '{leader['name']}' " + " and ".join(problems)
    if force:
        return description
    raise KimuError("capacity_description_conn_force_overrides", description=description, conn=_room_elsewhere(conn, leader, start))


def _full_years(conn, leader, start, participant_id):
    """(year, followed) of each year from start's on in which the leader has no room for one more."""
    params = {"leader_id": leader["id"], "excluded": EXCLUDED_END_REASON}
    (last,) = conn.execute("SELECT max(start_date) FROM enrollments WHERE leader_id = :leader_id "
                           "AND coalesce(end_reason, '') <> :excluded", params).fetchone()
    full = []
    for year in range(int(start[:4]), max(int(start[:4]), int((last or start)[:4])) + 1):
        params = {**_params(leader["id"], start, str(year)), "participant_id": participant_id}
        count = conn.execute(FOLLOWED_IN_YEAR.format(leader=":leader_id"), params).fetchone()[0]
        already = participant_id is not None and conn.execute(
            f"SELECT 1 FROM enrollments WHERE {IN_YEAR.format(leader=':leader_id')} AND participant_id = :participant_id",
            params).fetchone()
        if not already and count + 1 > leader["yearly_capacity"]:
            full.append((year, count))
    return full


def _room_elsewhere(conn, leader, start):
    others = conn.execute(
        """SELECT id, name, yearly_capacity, max_concurrent FROM leaders
           WHERE site_id = ? AND id <> ? AND (ended IS NULL OR ended >= ?) ORDER BY name""",
        (leader["site_id"], leader["id"], start),
    ).fetchall()
    free = []
    for other in others:
        year_count, active = usage(conn, other["id"], start)
        if year_count < other["yearly_capacity"] and active < other["max_concurrent"]:
            free.append(f"{other['name']} ({other['yearly_capacity'] - year_count} left this year)")
    return "room at the same site: " + ", ".join(free) if free else "no other leader at the same site has room"


def over(row):
    """A capacity row (see report) with a leader over a limit."""
    return row["status"] == "over"


def _status(used, limit):
    return "over" if used > limit else "full" if used == limit else "ok"


def _year_and_day(year, on):
    """The year counted and the day for 'active now': --on alone gives its year; --year alone
    gives today when inside that year, else the nearest day of it."""
    if year is not None and not 1900 <= year <= 2100:
        raise KimuError("capacity_year_plausible_year", year=year)
    if on is not None:
        on = dates.iso(on, "on")
        return year or int(on[:4]), on
    today = dates.today().isoformat()
    if year is None:
        return int(today[:4]), today
    return year, min(max(today, f"{year}-01-01"), f"{year}-12-31")


def report(conn, year=None, on=None, leader=None, site=None):
    """Per leader working during the year: participants followed in the year against
    yearly_capacity and active on `on` against max_concurrent, with the room left.

    Keys: leader, site, year, followed, yearly_capacity, yearly_left, on, active,
    max_concurrent, concurrent_left, status ('ok', 'full': no room for one more, 'over').
    """
    from kimu_cli import leaders

    year, on = _year_and_day(year, on)
    sql = f"""
        SELECT l.*, s.name AS site, ({FOLLOWED_IN_YEAR.format(leader="l.id")}) AS followed,
               ({ACTIVE_ON.format(leader="l.id")}) AS active
        FROM leaders l JOIN sites s ON s.id = l.site_id
        WHERE coalesce(l.started, '0000-01-01') <= :year_end AND coalesce(l.ended, '9999-12-31') >= :year_start
          AND {leaders.FILTER}
        ORDER BY s.name, l.name
    """
    params = {**_params(None, on, year), **leaders.filter_ids(conn, leader, site)}
    out = []
    for row in conn.execute(sql, params):
        followed, active = row["followed"], row["active"]
        statuses = (_status(followed, row["yearly_capacity"]), _status(active, row["max_concurrent"]))
        out.append({
            "leader": row["name"],
            "site": row["site"],
            "year": year,
            "followed": followed,
            "yearly_capacity": row["yearly_capacity"],
            "yearly_left": row["yearly_capacity"] - followed,
            "on": on,
            "active": active,
            "max_concurrent": row["max_concurrent"],
            "concurrent_left": row["max_concurrent"] - active,
            "status": next((s for s in ("over", "full") if s in statuses), "ok"),
        })
    return out


COLUMNS = ["leader", "site", "year", "followed", "yearly_capacity", "yearly_left",
           "on", "active", "max_concurrent", "concurrent_left", "status"]
# What is computed from a count (the room left is the limit less it; the status compares them):
# left out when that count is hidden.
_RESTS_ON = {"yearly_left": ("followed",), "concurrent_left": ("active",), "status": ("followed", "active")}


def suppress(rows, below):
    """The rows with --suppress-below (kimu_cli.suppression): followed and active 1..below-1 as
    '<below', and the room left and the status, which would give them back, None. No row sums to
    another, so nothing more is hidden. The rows stay as they were (--strict reads them)."""
    from kimu_cli import suppression

    if not below or below < 2:
        return rows
    out = []
    for row in rows:
        shown = {**row, "followed": suppression.mask(row["followed"], below),
                 "active": suppression.mask(row["active"], below)}
        for key, bases in _RESTS_ON.items():
            if suppression.rests_on(shown, *bases):
                shown[key] = None
        out.append(shown)
    return out


def document(rows, suppress_below=None):
    """The capacity table as a report document (see render.document); leaders over a limit stand out."""
    columns = [c for c in COLUMNS if c not in ("year", "on")]  # the same for every row: said once above it
    facts = [("year", rows[0]["year"]), ("on", rows[0]["on"])] if rows else []
    doc = {"title": "capacity",
           "sections": [{"facts": facts, "table": {"columns": columns, "rows": rows, "highlight": over}}]}
    if suppress_below:
        doc["note"] = ("suppressed_counts", {"n": suppress_below})
    return doc

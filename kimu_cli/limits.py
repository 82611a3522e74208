"""A leader's limits, as every enrollment must keep them: participants followed during a calendar
year (yearly_capacity, about 20) and at once (max_concurrent). The counting rules, and the check a
new period passes (check_room), wherever a participant is enrolled; `kimu capacity` reports them
(kimu_cli.capacity)."""

import sqlite3
from typing import cast

from kimu_cli import dates, rules
from kimu_cli.errors import KimuError


def in_year(leader: str) -> str:
    """A leader's (an SQL expression) enrollments during a year (overlapping [:year_start, :year_end]);
    registered in error do not count."""
    return f"leader_id = {leader} AND {rules.overlaps(':year_start', ':year_end', '')} AND {rules.counted('')}"


def followed_in_year(leader: str) -> str:
    """Distinct participants a leader follows during a year (the yardstick of yearly_capacity); those
    active on a day: rules.active_on."""
    return f"SELECT count(DISTINCT participant_id) FROM enrollments WHERE {in_year(leader)}"


def year_params(leader_id: int | None, on: str, year: int | str | None = None) -> dict[str, object]:
    """The parameters of in_year and rules.active_on: a leader, a day, a year (default the day's)."""
    year = year or on[:4]
    return {"leader_id": leader_id, "on": on, "year_start": f"{year}-01-01", "year_end": f"{year}-12-31",
            **rules.COUNTED_PARAMS}


def usage(conn: sqlite3.Connection, leader_id: int, on: str, year: int | str | None = None) -> tuple[int, int]:
    """(followed during year -- default on's year --, active on on) for one leader."""
    params = year_params(leader_id, on, year)
    return (
        conn.execute(followed_in_year(":leader_id"), params).fetchone()[0],
        conn.execute(rules.active_on(":leader_id"), params).fetchone()[0],
    )


def check_room(conn: sqlite3.Connection, leader: sqlite3.Row, start: object, force: bool = False,
               participant_id: int | None = None) -> str:
    """Refuse one more participant for leader from start when that breaks a limit.

    The yearly limit holds in every calendar year the new (open) period overlaps: from start's year
    to the last year in which the leader has a period starting (after it, a year only loses people).
    Returns '' when there is room, or a description of the limit overridden with force.
    participant_id: someone the leader already follows in a year does not count twice in it.
    """
    day = cast(str, dates.iso(start, "start"))  # required: the CLI option, a column import insists on
    problems = [f"would follow {count + 1} participants in {year} (yearly capacity {leader['yearly_capacity']})"
                for year, count in _full_years(conn, leader, day, participant_id)]
    active = usage(conn, leader["id"], day)[1]
    if active + 1 > leader["max_concurrent"]:
        problems.append(f"would have {active + 1} active on {day} (max concurrent {leader['max_concurrent']})")
    if not problems:
        return ""
    description = f"leader '{leader['name']}' " + " and ".join(problems)
    if force:
        return description
    raise KimuError("capacity_description_conn_force_overrides", description=description,
                    conn=_room_elsewhere(conn, leader, day))


def _full_years(conn: sqlite3.Connection, leader: sqlite3.Row, start: str,
                participant_id: int | None) -> list[tuple[int, int]]:
    """(year, followed) of each year from start's on in which the leader has no room for one more."""
    params = {"leader_id": leader["id"], **rules.COUNTED_PARAMS}
    (last,) = conn.execute("SELECT max(start_date) FROM enrollments WHERE leader_id = :leader_id "
                           f"AND {rules.counted('')}", params).fetchone()
    full: list[tuple[int, int]] = []
    for year in range(int(start[:4]), max(int(start[:4]), int((last or start)[:4])) + 1):
        params = {**year_params(leader["id"], start, str(year)), "participant_id": participant_id}
        count = conn.execute(followed_in_year(":leader_id"), params).fetchone()[0]
        already = participant_id is not None and conn.execute(
            f"SELECT 1 FROM enrollments WHERE {in_year(':leader_id')} AND participant_id = :participant_id",
            params).fetchone()
        if not already and count + 1 > leader["yearly_capacity"]:
            full.append((year, count))
    return full


def _room_elsewhere(conn: sqlite3.Connection, leader: sqlite3.Row, start: str) -> str:
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

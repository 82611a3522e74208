"""Capacity: about 20 participants per leader per year, and at most max_concurrent at once."""

import sqlite3
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, cast

from kimu_cli import dates, filters, rules
from kimu_cli.errors import KimuError

if TYPE_CHECKING:
    from kimu_cli.render import Document


def in_year(leader: str) -> str:
    """A leader's (an SQL expression) enrollments during a year (overlapping [:year_start, :year_end]);
    registered in error do not count."""
    return f"leader_id = {leader} AND {rules.overlaps(':year_start', ':year_end', '')} AND {rules.counted('')}"


def followed_in_year(leader: str) -> str:
    """Distinct participants a leader follows during a year (the yardstick of yearly_capacity); those
    active on a day: rules.active_on."""
    return f"SELECT count(DISTINCT participant_id) FROM enrollments WHERE {in_year(leader)}"


def _params(leader_id: int | None, on: str, year: int | str | None = None) -> dict[str, object]:
    """The parameters of in_year and rules.active_on: a leader, a day, a year (default the day's)."""
    year = year or on[:4]
    return {"leader_id": leader_id, "on": on, "year_start": f"{year}-01-01", "year_end": f"{year}-12-31",
            **rules.COUNTED_PARAMS}


def usage(conn: sqlite3.Connection, leader_id: int, on: str, year: int | str | None = None) -> tuple[int, int]:
    """(followed during year -- default on's year --, active on on) for one leader."""
    params = _params(leader_id, on, year)
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
        params = {**_params(leader["id"], start, str(year)), "participant_id": participant_id}
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


def over(row: Mapping[str, Any]) -> bool:
    """A capacity row (see report) with a leader over a limit."""
    return row["status"] == "over"


def _status(used: int, limit: int) -> str:
    return "over" if used > limit else "full" if used == limit else "ok"


def _year_and_day(year: int | None, on: object) -> tuple[int, str]:
    """The year counted and the day for 'active now': --on alone gives its year; --year alone
    gives today when inside that year, else the nearest day of it."""
    if year is not None and not 1900 <= year <= 2100:
        raise KimuError("capacity_year_plausible_year", year=year)
    if on is not None:
        day = cast(str, dates.iso(on, "on"))
        return year or int(day[:4]), day
    today = dates.today().isoformat()
    if year is None:
        return int(today[:4]), today
    return year, min(max(today, f"{year}-01-01"), f"{year}-12-31")


class CapacityRow(TypedDict):
    """A line of `kimu capacity` (suppress may hide counts: then '<n' text, and what rests on them None)."""

    leader: str
    site: str
    year: int
    followed: int  # participants followed during the year
    yearly_capacity: int
    yearly_left: int
    on: str  # the day of 'active'
    active: int
    max_concurrent: int
    concurrent_left: int
    status: str  # ok, full (no room for one more) or over


def report(conn: sqlite3.Connection, year: int | None = None, on: object = None, leader: str | None = None,
           site: str | None = None, as_it_stood: bool = False) -> list[CapacityRow]:
    """Per leader working during the year: participants followed in the year against
    yearly_capacity and active on `on` against max_concurrent, with the room left. as_it_stood: the
    year counted up to `on` only, as the register stood at its end (a period starting later is not
    yet known; one ending later still covers the days up to `on`), what history.as_of gives.

    Keys: leader, site, year, followed, yearly_capacity, yearly_left, on, active,
    max_concurrent, concurrent_left, status ('ok', 'full': no room for one more, 'over').
    """
    year, day = _year_and_day(year, on)
    sql = f"""
        SELECT l.*, s.name AS site, ({followed_in_year("l.id")}) AS followed,
               ({rules.active_on("l.id")}) AS active
        FROM leaders l JOIN sites s ON s.id = l.site_id
        WHERE coalesce(l.started, '0000-01-01') <= :year_end AND coalesce(l.ended, '{rules.OPEN_END}') >= :year_start
          AND {filters.WHERE}
        ORDER BY s.name, l.name
    """
    params = {**_params(None, day, year), **filters.params(conn, leader, site)}
    if as_it_stood:
        params["year_end"] = min(cast(str, params["year_end"]), day)
    out: list[CapacityRow] = []
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
            "on": day,
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


def suppress(rows: list[CapacityRow], below: int | None) -> list[dict[str, Any]]:
    """The rows with --suppress-below (kimu_cli.suppression): followed and active 1..below-1 as
    '<below', and the room left and the status, which would give them back, None. No row sums to
    another, so nothing more is hidden. The rows stay as they were (--strict reads them)."""
    from kimu_cli import suppression

    if not below or below < 2:
        return cast(list[dict[str, Any]], rows)
    out = []
    for row in rows:
        shown = {**row, "followed": suppression.mask(row["followed"], below),
                 "active": suppression.mask(row["active"], below)}
        for key, bases in _RESTS_ON.items():
            if suppression.rests_on(shown, *bases):
                shown[key] = None
        out.append(shown)
    return out


def document(rows: Sequence[Mapping[str, Any]], suppress_below: int | None = None) -> "Document":
    """The capacity table as a report document (see render.document); leaders over a limit stand out."""
    columns = [c for c in COLUMNS if c not in ("year", "on")]  # the same for every row: said once above it
    facts = [("year", rows[0]["year"]), ("on", rows[0]["on"])] if rows else []
    doc: Document = {"title": "capacity",
           "sections": [{"facts": facts, "table": {"columns": columns, "rows": rows, "highlight": over}}]}
    if suppress_below:
        doc["note"] = ("suppressed_counts", {"n": suppress_below})
    return doc

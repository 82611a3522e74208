"""`kimu capacity`: per leader, participants followed in the year and at once against their limits
(counted as kimu_cli.limits counts them), and the room left."""

import sqlite3
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, cast

from kimu_cli import dates, filters, limits, rules
from kimu_cli.errors import KimuError

if TYPE_CHECKING:
    from kimu_cli.render import Document


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
        SELECT l.*, s.name AS site, ({limits.followed_in_year("l.id")}) AS followed,
               ({rules.active_on("l.id")}) AS active
        FROM leaders l JOIN sites s ON s.id = l.site_id
        WHERE coalesce(l.started, '0000-01-01') <= :year_last AND coalesce(l.ended, '{rules.OPEN_END}') >= :year_start
          AND {filters.WHERE}
        ORDER BY s.name, l.name
    """
    params = {**limits.year_params(None, day, year), **filters.params(conn, leader, site)}
    params["year_last"] = params["year_end"]  # the leaders of the year: as_of shadows no leader
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

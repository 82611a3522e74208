"""Leaders (arbeidsledere): each belongs to one site and follows participants there."""

import sqlite3
from typing import Any, TypedDict, cast

from kimu_cli import audit, dates, fields, names, rules, sites
from kimu_cli.errors import KimuError

DEFAULT_YEARLY_CAPACITY = 20
DEFAULT_MAX_CONCURRENT = 10


def get(conn: sqlite3.Connection, name: str, field: str = "leader") -> sqlite3.Row:
    """A leader by full name, or by the unambiguous start of a word of it ('kari' or 'nord' for
    'Kari Nordmann'): the daily registration is short to type. Every command finds leaders here
    (kimu_cli.names); an unknown name suggests the closest ones."""
    return names.find(conn, "leader", name, field)


def _check_numbers(yearly_capacity: int | None, max_concurrent: int | None) -> None:
    for field, value in (("yearly-capacity", yearly_capacity), ("max-concurrent", max_concurrent)):
        if value is not None and value < 1:
            raise KimuError("at_least_one", field=field, value=value)


class Leader(TypedDict):
    """A leader as `add` stored it."""

    name: str
    site_id: int
    yearly_capacity: int
    max_concurrent: int
    started: str | None


class Added(Leader):
    """What `add` returns: the leader with its site's full name (the one typed may be its start)."""

    site: str


def add(conn: sqlite3.Connection, name: str, site: str, yearly_capacity: int | None = None,
        max_concurrent: int | None = None, started: object = None) -> Added:
    name = fields.clean(name, "leaders.name") or ""
    if not name:
        raise KimuError("leaders_leader_needs_name")
    _check_numbers(yearly_capacity, max_concurrent)
    if conn.execute("SELECT 1 FROM leaders WHERE name = ?", (name,)).fetchone():
        raise KimuError("leaders_leader_name_already_exists", name=name)
    site_row = sites.get(conn, site)
    values: Leader = {
        "name": name,
        "site_id": site_row["id"],
        "yearly_capacity": yearly_capacity or DEFAULT_YEARLY_CAPACITY,
        "max_concurrent": max_concurrent or DEFAULT_MAX_CONCURRENT,
        "started": dates.iso(started, "started"),
    }
    conn.execute(
        """
        INSERT INTO leaders (name, site_id, yearly_capacity, max_concurrent, started)
        VALUES (:name, :site_id, :yearly_capacity, :max_concurrent, :started)
        """,
        values,
    )
    audit.record(conn, "add", "leader", name, audit.diff({}, {**values, "site": site_row["name"]}))
    return Added(**values, site=site_row["name"])


class LeaderRow(TypedDict):
    """A line of `kimu leader list`."""

    leader: str
    site: str
    yearly_capacity: int
    max_concurrent: int
    started: str | None
    ended: str | None
    active_participants: int  # followed on the date


def list_leaders(conn: sqlite3.Connection, site: str | None = None, include_ended: bool = False,
                 on: object = None) -> list[LeaderRow]:
    on = dates.iso(on or dates.today(), "on")
    site_id = sites.get(conn, site)["id"] if site else None
    sql = f"""
        SELECT l.name AS leader, s.name AS site, l.yearly_capacity, l.max_concurrent,
               l.started, l.ended,
               ({rules.active_on("l.id")}) AS active_participants
        FROM leaders l JOIN sites s ON s.id = l.site_id
        WHERE (:site_id IS NULL OR l.site_id = :site_id)
          AND (:all OR l.ended IS NULL OR l.ended >= :on)
        ORDER BY s.name, l.name
    """
    params = {"on": on, "site_id": site_id, "all": include_ended, **rules.COUNTED_PARAMS}
    return cast(list[LeaderRow], [dict(r) for r in conn.execute(sql, params)])


# edit and end return the leaders row (id, name, site_id, yearly_capacity, max_concurrent, started, ended)
# as it is after the change.


def edit(conn: sqlite3.Connection, name: str, new_name: str | None = None, site: str | None = None,
         yearly_capacity: int | None = None, max_concurrent: int | None = None) -> dict[str, Any]:
    old = dict(get(conn, name))
    _check_numbers(yearly_capacity, max_concurrent)
    changes: dict[str, object] = {}
    if new_name is not None:
        new_name = fields.clean(new_name, "leaders.name") or ""
        other = conn.execute("SELECT 1 FROM leaders WHERE name = ? AND id <> ?", (new_name, old["id"])).fetchone()
        if not new_name or other:
            raise KimuError("leaders_new_name_empty_already", new_name=new_name)
        changes["name"] = new_name
    if site is not None:
        changes["site_id"] = sites.get(conn, site)["id"]
    if yearly_capacity is not None:
        changes["yearly_capacity"] = yearly_capacity
    if max_concurrent is not None:
        changes["max_concurrent"] = max_concurrent
    if not changes:
        raise KimuError("leaders_give_at_least_one")
    _update(conn, old, changes)
    return {**old, **changes}


def end(conn: sqlite3.Connection, name: str, date: object) -> dict[str, Any]:
    """A leader stops: refused while they still follow participants after that date."""
    old = dict(get(conn, name))
    ended = dates.iso(date, "date")
    if old["started"] and ended < old["started"]:
        raise KimuError("leaders_ended_before_leader_started", ended=ended, started=old['started'])
    still = conn.execute(
        f"SELECT count(*) FROM enrollments WHERE leader_id = ? AND {rules.until('')} > ?",
        (old["id"], ended),
    ).fetchone()[0]
    if still:
        raise KimuError(
            "leaders_name_still_follows_still", name=name, still=still, ended=ended
        )
    _update(conn, old, {"ended": ended})
    return {**old, "ended": ended}


def _update(conn: sqlite3.Connection, old: dict[str, Any], changes: dict[str, object]) -> None:
    assignments = ", ".join(f"{column} = :{column}" for column in changes)  # column names are ours
    conn.execute(f"UPDATE leaders SET {assignments} WHERE id = :id", {**changes, "id": old["id"]})
    audit.record(conn, "edit", "leader", old["name"], audit.diff(old, changes))

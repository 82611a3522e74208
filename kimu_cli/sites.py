"""Sites (omsorgssenter): the care homes where leaders and participants work."""

import sqlite3
from typing import TypedDict, cast

from kimu_cli import audit, dates, fields, names, rules
from kimu_cli.errors import KimuError


def get(conn: sqlite3.Connection, name: str, field: str = "site") -> sqlite3.Row:
    """A site by full name, or by the unambiguous start of a word of it (kimu_cli.names)."""
    return names.find(conn, "site", name, field)


class Site(TypedDict):
    """A site as `add` stored it."""

    id: int
    name: str
    municipality: str | None
    nav_office: str | None


def add(conn: sqlite3.Connection, name: str, municipality: str | None = None, nav_office: str | None = None) -> Site:
    name = fields.clean(name, "sites.name") or ""
    if not name:
        raise KimuError("sites_site_needs_name")
    municipality = fields.clean(municipality, "sites.municipality")
    nav_office = fields.clean(nav_office, "sites.nav_office")
    if conn.execute("SELECT 1 FROM sites WHERE name = ?", (name,)).fetchone():
        raise KimuError("sites_site_name_already_exists", name=name)
    values = {"name": name, "municipality": municipality, "nav_office": nav_office}
    cur = conn.execute(
        "INSERT INTO sites (name, municipality, nav_office) VALUES (:name, :municipality, :nav_office)", values
    )
    audit.record(conn, "add", "site", name, audit.diff({}, values))
    return cast(Site, {"id": cur.lastrowid, **values})


class SiteRow(TypedDict):
    """A line of `kimu site list`."""

    site: str
    municipality: str | None
    nav_office: str | None
    leaders: int  # not ended on the date
    active_participants: int  # followed on the date


def list_sites(conn: sqlite3.Connection, on: object = None) -> list[SiteRow]:
    """Every site with its number of current leaders and active participants on a date."""
    on = dates.iso(on or dates.today(), "on")
    sql = f"""
        SELECT s.name AS site, s.municipality, s.nav_office,
               (SELECT count(*) FROM leaders l
                WHERE l.site_id = s.id AND (l.ended IS NULL OR l.ended >= :on)) AS leaders,
               (SELECT coalesce(sum(({rules.active_on("l.id")})), 0) FROM leaders l
                WHERE l.site_id = s.id) AS active_participants
        FROM sites s ORDER BY s.name
    """
    return cast(list[SiteRow], [dict(r) for r in conn.execute(sql, {"on": on, **rules.COUNTED_PARAMS})])

"""The --leader/--site filter of lists and reports: one condition over `leaders l JOIN sites s`
and the parameters it takes. Its own module so that every record and report can use it without
importing one another."""

import sqlite3
from typing import TypedDict

from kimu_cli import leaders, sites

# Rows of leader :leader_id (NULL: every leader) at site :site_id (NULL: every site).
WHERE = "(:leader_id IS NULL OR l.id = :leader_id) AND (:site_id IS NULL OR s.id = :site_id)"


class Params(TypedDict):
    """The parameters of WHERE: None leaves that side open."""

    leader_id: int | None
    site_id: int | None


def params(conn: sqlite3.Connection, leader: str | None = None, site: str | None = None) -> Params:
    """The parameters of WHERE for --leader/--site (a leader by name or its start; unknown names refused)."""
    return {
        "leader_id": leaders.get(conn, leader)["id"] if leader else None,
        "site_id": sites.get(conn, site)["id"] if site else None,
    }

"""The demo: a fictional data set from data/ loaded through the same rules as real input."""

import csv
from importlib import resources
from pathlib import Path

from kimu_cli import leaders, participants, sites


def _data_files():
    """data/ as installed (package kimu_cli.data), or beside the package in a source checkout."""
    try:
        return resources.files("kimu_cli.data")
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "data"


def _read(name):
    with _data_files().joinpath(name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load(conn):
    """Load the demo register into an empty database (inside the caller's transaction)."""
    for row in _read("sites.csv"):
        sites.add(conn, row["site"], row["municipality"], row["nav_office"])
    for row in _read("leaders.csv"):
        leaders.add(conn, row["leader"], row["site"], int(row["yearly_capacity"]),
                    int(row["max_concurrent"]), row["started"])
    _load_enrollments(conn, _read("participants.csv"))


def _load_enrollments(conn, rows):
    """Replay starts and ends in date order, so the capacity rule sees the register as it was."""
    events = [(r["start_date"], 0, r) for r in rows] + [(r["end_date"], 1, r) for r in rows if r["end_date"]]
    seen = set()
    for _, is_end, r in sorted(events, key=lambda e: (e[0], e[1])):
        if is_end:
            participants.end(conn, r["ref"], r["end_date"], r["end_reason"])
        elif r["ref"] in seen:
            participants.reenroll(conn, r["ref"], r["leader"], r["start_date"])
        else:
            seen.add(r["ref"])
            participants.add(
                conn, r["ref"], r["leader"], r["start_date"], name=r["name"], birth_year=r["birth_year"],
                veileder=r["veileder"], goal=r["goal"],
            )


def is_empty(conn):
    return conn.execute("SELECT count(*) FROM sites").fetchone()[0] == 0

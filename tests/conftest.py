"""Fixtures: a real SQLite file in tmp_path, driven through the real CLI."""

import os
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from kimu_cli import db as kimu_db
from kimu_cli.cli import app, hoist_db

TODAY = "2026-11-25"


@pytest.fixture(autouse=True)
def _environment(monkeypatch, tmp_path):
    """A fixed today, no colour, and no way to touch the user's real database."""
    monkeypatch.setenv("KIMU_TODAY", TODAY)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("KIMU_DB", raising=False)
    monkeypatch.delenv("KIMU_LANG", raising=False)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "kimu.db"


class Kimu:
    """Runs `kimu --db <file> ARGS...` through the real Typer app."""

    def __init__(self, path):
        self.path = path
        self.runner = CliRunner()

    def __call__(self, *args, input=None, env=None):
        argv = hoist_db(["--db", str(self.path), *map(str, args)])
        return self.runner.invoke(app, argv, input=input, env=env, prog_name="kimu")

    def ok(self, *args, **kw):
        """Run and insist on success; returns stdout."""
        result = self(*args, **kw)
        assert result.exit_code == 0, f"exit {result.exit_code}: {result.stderr or result.output}"
        return result.stdout

    def fails(self, *args, code=1, **kw):
        """Run and insist on failure with one line on stderr; returns that line."""
        result = self(*args, **kw)
        assert result.exit_code == code, f"exit {result.exit_code}: {result.output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        return result.stderr.strip()

    def connect(self):
        return kimu_db.connect(self.path)

    def query(self, sql, params=()):
        conn = self.connect()
        try:
            return [dict(r) for r in conn.execute(sql, params)]
        finally:
            conn.close()


@pytest.fixture
def kimu(db_path):
    return Kimu(db_path)


@pytest.fixture
def register(kimu):
    """A small register: two sites, three leaders (one with low limits), no participants."""
    kimu.ok("site", "add", "Solbakken omsorgssenter", "--municipality", "Bergen")
    kimu.ok("site", "add", "Åsgården sykehjem")
    kimu.ok("leader", "add", "Kari Nordmann", "--site", "Solbakken omsorgssenter")
    kimu.ok("leader", "add", "Ola Brøndbo", "--site", "Solbakken omsorgssenter")
    kimu.ok("leader", "add", "Håkon Ødegård", "--site", "Åsgården sykehjem", "--yearly-capacity", "3",
            "--max-concurrent", "2")
    return kimu


def identity_number(birth="150585", individual="123"):
    """A valid fødselsnummer computed with the mod-11 rule (for refusal tests)."""
    w1, w2 = (3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

    def check(digits, weights):
        rest = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
        return 0 if rest == 11 else rest

    for start in range(int(individual), int(individual) + 50):
        base = birth + f"{start:03d}"
        k1 = check(base, w1)
        k2 = check(base + str(k1), w2)
        if k1 < 10 and k2 < 10:
            return base + str(k1) + str(k2)
    raise AssertionError("no valid number found")


PERIODS = """ref;leader;site;start_date;end_date;end_reason
P1;Kari Nordmann;Solbakken omsorgssenter;13.01.2026;16.04.2026;other
P1;Ola Brøndbo;Solbakken omsorgssenter;20.04.2026;;
P2;Kari Nordmann;Solbakken omsorgssenter;03.11.2025;10.02.2026;feilregistrert
P2;Håkon Ødegård;Åsgården sykehjem;02.03.2026;14.08.2026;annet løp
P3;Ola Brøndbo;Solbakken omsorgssenter;01.06.2026;;
"""


def _weekdays(start, end):
    day = date.fromisoformat(start)
    while day <= date.fromisoformat(end):
        if day.weekday() < 5:
            yield day.isoformat()
        day += timedelta(days=1)


def _attendance_csv(periods):
    """Every weekday of the periods, absent every third and excused every seventh day."""
    lines = ["ref;date;status"]
    for ref, start, end in periods:
        for i, day in enumerate(_weekdays(start, end)):
            lines.append(f"{ref};{day};{'excused' if i % 7 == 6 else 'absent' if i % 3 == 2 else 'present'}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def history(register, tmp_path):
    """Three participants in five periods (one registered in error, edges mid-month, a change of
    leader in April), every weekday of them registered, then corrected one day at a time."""
    (tmp_path / "periods.csv").write_text(PERIODS, encoding="utf-8")
    register.ok("import", "participants", tmp_path / "periods.csv")
    (tmp_path / "attendance.csv").write_text(_attendance_csv([
        ("P1", "2026-01-13", "2026-04-16"), ("P1", "2026-04-20", "2026-11-24"),
        ("P2", "2025-11-03", "2026-02-10"), ("P2", "2026-03-02", "2026-08-14"), ("P3", "2026-06-01", "2026-11-24"),
    ]), encoding="utf-8")
    register.ok("import", "attendance", tmp_path / "attendance.csv")
    # Corrections one day at a time: a status changed at a month's edges and inside one.
    for day, ref, status in [("2026-04-16", "P1", "absent"), ("2026-04-20", "P1", "excused"),
                             ("2026-03-02", "P2", "absent"), ("2026-06-15", "P3", "absent"),
                             ("2026-06-15", "P3", "present"), ("2026-02-02", "P1", "absent")]:
        register.ok("attendance", "record", day, ref, "--status", status)
    register.ok("attendance", "record", "2026-11-25", "-l", "Ola Brøndbo", "-a", "P3")
    return register


os.environ.setdefault("COLUMNS", "200")

"""Fixtures: a real SQLite file in tmp_path, driven through the real CLI."""

import inspect
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from kimu_cli import db as kimu_db
from kimu_cli.cli import app, hoist_db


def _built_once(typer_app: typer.Typer, _built: dict[int, object] = {}) -> object:  # noqa: B006 -- the cache
    """The Click command tree Typer builds from an app, built once per test process as one `kimu`
    process builds it at its start: typer's CliRunner.invoke builds it again for every command a
    test runs, two thirds of the time of a short command."""
    if id(typer_app) not in _built:
        _built[id(typer_app)] = typer.main.get_command(typer_app)
    return _built[id(typer_app)]


typer.testing._get_command = _built_once  # type: ignore[attr-defined]

TODAY = "2026-11-25"
# A database written by the first schema (migration `initial` only), for the upgrade tests.
SCHEMA_1 = Path(__file__).parent / "fixtures" / "kimu-schema-1.db"


@pytest.fixture(autouse=True)
def _environment(monkeypatch, tmp_path):
    """A fixed today, no colour, and no way to touch the user's real database."""
    monkeypatch.setenv("KIMU_TODAY", TODAY)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("KIMU_DB", raising=False)
    for name in ("KIMU_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):  # English unless a test chooses bokmål
        monkeypatch.delenv(name, raising=False)


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
        return kimu_db.connect(self.path, create=True)

    def snapshot(self):
        """Every table of the register, to compare before and after a command."""
        tables = ("sites", "leaders", "participants", "enrollments", "attendance", "transitions", "contacts",
                  "audit_log")
        return {t: self.query(f"SELECT * FROM {t}") for t in tables}

    def execute(self, *statements):
        """SQL on the file as sqlite3 would run it, one statement at a time: rows written behind
        kimu's back (kimu itself records no day after today; sqlite3 may)."""
        conn = self.connect()
        try:
            for sql in statements:
                conn.execute(sql)
        finally:
            conn.close()

    def query(self, sql, params=()):
        conn = self.connect()
        try:
            return [dict(r) for r in conn.execute(sql, params)]
        finally:
            conn.close()


@pytest.fixture
def kimu(db_path):
    return Kimu(db_path)


_TEMPLATES: dict[str, Path] = {}


def templated(build):
    """A fixture made of a function that builds a register on top of another fixture (its one
    parameter: kimu, register, or another templated fixture) and returns it. It runs once per
    test process; every later test gets a copy of the file it made (and of its -wal, if one is
    left), the same register without paying for its commands again."""
    (base,) = inspect.signature(build).parameters

    @pytest.fixture(name=build.__name__)
    def fixture(request, kimu, tmp_path_factory):
        key = f"{build.__module__}.{build.__qualname__}"
        template = _TEMPLATES.get(key)
        if template is None:
            built = build(request.getfixturevalue(base))
            template = tmp_path_factory.mktemp(f"template-{build.__name__}") / built.path.name
            _copy(built.path, template)
            _TEMPLATES[key] = template
            return built
        _copy(template, kimu.path)
        return kimu

    fixture.__doc__ = build.__doc__
    return fixture


def _copy(source, target):
    for suffix in ("", "-wal"):
        part = source.with_name(source.name + suffix)
        if part.exists():
            shutil.copyfile(part, target.with_name(target.name + suffix))
    target.chmod(0o600)


@templated
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


os.environ.setdefault("COLUMNS", "200")


def weekdays(first: str, last: str) -> Iterator[str]:
    """Monday to Friday from first to last (ISO), as ISO dates: the days a leader registers."""
    day = date.fromisoformat(first)
    while day <= date.fromisoformat(last):
        if day.weekday() < 5:
            yield day.isoformat()
        day += timedelta(days=1)


def file_with(path: Path, *statements: str) -> kimu_db.Connection:
    """A new kimu file at path with statements run on it in one transaction: rows written behind the
    core's back (as the triggers allow), for tests of the core alone; its connection, open."""
    conn = kimu_db.connect(path, create=True)
    with kimu_db.transaction(conn):
        for sql in statements:
            conn.execute(sql)
    return conn


@contextmanager
def core(kimu):
    """A connection to kimu's file in one write transaction, committed at the end: builds data
    through the core functions (fast, the same rules as the CLI) where the CLI is not the point."""
    conn = kimu.connect()
    try:
        with kimu_db.transaction(conn):
            yield conn
    finally:
        conn.close()


"""What every command needs: the database of this invocation and the shared options."""

from contextlib import contextmanager
from enum import Enum
from typing import Annotated

import typer


def choices(name, values):
    """An Enum of option values for Typer ("table csv json" -> table, csv, json)."""
    return Enum(name, {value: value for value in values.split()}, type=str)


Format = choices("Format", "table csv json")
ReportFormat = choices("ReportFormat", "table text csv json markdown")


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table for people, csv or json for scripts.")]
ReportFormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="table, text (plain, for mail), csv, json or markdown.")
]
# The --leader/--site filters of lists and reports (leaders.filter_ids).
LeaderFilter = Annotated[str | None, typer.Option("--leader", "-l", help="Only this leader (or the start of a name).")]
SiteFilter = Annotated[str | None, typer.Option("--site", help="Only this site.")]
DateOption = Annotated[str, typer.Option(help="Date as 2026-11-20 or 20.11.2026.")]


def db_option(ctx):
    """The --db of this invocation (None: KIMU_DB or the default file)."""
    return ctx.find_root().params.get("db")


def _open(ctx, create):
    from kimu_cli import db, render

    return db.connect(db_option(ctx), command=ctx.command_path.removeprefix("kimu "), create=create,
                      notify=render.error)


@contextmanager
def reading(ctx):
    """A command that only reads: one snapshot of the file for all its statements. A missing
    database is an error, never created."""
    from kimu_cli import db

    with connection(ctx) as conn, db.snapshot(conn):
        yield conn


@contextmanager
def connection(ctx, create=False):
    """The database in autocommit mode, for a command that opens its own transactions (import);
    create: a command that adds data may create a missing database."""
    conn = _open(ctx, create)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def writing(ctx, create=False):
    """The command's one transaction: all of it is written, or none. create: the command adds data,
    so it may create a missing database (site, leader and participant add)."""
    from kimu_cli import db

    conn = _open(ctx, create)
    try:
        with db.transaction(conn):
            yield conn
    finally:
        conn.close()

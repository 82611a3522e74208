"""What every command needs: the database of this invocation and the shared options."""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from typer.core import TyperGroup

# Rich help and error boxes only for a person at a terminal; plain text for pipes, cron and NO_COLOR.
_MARKUP: Literal["rich"] | None = (  # a stream the shell closed (>&-) is None
    "rich" if all(stream and stream.isatty() for stream in (sys.stdout, sys.stderr))
    and "NO_COLOR" not in os.environ else None
)

from kimu_cli import labels
from kimu_cli.cli import complete


def new_app(help_text: str, cls: type[TyperGroup] = TyperGroup, completion: bool = False) -> typer.Typer:
    """A Typer app (the root or a noun's group) as every kimu command has it; completion: the root's
    --install-completion / --show-completion (kimu_cli.cli.complete)."""
    return typer.Typer(
        cls=cls, help=help_text, no_args_is_help=True, add_completion=completion, pretty_exceptions_enable=False,
        rich_markup_mode=_MARKUP,
    )

if TYPE_CHECKING:
    from kimu_cli.db import Connection


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class ReportFormat(str, Enum):
    table = "table"
    text = "text"
    csv = "csv"
    json = "json"
    markdown = "markdown"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table for people, csv or json for scripts.")]
ReportFormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="table, text (plain, for mail), csv, json or markdown.")
]
# The --leader/--site filters of lists and reports (kimu_cli.filters).
LeaderFilter = Annotated[str | None, typer.Option("--leader", "-l", help="Only this leader (or the start of a name).",
                                                  autocompletion=complete.complete_leader)]
SiteFilter = Annotated[str | None, typer.Option("--site", help="Only this site (or the start of a name).",
                                                autocompletion=complete.complete_site)]
# A participant's ref, as an argument and as --ref (completed from the database in use).
RefArgument = Annotated[str, typer.Argument(help=labels.text("help_ref", "en"), autocompletion=complete.complete_ref)]
RefFilter = Annotated[str | None, typer.Option(help=labels.text("help_only_ref", "en"),
                                               autocompletion=complete.complete_ref)]
DateOption = Annotated[str, typer.Option(help="Date as 2026-11-20 or 20.11.2026.")]
# --yes: a start, end or transition date more than a year ahead or before 2015 is meant (dates.likely).
YesDatesOption = Annotated[bool, typer.Option("--yes", help=labels.text("help_yes_dates", "en"))]


def db_option(ctx: typer.Context) -> Any:
    """The --db of this invocation (None: KIMU_DB or the default file)."""
    return ctx.find_root().params.get("db")


@contextmanager
def reading(ctx: typer.Context) -> Iterator["Connection"]:
    """A command that only reads: one snapshot of the file for all its statements. A missing
    database is an error, never created."""
    from kimu_cli import db

    with connection(ctx) as conn, db.snapshot(conn):
        yield conn


@contextmanager
def connection(ctx: typer.Context, create: bool = False) -> Iterator["Connection"]:
    """The database in autocommit mode, for a command that opens its own transactions (import);
    create: a command that adds data may create a missing database (saying so on stderr)."""
    from kimu_cli import db, render

    conn = db.connect(db_option(ctx), command=ctx.command_path.removeprefix("kimu "), create=create,
                      notify=render.error)
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def writing(ctx: typer.Context, create: bool = False) -> Iterator["Connection"]:
    """The command's one transaction: all of it is written, or none. create: the command adds data,
    so it may create a missing database (site, leader and participant add)."""
    from kimu_cli import db

    with connection(ctx, create) as conn, db.transaction(conn):
        yield conn

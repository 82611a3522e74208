"""`kimu export KIND`: the register as CSV (the columns import takes), JSON or xlsx."""

from enum import Enum
from typing import Annotated

import typer

from kimu_cli import labels
from kimu_cli.cli.common import reading


class Kind(str, Enum):
    participants = "participants"
    enrollments = "enrollments"
    attendance = "attendance"
    transitions = "transitions"
    contacts = "contacts"
    leaders = "leaders"
    sites = "sites"


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


def export(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(help="What to export.")],
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="csv, json or xlsx.")] = ExportFormat.csv,
    output: Annotated[str | None, typer.Option("--output", "-o", metavar="<path>", help="File to write (mode 0600, put in "
                                                   "place whole) [default: standard output, or '-'].")] = None,
    excel: Annotated[bool, typer.Option("--excel", help="CSV for a Norwegian Excel: ';', BOM, dd.mm.yyyy.")] = False,
    from_: Annotated[str | None, typer.Option("--from", help="From this date (attendance, transitions, contacts; "
                                                 "participants and enrollments: periods overlapping).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Up to this date (inclusive).")] = None,
) -> None:
    """Export to CSV, JSON or xlsx; the CSV imports back with `kimu import` unchanged."""
    from kimu_cli import exporter, outputs, render

    with reading(ctx) as conn:
        count = exporter.export(conn, kind.value, format.value, output, excel, from_, to)
    if not outputs.is_stdout(output):
        render.message(labels.t("export_done", count=count, kind=labels.coded("entity", kind.value), output=output))

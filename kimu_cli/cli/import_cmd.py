"""`kimu import participants|attendance|transitions|contacts FILE`: CSV files from Excel or scripts, and
workbooks (.xlsx, .ods, .xls) as they are."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kimu_cli import labels
from kimu_cli.cli.common import Format, FormatOption, YesDatesOption, connection


class Kind(str, Enum):
    participants = "participants"
    attendance = "attendance"
    transitions = "transitions"
    contacts = "contacts"


def import_(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(help="What the file holds.")],
    file: Annotated[Path, typer.Argument(help="CSV file (';', ',' or tab; UTF-8, UTF-16 or Windows-1252), or a "
                                              "workbook (.xlsx, .ods, .xls), known by its content.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check every row and report; write nothing.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Override the capacity rule (recorded).")] = False,
    encoding: Annotated[str | None, typer.Option(help="CSV: utf-8, utf-8-sig, cp1252 or utf-16 [default: decided from the whole file].")] = None,
    delimiter: Annotated[str | None, typer.Option(help="CSV: ';', ',' or 'tab' [default: detected].")] = None,
    sheet: Annotated[str | None, typer.Option(help="Workbook: the sheet to read [default: the first].")] = None,
    header_row: Annotated[int | None, typer.Option(help="Workbook: the row number of the header [default: the first "
                                                          "row, or the one row below a title that has the columns].")] = None,
    format: FormatOption = Format.table,
    yes: YesDatesOption = False,
) -> None:
    """Import a CSV file or a workbook's sheet: all rows or none; importing the same file again
    changes nothing.

    Headers in English or Norwegian (ref/deltaker, date/dato, status/oppmøte, ...), dates
    2026-11-20 or 20.11.2026 (in a workbook also date cells). Every error of the file is
    listed with its line, or in a workbook its cell (Oppmøte!C14).
    """
    from kimu_cli import dates, importer, render

    importer.check_source(file)  # before a missing database is created for it
    with connection(ctx, create=not dry_run) as conn, \
            render.progress(labels.t("import_progress", name=file.name)) as progress, dates.unlikely_accepted(yes):
        summary = importer.run(conn, kind.value, file, encoding, delimiter, dry_run, force, progress, sheet, header_row)
    render.import_summary(summary, format.value)


from typing import Annotated

import typer

from kimu_cli.cli.complete import complete_ref
from kimu_cli.cli.common import Format, FormatOption, reading


def audit(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Only changes from this date, UTC (2026-11-20 or "
                                                 "20.11.2026).")] = None,
    ref: Annotated[str | None, typer.Option(help="Only changes to this participant (under any ref they "
                                               "had).", autocompletion=complete_ref)] = None,
    limit: Annotated[int | None, typer.Option(help="Only the last N changes.", min=1)] = None,
    format: FormatOption = Format.table,
):
    """Who changed what, when and with which command (read-only: the log cannot be edited)."""
    from kimu_cli import audit as audit_log
    from kimu_cli import render

    with reading(ctx) as conn:
        rows = audit_log.entries(conn, since, ref, limit)
    if format is not Format.json:  # one readable cell; json keeps {field: [old, new]} for scripts
        rows = [{**r, "changes": audit_log.describe(r["changes"])} for r in rows]
    render.rows(rows, format.value, columns=list(audit_log.COLUMNS))

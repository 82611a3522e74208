from collections.abc import Mapping, Sequence
from typing import Annotated

import typer

from kimu_cli.cli.common import Format, FormatOption, reading
from kimu_cli.cli.complete import complete_ref


def audit(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Only changes from this date, UTC (2026-11-20 or "
                                                 "20.11.2026).")] = None,
    ref: Annotated[str | None, typer.Option(help="Only changes to this participant (under any ref they "
                                               "had).", autocompletion=complete_ref)] = None,
    limit: Annotated[int | None, typer.Option(help="Only the last N changes.", min=1)] = None,
    format: FormatOption = Format.table,
) -> None:
    """Who changed what, when and with which command (read-only: the log cannot be edited)."""
    from kimu_cli import audit as audit_log
    from kimu_cli import dates, participants, render

    with reading(ctx) as conn:
        dates.iso(since, "since")  # checked before the ref, as ever
        participant_id = participants.get(conn, ref)["id"] if ref is not None else None
        entries = audit_log.entries(conn, since, participant_id, limit)
    rows: Sequence[Mapping[str, object]] = entries
    if format is not Format.json:  # one readable cell; json keeps {field: [old, new]} for scripts
        rows = [{**r, "changes": audit_log.describe(r["changes"])} for r in entries]
    render.rows(rows, format.value, columns=list(audit_log.COLUMNS))

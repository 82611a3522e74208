import sys
from typing import Annotated

import typer

from kimu_cli import labels
from kimu_cli.cli.common import Format, FormatOption, reading, writing
from kimu_cli.errors import KimuError


def _interactive() -> bool:
    return sys.stdin.isatty()


def purge(
    ctx: typer.Context,
    ended_before: Annotated[str, typer.Option(help="Anonymise participants whose last enrollment ended before "
                                              "this date (2026-11-20 or 20.11.2026).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List who would be anonymised; change nothing.")] = False,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask (for scripts).")] = False,
    format: FormatOption = Format.table,
) -> None:
    """Anonymise participants who ended long ago; the numbers in the summaries stay the same."""
    from kimu_cli import purge as purging
    from kimu_cli import render

    with reading(ctx) as conn:
        found = purging.candidates(conn, ended_before)
    if dry_run:
        render.rows(found, format.value, columns=["ref", "last_end_date"],
                    title=labels.t("purge_dry_run", count=len(found)))
        return
    if not found:
        render.message(labels.t("purge_nothing", date=ended_before))
        return
    if not yes:
        if not _interactive():
            raise KimuError("purge_count_participant_would_be", count=len(found))
        typer.confirm(labels.t("purge_confirm", count=len(found), date=ended_before), abort=True)
    with writing(ctx) as conn:
        done = purging.purge(conn, ended_before)
    render.message(labels.t("purge_done", count=len(done)))

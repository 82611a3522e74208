from typing import Annotated

import typer

from kimu_cli.cli.common import LeaderFilter, ReportFormat, ReportFormatOption, SiteFilter, reading

SuppressOption = Annotated[
    int | None,
    typer.Option("--suppress-below", min=2, help="Show counts 1..N-1 as '<N', hide ('x') what would give them "
                 "back, leave out rates and costs resting on them and rows about single participants."),
]


def capacity(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option(help="The year counted [default: the year of --on].")] = None,
    on: Annotated[str | None, typer.Option(help="The day for 'active now' [default: today].")] = None,
    leader: LeaderFilter = None,
    site: SiteFilter = None,
    format: ReportFormatOption = ReportFormat.table,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 3 when a leader is over capacity (for cron).")] = False,
    suppress_below: SuppressOption = None,
) -> None:
    """Per leader: participants followed in the year against the yearly capacity, and active
    on the day against max concurrent, with the room left. Leaders over a limit stand out."""
    from kimu_cli import capacity as core
    from kimu_cli import labels, render
    from kimu_cli.errors import CheckFailed

    language = labels.current()
    with reading(ctx) as conn:
        rows = core.report(conn, year, on, leader, site)
    shown = core.suppress(rows, suppress_below)
    if format.value in ("csv", "json"):
        render.rows(shown, format.value, core.COLUMNS)
    else:
        render.document(core.document(shown, suppress_below), format.value, language)
    over = [r["leader"] for r in rows if core.over(r)]
    if strict and over:
        raise CheckFailed("capacity_count_leader_over_capacity", count=len(over), over=', '.join(over))

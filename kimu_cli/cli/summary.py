from enum import Enum
from typing import Annotated

import typer

from kimu_cli.cli.capacity import SuppressOption
from kimu_cli.cli.common import ReportFormat, ReportFormatOption, connection, new_app, reading

app = new_app("Reports: outcomes of a cohort, cost, and the weekly summary for cron.")

FromOption = Annotated[str | None, typer.Option("--from", help="First day [default: the first enrollment].")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last day [default: today].")]


class By(str, Enum):
    site = "site"
    leader = "leader"
    year = "year"


class WeeklyFormat(str, Enum):
    text = "text"
    table = "table"
    markdown = "markdown"
    json = "json"
    html = "html"


@app.command("outcomes")
def outcomes(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    by: Annotated[By | None, typer.Option(help="Groups per site, leader or year of start.")] = None,
    format: ReportFormatOption = ReportFormat.table,
    suppress_below: SuppressOption = None,
) -> None:
    """The cohort whose enrollment started in the window: how many moved on to education or work,
    per transition kind, still followed, ended by reason, median days to the first move, attendance."""
    from kimu_cli import labels, render
    from kimu_cli import outcomes as core

    language = labels.current()
    group = by.value if by else None
    with reading(ctx) as conn:
        result = core.summary(conn, start, end, group, suppress_below)
    if format.value == "json":
        render.record(result, "json")
    elif format.value == "csv":
        render.rows(core.rows(result, group), "csv")
    else:
        render.document(core.document(result, group), format.value, language)


@app.command("cost")
def cost(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    monthly_cost: Annotated[int, typer.Option(help="NOK per participant-month in this model.")] = 3500,
    compare: Annotated[int, typer.Option(help="NOK per participant-month in the purchased alternative (AFT).")] = 18000,
    format: ReportFormatOption = ReportFormat.table,
    suppress_below: SuppressOption = None,
) -> None:
    """Participant-months followed, their cost here and in AFT, and the cost per participant who moved on."""
    from kimu_cli import labels, render
    from kimu_cli import outcomes as core

    language = labels.current()
    with reading(ctx) as conn:
        result = core.cost(conn, start, end, monthly_cost, compare, suppress_below)
    if format.value == "json":
        render.record(result, "json")
    elif format.value == "csv":
        render.rows([result], "csv")
    else:
        render.document(core.cost_document(result), format.value, language)


@app.command("weekly")
def weekly(
    ctx: typer.Context,
    week: Annotated[str | None, typer.Option(help="ISO week: 48 (this year), 2026-48 or 2026-W48 [default: the last "
                                                "complete week].")] = None,
    format: Annotated[WeeklyFormat, typer.Option("--format", "-f", help="text (a mail body), table (terminal tables), markdown, json or html.")]
    = WeeklyFormat.text,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", metavar="<path>", help="Write to this file (mode 0600, put in place whole) instead of stdout ('-').")] = None,
    names: Annotated[bool, typer.Option("--names", help="Show names in the alert list, not only refs.")] = False,
    suppress_below: SuppressOption = None,
) -> None:
    """The week for the coordinator (and cron): active, new and ended, transitions, attendance per
    leader, who needs follow-up, capacity, and the outcomes so far this year."""
    from kimu_cli import db, labels, outputs
    from kimu_cli import weekly as core

    language = labels.current()
    with connection(ctx) as conn:  # the summary takes its own snapshot (two connections)
        database = db.file_of(conn)
        if output is not None and not outputs.is_stdout(output):
            outputs.check_target(output, database)  # before the work, not after it
        make = core.with_trends if format.value == "html" else core.summary  # the page's 12-week charts
        result = make(conn, week, names, suppress_below)
    core.write(result, format.value, language, output, database)
    if not outputs.is_stdout(output):
        from kimu_cli import render

        render.wrote(labels.text("wrote_weekly", language, week=result["week"], path=output))

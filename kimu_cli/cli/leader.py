from typing import Annotated

import typer

from kimu_cli import labels
from kimu_cli.cli.common import DateOption, Format, FormatOption, SiteFilter, new_app, reading, writing
from kimu_cli.cli.complete import complete_leader, complete_site

LeaderName = Annotated[str, typer.Argument(help="The leader (or the start of a name).", autocompletion=complete_leader)]

app = new_app("Leaders (arbeidsledere): each follows participants at one site.")

@app.command("add")
def add(
    ctx: typer.Context,
    name: str,
    site: Annotated[str, typer.Option(help="The site the leader works at (or the start of a name).",
                                      autocompletion=complete_site)],
    yearly_capacity: Annotated[int | None, typer.Option(help="Participants per year [default: 20].")] = None,
    max_concurrent: Annotated[int | None, typer.Option(help="Participants at once [default: 10].")] = None,
    started: Annotated[str | None, typer.Option(help="First day as leader.")] = None,
) -> None:
    """Add a leader at a site."""
    from kimu_cli import leaders, render

    with writing(ctx, create=True) as conn:
        leader = leaders.add(conn, name, site, yearly_capacity, max_concurrent, started)
    render.message(labels.t("leader_added", name=leader["name"], site=leader["site"], yearly=leader["yearly_capacity"],
                            concurrent=leader["max_concurrent"]))


@app.command("list")
def list_(
    ctx: typer.Context,
    site: SiteFilter = None,
    all: Annotated[bool, typer.Option("--all", help="Include leaders who have ended.")] = False,
    format: FormatOption = Format.table,
) -> None:
    """Leaders with their limits and active participants today."""
    from kimu_cli import leaders, render

    with reading(ctx) as conn:
        render.rows(leaders.list_leaders(conn, site, all), format.value)


@app.command("edit")
def edit(
    ctx: typer.Context,
    name: LeaderName,
    new_name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    site: Annotated[str | None, typer.Option(help="Move to this site (or the start of a name).",
                                             autocompletion=complete_site)] = None,
    yearly_capacity: Annotated[int | None, typer.Option(help="New participants per year (else kept).")] = None,
    max_concurrent: Annotated[int | None, typer.Option(help="New participants at once (else kept).")] = None,
) -> None:
    """Change a leader's name, site or limits."""
    from kimu_cli import leaders, render

    with writing(ctx) as conn:
        leader = leaders.edit(conn, name, new_name, site, yearly_capacity, max_concurrent)
    render.message(labels.t("leader_updated", name=leader["name"]))


@app.command("end")
def end(ctx: typer.Context, name: LeaderName, date: DateOption) -> None:
    """Record the leader's last day (refused while they still follow participants)."""
    from kimu_cli import leaders, render

    with writing(ctx) as conn:
        ended = leaders.end(conn, name, date)
    render.message(labels.t("leader_ended", name=ended["name"], date=date))

from typing import Annotated

import typer

from kimu_cli import labels
from kimu_cli.cli import complete
from kimu_cli.cli.common import (
    DateOption,
    Format,
    FormatOption,
    LeaderFilter,
    RefArgument,
    RefFilter,
    SiteFilter,
    YesDatesOption,
    new_app,
    reading,
    writing,
)

app = new_app("Transitions (overganger) to education or work, and milestones such as fagbrev.")

KINDS_HELP = ("mfy, apprenticeship, education, job_permanent, job_part_time, job_summer, job_weekend, "
              "job_other, fagbrev, kompetansebevis (or the Norwegian words: opplæringskontrakt, lærling, "
              "fast stilling, deltid, sommerjobb, fagbrev, ...).")


@app.command("add")
def add(
    ctx: typer.Context,
    ref: RefArgument,
    kind: Annotated[str, typer.Argument(help=KINDS_HELP, autocompletion=complete.complete_kind)],
    date: DateOption,
    detail: Annotated[str | None, typer.Option(help="Employer or school.")] = None,
    note: Annotated[str | None, typer.Option(help="Short note.")] = None,
    end: Annotated[bool, typer.Option("--end", help="End the open enrollment on this date (reason moved_on); "
                                      "without it the leader keeps following (Helt i mål).")] = False,
    yes: YesDatesOption = False,
) -> None:
    """Record a move to education or work, or a milestone."""
    from kimu_cli import dates, render, transitions

    day = dates.likely(date, "date", "transition_date", yes, ahead=False)  # the future: refused anyway
    with writing(ctx) as conn:
        t = transitions.add(conn, ref, kind, day, detail, note, end)
    follow = labels.t("transition_ended_enrollment" if end else "transition_follow_up_continues")
    render.message(labels.t("transition_added", id=t["id"], ref=t["ref"], kind=labels.coded("kind", t["kind"]),
                            date=t["date"], follow=follow))


@app.command("list")
def list_(
    ctx: typer.Context,
    start: Annotated[str | None, typer.Option("--from", help="First day.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only this kind (Norwegian words accepted).",
                                             autocompletion=complete.complete_kind)] = None,
    leader: LeaderFilter = None,
    site: SiteFilter = None,
    ref: RefFilter = None,
    format: FormatOption = Format.table,
) -> None:
    """Transitions, oldest first."""
    from kimu_cli import render, transitions

    with reading(ctx) as conn:
        items = transitions.list_transitions(conn, start, end, kind, leader, site, ref)
    render.rows(items, format.value, columns=list(transitions.COLUMNS))


@app.command("remove")
def remove(ctx: typer.Context,
           id: Annotated[int, typer.Argument(help="The id shown by 'kimu transition list'.")]) -> None:
    """Remove a transition recorded in error (an enrollment it ended stays ended)."""
    from kimu_cli import render, transitions

    with writing(ctx) as conn:
        t = transitions.remove(conn, id)
    render.message(labels.t("transition_removed", id=t["id"], ref=t["ref"], kind=labels.coded("kind", t["kind"]),
                            date=t["date"]))

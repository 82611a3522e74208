from enum import Enum
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
    SiteFilter,
    YesDatesOption,
    new_app,
    reading,
    writing,
)

app = new_app("Participants (deltakere) and their enrollments.")

class Status(str, Enum):  # participants.STATUSES
    active = "active"
    waiting = "waiting"
    ended = "ended"
    all = "all"


NameOption = Annotated[str | None, typer.Option(help="Name (optional; store only what the work needs).")]
BirthYearOption = Annotated[int | None, typer.Option(help="Birth year (never a birth date or identity number).")]
VeilederOption = Annotated[str | None, typer.Option(help="NAV veileder.")]
GoalOption = Annotated[str | None, typer.Option(help="The participant's goal, e.g. helsefagarbeider.")]
NotesOption = Annotated[str | None, typer.Option(help="Short notes.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Override the capacity rule (recorded).")]


@app.command("add")
def add(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Your own reference, e.g. D-2026-014 (never an identity number).")],
    leader: Annotated[str, typer.Option("--leader", "-l", help="The leader who follows the participant (or the "
                                        "start of a name).", autocompletion=complete.complete_leader)],
    start: DateOption,
    name: NameOption = None,
    birth_year: BirthYearOption = None,
    veileder: VeilederOption = None,
    goal: GoalOption = None,
    notes: NotesOption = None,
    force: ForceOption = False,
    yes: YesDatesOption = False,
) -> None:
    """Add a participant with a first enrollment."""
    from kimu_cli import dates, participants, render, timeline

    start_day = dates.likely(start, "start", "start_date", yes)
    with writing(ctx, create=True) as conn:
        p = timeline.show(conn, participants.add(
            conn, ref, leader, start_day, force,
            name=name, birth_year=birth_year, veileder=veileder, goal=goal, notes=notes,
        ))
    render.message(labels.t("participant_added", ref=p["ref"], leader=p["enrollments"][-1]["leader"],
                            start=p["enrollments"][-1]["start_date"], status=labels.coded("status", p["status"])))


@app.command("list")
def list_(
    ctx: typer.Context,
    leader: LeaderFilter = None,
    site: SiteFilter = None,
    status: Annotated[Status, typer.Option(help="Status today (all: every participant).")] = Status.active,
    format: FormatOption = Format.table,
) -> None:
    """Participants with their current (or last) enrollment."""
    from kimu_cli import participants, render

    with reading(ctx) as conn:
        render.rows(participants.list_participants(conn, leader, site, status.value), format.value)


@app.command("show")
def show(ctx: typer.Context, ref: RefArgument, format: FormatOption = Format.table) -> None:
    """One participant's details, status and timeline: periods with their attendance rate, absences
    in a row, excused spells, transitions, corrections; on a terminal an attendance calendar."""
    from kimu_cli import labels, participants, render, timeline

    with reading(ctx) as conn:
        shown = timeline.show(conn, ref)
        days = timeline.calendar(conn, participants.get(conn, ref)["id"]) if format is Format.table else None
    if format is Format.table:
        render.participant(shown, days, labels.current())
    else:
        render.record(shown, format.value)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: RefArgument,
    new_ref: Annotated[str | None, typer.Option("--ref", help="New reference.")] = None,
    name: NameOption = None,
    birth_year: BirthYearOption = None,
    veileder: VeilederOption = None,
    goal: GoalOption = None,
    notes: NotesOption = None,
    leader: Annotated[str | None, typer.Option("--leader", "-l", help="Correct the leader of the current "
                                               "enrollment (or the start of a name).",
                                               autocompletion=complete.complete_leader)] = None,
    start: Annotated[str | None, typer.Option(help="Correct the start of the current enrollment.")] = None,
    yes: YesDatesOption = False,
) -> None:
    """Correct a participant's details (a real change of leader is end + reenroll)."""
    from kimu_cli import dates, participants, render

    start = dates.likely(start, "start", "start_date", yes)
    with writing(ctx) as conn:
        ref = participants.edit(
            conn, ref, new_ref, leader, start,
            name=name, birth_year=birth_year, veileder=veileder, goal=goal, notes=notes,
        )
    render.message(labels.t("participant_updated", ref=ref))


@app.command("end")
def end(
    ctx: typer.Context,
    ref: RefArgument,
    date: DateOption,
    reason: Annotated[str, typer.Option(help="moved_on, other_path, dropped_out, moved_away, health, "
                                        "never_started, needs_other_support, registered_in_error, other "
                                        "(or the Norwegian words).", autocompletion=complete.complete_reason)] = "other",
    yes: YesDatesOption = False,
) -> None:
    """End the participant's open enrollment."""
    from kimu_cli import dates, participants, render, timeline

    end_day = dates.likely(date, "date", "end_date", yes)
    with writing(ctx) as conn:
        p = timeline.show(conn, participants.end(conn, ref, end_day, reason))
    last = p["enrollments"][-1]
    render.message(labels.t("participant_ended", ref=p["ref"], date=last["end_date"],
                            reason=labels.coded("end_reason", last["end_reason"])))


@app.command("reenroll")
def reenroll(
    ctx: typer.Context,
    ref: RefArgument,
    leader: Annotated[str, typer.Option("--leader", "-l", help="The leader who follows the new period (or the "
                                        "start of a name).", autocompletion=complete.complete_leader)],
    start: DateOption,
    force: ForceOption = False,
    yes: YesDatesOption = False,
) -> None:
    """Start a new enrollment for a participant who comes back (history is kept)."""
    from kimu_cli import dates, participants, render, timeline

    start_day = dates.likely(start, "start", "start_date", yes)
    with writing(ctx) as conn:
        p = timeline.show(conn, participants.reenroll(conn, ref, leader, start_day, force))
    render.message(labels.t("participant_reenrolled", ref=p["ref"], leader=p["enrollments"][-1]["leader"],
                            start=p["enrollments"][-1]["start_date"]))

from typing import Annotated

import typer

from kimu_cli import labels
from kimu_cli.cli import new_app
from kimu_cli.cli.common import DateOption, Format, FormatOption, LeaderFilter, SiteFilter, choices, reading, writing

app = new_app("Participants (deltakere) and their enrollments.")

Status = choices("Status", "active waiting ended all")  # participants.STATUSES

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
    leader: Annotated[str, typer.Option(help="The leader who follows the participant.")],
    start: DateOption,
    name: NameOption = None,
    birth_year: BirthYearOption = None,
    veileder: VeilederOption = None,
    goal: GoalOption = None,
    notes: NotesOption = None,
    force: ForceOption = False,
):
    """Add a participant with a first enrollment."""
    from kimu_cli import participants, render

    with writing(ctx, create=True) as conn:
        p = participants.show(conn, participants.add(
            conn, ref, leader, start, force,
            name=name, birth_year=birth_year, veileder=veileder, goal=goal, notes=notes,
        ))
    render.message(labels.t("participant_added", ref=p["ref"], leader=leader, start=p["enrollments"][-1]["start_date"],
                            status=labels.coded("status", p["status"])))


@app.command("list")
def list_(
    ctx: typer.Context,
    leader: LeaderFilter = None,
    site: SiteFilter = None,
    status: Annotated[Status, typer.Option(help="Status today (all: every participant).")] = Status.active,
    format: FormatOption = Format.table,
):
    """Participants with their current (or last) enrollment."""
    from kimu_cli import participants, render

    with reading(ctx) as conn:
        render.rows(participants.list_participants(conn, leader, site, status.value), format.value)


@app.command("show")
def show(ctx: typer.Context, ref: str, format: FormatOption = Format.table):
    """One participant's details and timeline."""
    from kimu_cli import participants, render

    with reading(ctx) as conn:
        render.record(participants.show(conn, ref), format.value)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: str,
    new_ref: Annotated[str | None, typer.Option("--ref", help="New reference.")] = None,
    name: NameOption = None,
    birth_year: BirthYearOption = None,
    veileder: VeilederOption = None,
    goal: GoalOption = None,
    notes: NotesOption = None,
    leader: Annotated[str | None, typer.Option(help="Correct the leader of the current enrollment.")] = None,
    start: Annotated[str | None, typer.Option(help="Correct the start of the current enrollment.")] = None,
):
    """Correct a participant's details (a real change of leader is end + reenroll)."""
    from kimu_cli import participants, render

    with writing(ctx) as conn:
        ref = participants.edit(
            conn, ref, new_ref, leader, start,
            name=name, birth_year=birth_year, veileder=veileder, goal=goal, notes=notes,
        )
    render.message(labels.t("participant_updated", ref=ref))


@app.command("end")
def end(
    ctx: typer.Context,
    ref: str,
    date: DateOption,
    reason: Annotated[str, typer.Option(help="moved_on, other_path, dropped_out, moved_away, health, "
                                        "never_started, needs_other_support, registered_in_error, other "
                                        "(or the Norwegian words).")] = "other",
):
    """End the participant's open enrollment."""
    from kimu_cli import participants, render

    with writing(ctx) as conn:
        p = participants.show(conn, participants.end(conn, ref, date, reason))
    last = p["enrollments"][-1]
    render.message(labels.t("participant_ended", ref=p["ref"], date=last["end_date"],
                            reason=labels.coded("end_reason", last["end_reason"])))


@app.command("reenroll")
def reenroll(
    ctx: typer.Context,
    ref: str,
    leader: Annotated[str, typer.Option(help="The leader who follows the new period.")],
    start: DateOption,
    force: ForceOption = False,
):
    """Start a new enrollment for a participant who comes back (history is kept)."""
    from kimu_cli import participants, render

    with writing(ctx) as conn:
        p = participants.show(conn, participants.reenroll(conn, ref, leader, start, force))
    render.message(labels.t("participant_reenrolled", ref=p["ref"], leader=leader,
                            start=p["enrollments"][-1]["start_date"]))

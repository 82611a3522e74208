from enum import Enum
from typing import Annotated, Any

import typer

from kimu_cli import labels
from kimu_cli.cli import complete
from kimu_cli.cli.common import (
    Format,
    FormatOption,
    LeaderFilter,
    RefFilter,
    SiteFilter,
    new_app,
    reading,
    writing,
)

app = new_app("Attendance (oppmøte/fravær): record the day, list it, rates and who needs a call.")

FromOption = Annotated[str | None, typer.Option("--from", help="First day [default: 28 days before --to].")]
ToOption = Annotated[str | None, typer.Option("--to", help="Last day [default: today].")]


class By(str, Enum):
    participant = "participant"
    leader = "leader"
    site = "site"


def _refs(values: list[str] | None) -> list[str]:
    """'A,B' and repeated options -> [A, B]."""
    return [ref.strip() for value in values or [] for ref in value.split(",") if ref.strip()]


@app.command("record")
def record(
    ctx: typer.Context,
    date: Annotated[str, typer.Argument(help="The day, 2026-11-20 or 20.11.2026.")],
    refs: Annotated[list[str] | None, typer.Argument(help="Participants given --status.",
                                                        show_default=False,
                                                        autocompletion=complete.complete_ref)] = None,
    status: Annotated[str, typer.Option("--status", "-s", help="For the REFS: present, absent, excused "
                                        "(or møtt, fravær, gyldig fravær).",
                                        autocompletion=complete.complete_status)] = "present",
    leader: Annotated[str | None, typer.Option("--leader", "-l", help="The whole day of this leader (or the "
                                                  "start of a name): everyone not named is present.",
                                                  autocompletion=complete.complete_leader)] = None,
    absent: Annotated[list[str] | None, typer.Option("--absent", "-a", help="Absent refs (A,B).",
                                                           autocompletion=complete.complete_refs)] = None,
    excused: Annotated[list[str] | None, typer.Option("--excused", "-e", help="Excused refs (A,B).",
                                                            autocompletion=complete.complete_refs)] = None,
    hours: Annotated[str | None, typer.Option(help="Hours worked, 7.5 or 7,5 (for everyone recorded).")] = None,
    note: Annotated[str | None, typer.Option(help="Short note (for everyone recorded).")] = None,
) -> None:
    """Record a day. With --leader, everyone else that leader follows that day is marked present:

    \b
    kimu attendance record 20.11.2026 -l kari -a D-2026-014,D-2026-020 -e D-2026-003

    Recording a day again corrects it (the old values stay in the audit log).
    """
    from kimu_cli import attendance, render

    statuses = [(r, status) for r in _refs(refs)] + [(r, "absent") for r in _refs(absent)]
    statuses += [(r, "excused") for r in _refs(excused)]
    with writing(ctx) as conn:
        done = attendance.record(conn, date, statuses, leader, hours, note)
    who = f" {done['leader']}" if done["leader"] else ""
    render.message(labels.t("attendance_recorded", who=who, **{k: done[k] for k in (
        "date", "present", "absent", "excused", "added", "corrected", "unchanged")}))


@app.command("list")
def list_(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    leader: LeaderFilter = None,
    site: SiteFilter = None,
    ref: RefFilter = None,
    format: FormatOption = Format.table,
) -> None:
    """Attendance day by day (default: the last 28 days)."""
    from kimu_cli import attendance, render

    with reading(ctx) as conn:
        items = attendance.list_attendance(conn, start, end, leader, site, ref)
    render.rows(items, format.value, columns=list(attendance.COLUMNS))


@app.command("rates")
def rates(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    by: Annotated[By, typer.Option(help="One row per participant, leader or site.")] = By.participant,
    leader: LeaderFilter = None,
    site: SiteFilter = None,
    format: FormatOption = Format.table,
) -> None:
    """Attendance rate = present / (present + absent); excused days do not count against anyone."""
    from kimu_cli import attendance, render

    with reading(ctx) as conn:
        items = attendance.rates(conn, start, end, by.value, leader, site)
    columns = [*attendance.RATE_KEYS[by.value], *attendance.COUNT_COLUMNS]
    render.rows(items, format.value, columns=columns)


@app.command("alerts")
def alerts(
    ctx: typer.Context,
    on: Annotated[str | None, typer.Option(help="The day to look from [default: today].")] = None,
    absences: Annotated[int | None, typer.Option(help="Absences in a row, excused days not counted "
                                                    "[default: 3].")] = None,
    min_rate: Annotated[float | None, typer.Option(help="Lowest acceptable attendance rate (0-1) over --days "
                                                      "[default: 0.8].")] = None,
    days: Annotated[int | None, typer.Option(help="The window for the rate and missing registrations, in "
                                                "days (at most 366) [default: 14].")] = None,
    missing_days: Annotated[int | None, typer.Option(help="Days without registration while the leader "
                                                        "registered others [default: 1].")] = None,
    leader: LeaderFilter = None,
    site: SiteFilter = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 3 when an alert is open (for cron).")] = False,
    open_: Annotated[bool, typer.Option("--open", help="Only open alerts: no contact since the trouble "
                                        "began ('kimu contact add').")] = False,
    format: FormatOption = Format.table,
) -> None:
    """Who needs a call now: absences in a row, a low rate, missing registrations. Open alerts first;
    one with a contact on or after the day its trouble began (since) is followed up."""
    from kimu_cli import attendance, contacts
    from kimu_cli.cli.contact import render_alerts

    thresholds: dict[str, Any] = {"absences_in_row": absences, "min_rate": min_rate, "window_days": days,
                                  "missing_days": missing_days}
    with reading(ctx) as conn:  # the defaults live in the core; pass only what was given
        items = attendance.alerts(conn, on, leader=leader, site=site,
                                  **{k: v for k, v in thresholds.items() if v is not None})
        items = contacts.followed_up(conn, items, on)
    if open_:
        items = [a for a in items if not a["followed_up"]]
    render_alerts(items, format.value, labels.t("alerts_title"))
    if strict and any(not a["followed_up"] for a in items):
        raise typer.Exit(3)

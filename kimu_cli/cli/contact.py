from collections.abc import Sequence
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from kimu_cli.cli.common import LeaderFilter, SiteFilter, new_app, reading, writing

if TYPE_CHECKING:
    from kimu_cli.attendance import Alert
    from kimu_cli.contacts import Contact

app = new_app("Follow-up contacts (kontakter): a call, meeting, message or visit about a participant.")



class ListFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


WITH_HELP = ("participant, veileder, leader, school or employer (deltaker, veileder, arbeidsleder, skole, "
             "arbeidsgiver).")
HOW_HELP = "phone, meeting, message or visit (telefon, møte, melding, besøk)."


@app.command("add")
def add(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The participant.")],
    with_: Annotated[str, typer.Option("--with", help=WITH_HELP)],
    how: Annotated[str, typer.Option("--how", help=HOW_HELP)],
    date: Annotated[str | None, typer.Option(help="Date as 2026-11-20 or 20.11.2026 [default: today].")] = None,
    note: Annotated[str | None, typer.Option(help="Short note (optional; no identity numbers).")] = None,
) -> None:
    """Log a contact: the next alert list shows the participant's alert followed up."""
    from kimu_cli import contacts, render

    with writing(ctx) as conn:
        c = contacts.add(conn, ref, with_, how, date, note)
    render.message(_said("contact_added", c))


@app.command("list")
def list_(
    ctx: typer.Context,
    ref: Annotated[str | None, typer.Option(help="Only this participant.")] = None,
    leader: LeaderFilter = None,
    site: SiteFilter = None,
    start: Annotated[str | None, typer.Option("--from", help="First day.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day.")] = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f", help="table, csv, json or markdown.")]
    = ListFormat.table,
) -> None:
    """Contacts, oldest first, each with the enrollment it falls in."""
    from kimu_cli import contacts, render

    with reading(ctx) as conn:
        items = contacts.list_contacts(conn, start, end, leader, site, ref)
    render.rows(items, format.value, columns=list(contacts.COLUMNS))


@app.command("remove")
def remove(ctx: typer.Context, id: Annotated[int, typer.Argument(help="The id shown by 'kimu contact list'.")]) -> None:
    """Remove a contact recorded in error."""
    from kimu_cli import contacts, render

    with writing(ctx) as conn:
        c = contacts.remove(conn, id)
    render.message(_said("contact_removed", c))


def _said(key: str, c: "Contact") -> str:
    """A contact added or removed, in words of the run's language (telefon, not phone, in bokmål)."""
    from kimu_cli import contacts, labels

    return labels.t(key, id=c["id"], ref=c["ref"], date=c["date"], with_whom=contacts.word("with", c["with"]),
                    how=contacts.word("how", c["how"]))


# The alert list's columns: attendance.ALERT_COLUMNS, then the follow-up.
ALERT_COLUMNS = ("ref", "name", "leader", "site", "alert", "detail", "since", "last_contact", "followed_up")


def render_alerts(items: Sequence["Alert"], fmt: str, title: str) -> None:
    """`attendance alerts`: followed_up true/false in JSON and CSV, yes/no in a table, which marks the
    open alerts ('!' in plain text, bold red on a terminal)."""
    from kimu_cli import render

    render.rows(items, fmt, columns=list(ALERT_COLUMNS), title=title, highlight=lambda a: a["followed_up"] is False)

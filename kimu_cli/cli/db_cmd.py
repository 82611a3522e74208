from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kimu_cli import labels
from kimu_cli.cli.common import Format, FormatOption, db_option, new_app, reading, writing

if TYPE_CHECKING:
    from kimu_cli.redaction import Found

app = new_app("The database file: where it is, whether it is sound, recounts, backups and restores.")


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the database file in use (--db > KIMU_DB > the user's data directory)."""
    from kimu_cli import db, render

    render.message(str(db.resolve_path(db_option(ctx))))


@app.command("init")
def init(ctx: typer.Context) -> None:
    """Create an empty database (mode 0600 in a 0700 folder) and print its path; an existing kimu
    database is left as it is (upgraded if older)."""
    from kimu_cli import db, render

    conn = db.connect(db_option(ctx), command="db init", create=True, notify=render.error)
    try:
        render.message(str(db.file_of(conn)))
    finally:
        conn.close()


@app.command("check")
def check(
    ctx: typer.Context,
    format: FormatOption = Format.table,
    head: Annotated[str | None, typer.Option(
        "--head", metavar="ROW:CHAIN",
        help="Also check that the audit log's row ROW still has this chain, as a weekly summary noted it "
             "('Audit log up to row (chain)', JSON audit_head).")] = None,
) -> None:
    """Integrity, foreign keys and the domain rules; exit 3 when a problem is found.

    Example: kimu db check --head "118: 3f9c...e21a"   (the head from an earlier weekly summary)
    """
    from kimu_cli import checks, render

    noted = _noted_head(head) if head is not None else None
    with reading(ctx) as conn:
        problems = checks.run(conn) + (checks.noted_head(conn, *noted) if noted else [])
    if problems:
        render.rows(problems, format.value, title=labels.t("problems_found", count=len(problems)))
        raise typer.Exit(3)
    if format is Format.table:
        render.message(labels.t("check_ok"))
    else:
        render.rows([], format.value, columns=["check", "record", "fix"])


def _noted_head(text: str) -> tuple[int, str]:
    """ROW:CHAIN as a weekly summary prints it ('118: 3f9c...'), spaces allowed around the colon."""
    import re

    from kimu_cli.errors import KimuError

    found = re.fullmatch(r"\s*(\d+)\s*:\s*([0-9a-f]{64})\s*", text)
    if not found:
        raise KimuError("head: give the row and the 64-character chain as the weekly summary prints them "
                        "(ROW: CHAIN)")
    return int(found[1]), found[2]


@app.command("redact")
def redact(
    ctx: typer.Context,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask (for scripts).")] = False,
) -> None:
    """Mask every national identity number found in the file (its digits become •), in every table
    and in the audit log, after 'db check' found one that got in behind kimu's back.

    Example: kimu db check; kimu db redact --yes
    """
    import sys

    from kimu_cli import labels, redaction, render
    from kimu_cli.errors import CheckFailed, KimuError

    with reading(ctx) as conn:
        found = redaction.find(conn)
    if not found:
        render.message(labels.t("redact_nothing"))
        return
    masked = [place for place in found if redaction.maskable(place)]
    done: list[Found] = []
    if masked:
        places = _places(masked)
        if not yes:
            if not sys.stdin.isatty():
                raise KimuError("db_count_identity_number_found", count=len(masked), places=places)
            typer.confirm(labels.t("redact_confirm", count=len(masked), places=places), abort=True)
        with writing(ctx) as conn:
            done = redaction.redact(conn)
        if done:
            render.message(labels.t("redact_done", count=len(done), places=_places(done)))
    kept = [place for place in found if place not in done]
    if kept:  # the rest is masked: one line for what only a backup can take away
        raise CheckFailed("redact_kept", count=len(kept), places=_places(kept))


def _places(found: "list[Found]") -> str:
    """The first five places (table, row, column), never the numbers."""
    from kimu_cli import labels

    return ", ".join(labels.t("redact_place", table=p["table"], row=p["row"], column=p["column"])
                     for p in found[:5]) + (", ..." if len(found) > 5 else "")


@app.command("recount")
def recount(ctx: typer.Context) -> None:
    """Count the reports' pre-counted facts again from the tables (when 'db check' says they differ)."""
    from kimu_cli import checks, labels, render

    with writing(ctx) as conn:
        wrong = checks.recount(conn)
    if wrong:
        named = ", ".join(map(str, wrong[:checks.SHOWN])) + (", ..." if len(wrong) > checks.SHOWN else "")
        render.message(labels.t("recount_done", count=len(wrong), named=named))
    else:
        render.message(labels.t("recount_nothing"))


@app.command("backup")
def backup(
    ctx: typer.Context,
    dest: Annotated[str, typer.Argument(
        help="Backup file, or a folder for kimu-<time>.db inside it (one ending in / is created if new).")],
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing backup file.")] = False,
) -> None:
    """A consistent copy of the database (safe while others write), readable by you only."""
    from kimu_cli import backup as backups
    from kimu_cli import labels, render

    with reading(ctx) as conn:
        done = backups.backup(conn, dest, overwrite)
    render.message(labels.t("backup_done", backup=done["backup"], size=render.number(done["bytes"])))


@app.command("restore")
def restore(ctx: typer.Context,
            src: Annotated[Path, typer.Argument(help="A backup made by 'kimu db backup'.")]) -> None:
    """Replace the database with a checked backup; the replaced database is kept beside it."""
    from kimu_cli import backup as backups
    from kimu_cli import labels, render

    done = backups.restore(db_option(ctx), src)
    kept = labels.t("restore_kept", kept=done["replaced_kept_as"]) if done["replaced_kept_as"] else ""
    render.message(labels.t("restore_done", database=done["database"], restored=done["restored"], kept=kept))

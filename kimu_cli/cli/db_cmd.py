import typer

from kimu_cli.cli import new_app
from kimu_cli.cli.common import Format, FormatOption, reading

app = new_app("The database file: where it is and whether it is sound.")


@app.command("path")
def path(ctx: typer.Context):
    """Print the database file in use (--db > KIMU_DB > the user's data directory)."""
    from kimu_cli import db, render

    render.message(str(db.resolve_path(ctx.find_root().params.get("db"))))


@app.command("check")
def check(ctx: typer.Context, format: FormatOption = Format.table):
    """Integrity, foreign keys and the domain rules; exit 3 when a problem is found."""
    from kimu_cli import checks, render

    with reading(ctx) as conn:
        problems = checks.run(conn)
    if problems:
        render.rows(problems, format.value, title=f"{len(problems)} problem(s) found")
        raise typer.Exit(3)
    if format is Format.table:
        render.message("ok: integrity, foreign keys and domain rules")
    else:
        render.rows([], format.value, columns=["check", "record", "fix"])

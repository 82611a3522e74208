from pathlib import Path
from typing import Annotated

import typer

from kimu_cli.cli.common import db_option
from kimu_cli.errors import KimuError


def demo(
    ctx: typer.Context,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the data in the --db/KIMU_DB file (the database there is kept "
                                                              "beside it, as <file>.replaced-<time>).")] = False,
) -> None:
    """Build a database from the fictional demo data set and show an overview.

    With --db or KIMU_DB it writes there (a file that holds data only with --replace, which keeps
    the replaced database beside it); otherwise to kimu-demo.db beside the default database, never
    into the real one.
    """
    from kimu_cli import attendance, capacity, db, labels, outcomes, render
    from kimu_cli import demo as demo_data

    chosen = db_option(ctx)
    path = db.resolve_path(chosen) if chosen is not None else db.default_path().with_name("kimu-demo.db")
    if path.exists() and (replace or not chosen):
        _clear(path, keep=bool(chosen))
    conn = db.connect(path, command="demo", create=True, notify=render.error)
    try:
        if not demo_data.is_empty(conn):
            raise KimuError("demo_path_already_holds_data", path=path)
        with db.transaction(conn):
            demo_data.load(conn)
        lang = labels.current()
        render.document(outcomes.document(outcomes.summary(conn, by="year"), "year"), "table", lang)
        render.message("")
        render.document(capacity.document(capacity.report(conn)), "table", lang)
        render.message("")
        from kimu_cli import contacts  # open alerts first; one followed up by the demo's contact today
        from kimu_cli.cli.contact import render_alerts

        render_alerts(contacts.followed_up(conn, attendance.alerts(conn)), "table", labels.t("alerts_today_title"))
    finally:
        conn.close()
    render.message(labels.t("demo_done", path=path))


def _clear(path: Path, keep: bool) -> None:
    """Make room for the demo at path. Only a kimu database is removed: anything else (another
    program's file, a FIFO, a device, a folder) is refused as it is, by db.connect. keep: the file
    is the user's (--db, KIMU_DB, which may be their real register), so its database is first kept
    beside it as a restore keeps the one it replaces; kimu-demo.db is the demo's own."""
    from kimu_cli import backup, db, labels, render

    holds = path.stat().st_size > 0  # an empty file has nothing to keep
    conn = db.connect(path, command="demo", migrate=False, create=True)  # create: an empty file is room too
    try:
        kept = backup.backup(conn, backup.kept_name(path))["backup"] if keep and holds else None
    finally:
        conn.close()
    for file in db.with_sidecars(path):
        file.unlink(missing_ok=True)
    if kept:
        render.error(labels.t("demo_kept", path=path, kept=kept))

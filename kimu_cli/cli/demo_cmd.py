from pathlib import Path
from typing import Annotated

import typer

from kimu_cli.cli.common import db_option
from kimu_cli.errors import KimuError


def demo(
    ctx: typer.Context,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the data in the --db/KIMU_DB file.")] = False,
) -> None:
    """Build a database from the fictional demo data set and show an overview.

    With --db or KIMU_DB it writes there (a file that holds data only with --replace);
    otherwise to kimu-demo.db beside the default database, never into the real one.
    """
    from kimu_cli import attendance, capacity, db, labels, outcomes, render
    from kimu_cli import demo as demo_data

    chosen = db_option(ctx)
    path = db.resolve_path(chosen) if chosen else db.default_path().with_name("kimu-demo.db")
    if path.exists() and (replace or not chosen):
        _remove(path)
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


def _remove(path: Path) -> None:
    from kimu_cli import db

    for file in db.with_sidecars(path):
        file.unlink(missing_ok=True)

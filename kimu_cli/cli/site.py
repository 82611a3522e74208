from typing import Annotated

import typer

from kimu_cli import labels
from kimu_cli.cli.common import Format, FormatOption, new_app, reading, writing

app = new_app("Sites (omsorgssentre) where leaders and participants work.")


@app.command("add")
def add(
    ctx: typer.Context,
    name: str,
    municipality: Annotated[str | None, typer.Option(help="Kommune.")] = None,
    nav_office: Annotated[str | None, typer.Option(help="NAV office that refers participants.")] = None,
) -> None:
    """Add a site."""
    from kimu_cli import render, sites

    with writing(ctx, create=True) as conn:
        site = sites.add(conn, name, municipality, nav_office)
    render.message(labels.t("site_added", name=site["name"]))


@app.command("list")
def list_(ctx: typer.Context, format: FormatOption = Format.table) -> None:
    """Sites with their leaders and active participants today."""
    from kimu_cli import render, sites

    with reading(ctx) as conn:
        render.rows(sites.list_sites(conn), format.value)

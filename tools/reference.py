"""Write the command part of docs/reference.md from the Typer app itself.

    python tools/reference.py           # rewrite the generated section of docs/reference.md
    python tools/reference.py --check   # exit 1 if the file differs from what would be written

The section between the two GENERATED markers is the whole command tree of `kimu_cli.cli.app`:
every group and command with its help, its usage line, and every argument and option with its
type or choices, its default, its environment variable and its help. Everything outside the
markers is written by hand (formats, JSON keys, CSV columns) and left as it is.
tests/test_docs.py fails when the checked-in file is not what this script writes, so a new
option or a changed help text needs only a re-run of this script.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference.md"
BEGIN = "<!-- BEGIN GENERATED: commands (python tools/reference.py) -->"
END = "<!-- END GENERATED: commands -->"


def _cell(text: str) -> str:
    """Text for one markdown table cell: one line, no column breaks, no HTML."""
    return " ".join(text.split()).replace("|", "\\|").replace("<", "&lt;")


def _help(text: str | None) -> list[str]:
    """A command's help as markdown: paragraphs joined into lines; a paragraph after a line of
    only '\\b' (Click's "do not rewrap") is kept as it is, in a code block."""
    out: list[str] = []
    verbatim = False
    for paragraph in (text or "").strip().split("\n\n"):
        lines = paragraph.split("\n")
        if lines and lines[0].strip() == "\b":
            lines, verbatim = lines[1:], True
        if verbatim:
            out += ["```", *[line.strip() for line in lines], "```", ""]
            verbatim = False
        else:
            out += [" ".join(" ".join(lines).split()), ""]
    return out


# Typer's names of types -> a reader's ("list[str]": an option given more than once, or an argument
# of several values, is marked as such in the table).
_WORDS = {"str": "text", "int": "integer", "float": "number", "list[str]": "text", "int range": "integer",
          "float range": "number"}


def _type(param, ctx) -> str:
    try:  # Typer >= 0.29: "<int>", "<table|csv|json>", "<list[str]>"
        shown = param.display_type(ctx)
    except (AttributeError, TypeError):
        shown = getattr(getattr(param, "type", None), "name", "")
    shown = _WORDS.get((shown or "").strip("<>"), (shown or "").strip("<>"))
    if getattr(param, "is_flag", False):
        return "flag"
    if getattr(param, "min", None) is not None or getattr(param, "max", None) is not None:
        low = "" if param.min is None else f"{param.min}"
        high = "" if param.max is None else f"{param.max}"
        return f"{shown} ({low}..{high})"
    return shown


def _default(param) -> str:
    default = param.default
    if getattr(param, "is_flag", False):
        return "on" if default else "off"
    if default is None or default == ():
        return "required" if param.required else ""
    if isinstance(default, Enum):
        return f"`{default.value}`"
    if isinstance(default, (list, tuple)):
        return ", ".join(f"`{d}`" for d in default)
    return f"`{default}`"


def _name(param) -> str:
    if param.param_type_name == "argument":
        return f"`{param.name.upper()}`" + (" …" if param.nargs == -1 else "")
    names = sorted(param.opts, key=len, reverse=True) + list(param.secondary_opts)
    return ", ".join(f"`{n}`" for n in names)


def _params(command, ctx) -> list[str]:
    params = [p for p in command.params if not getattr(p, "hidden", False)]
    if not params:
        return []
    lines = ["| argument / option | type | default | environment | help |", "|---|---|---|---|---|"]
    for p in params:
        envvar = p.envvar if isinstance(p.envvar, str) else ", ".join(p.envvar or ())
        many = " (repeatable)" if getattr(p, "multiple", False) else ""
        lines.append(f"| {_name(p)} | {_cell(_type(p, ctx))}{many} | {_default(p)} | "
                     f"{f'`{envvar}`' if envvar else ''} | {_cell(getattr(p, 'help', None) or '')} |")
    return [*lines, ""]


def _walk(command, ctx, depth: int) -> list[str]:
    path = ctx.command_path
    out = [f"{'#' * min(depth, 5)} `{path}`", ""]
    out += _help(command.help)
    usage = " ".join([path, *command.collect_usage_pieces(ctx)])  # not get_usage: it wraps to the terminal
    out += [f"Usage: `{usage}`", ""]
    out += _params(command, ctx)
    out += _help(command.epilog)  # the examples (kimu_cli.cli.examples)
    if hasattr(command, "commands"):  # a group: its commands, in the order --help lists them
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                out += _walk(sub, _context()(sub, info_name=name, parent=ctx), depth + 1)
    return out


def _context():
    """Click's Context class: Typer >= 0.29 carries its own Click (typer._click), older Typer used click."""
    try:
        from typer._click.core import Context
    except ImportError:
        from click import Context
    return Context


def generate() -> str:
    """The generated section, markers included."""
    sys.path.insert(0, str(ROOT))
    import typer.main

    from kimu_cli.cli import app

    root = typer.main.get_command(app)
    lines = _walk(root, _context()(root, info_name="kimu"), 3)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join([BEGIN, "", *lines, "", END])


def render(current: str) -> str:
    """The whole reference with its generated section replaced."""
    start, stop = current.find(BEGIN), current.find(END)
    if start < 0 or stop < start:
        raise SystemExit(f"{REFERENCE}: the markers {BEGIN!r} and {END!r} are missing")
    return current[:start] + generate() + current[stop + len(END):]


def main(argv: list[str]) -> int:
    current = REFERENCE.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in argv:
        if wanted != current:
            print(f"{REFERENCE.relative_to(ROOT)} is out of date: run `python tools/reference.py`", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        REFERENCE.write_text(wanted, encoding="utf-8")
        print(f"wrote {REFERENCE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The `kimu` command: noun-verb subcommands that parse options, call the core and render.

Errors of the project's own type become one line on stderr and an exit code here,
in one place (KimuGroup), so no command handles them itself.
"""

import errno
import os
import sqlite3
import sys
from collections.abc import Collection, Iterable
from functools import cache
from pathlib import Path, PurePath
from typing import Annotated, Any, TextIO

import typer
from typer.core import TyperGroup

from kimu_cli import labels as _labels
from kimu_cli.cli.common import new_app
from kimu_cli.errors import KimuError, Lines, one_line


class KimuGroup(TyperGroup):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Typer builds the root group with every command under it: each gets its examples here."""
        from kimu_cli.cli import examples

        super().__init__(*args, **kwargs)
        examples.attach(self)

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """--db anywhere on the line, also for tab completion (which does not pass through main())."""
        return super().make_context(info_name, hoist_db(list(args)), parent=parent, **extra)

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Every text kimu prints leaves through here: an identity number in it (from a mistyped
        option, a file, a database written behind kimu's back) is masked on stdout and stderr alike,
        whichever part of kimu, Typer or Click wrote it. The language of the run is chosen here, once,
        before anything is parsed, so help texts and Click's own messages follow it too."""
        from kimu_cli import idnumber, labels
        from kimu_cli.cli import language

        args = hoist_db(sys.argv[1:] if args is None else list(args))
        previous = labels.current()
        labels.set_language(labels.choose(_lang_option(args)))
        language.translate(self)
        streams = sys.stdout, sys.stderr
        # The numbers written in the command line, as written: an error message that repeats a typed
        # value repeats it as typed, maybe in a form a printed line does not read as one (two spaces apart).
        given = idnumber.written_in(args)
        sys.stdout, sys.stderr = _Masked(sys.stdout, given), _Masked(sys.stderr, given)
        try:
            return super().main(args, *rest, **kwargs)
        finally:
            sys.stdout, sys.stderr = streams
            labels.set_language(previous)

    def invoke(self, ctx: Any) -> Any:
        from kimu_cli import labels, render

        try:
            return super().invoke(ctx)
        except KimuError as e:
            render.error(_quoted_masked(e))
            ctx.exit(e.exit_code)
        except sqlite3.IntegrityError as e:
            render.error(labels.t("database_refused", error=e))
            ctx.exit(1)
        except sqlite3.OperationalError as e:
            from kimu_cli import db
            from kimu_cli.cli.common import db_option

            render.error(database_error(e, db.resolve_path(db_option(ctx))))
            ctx.exit(1)
        except UnicodeEncodeError as e:
            if not _undecoded(e):
                raise
            render.error(labels.t("text_not_utf8", text=_undecoded(e)))
            ctx.exit(1)
        except OverflowError as e:  # a number past what SQLite or a date can hold
            render.error(labels.t("number_out_of_range", error=e))
            ctx.exit(1)
        except BrokenPipeError:  # `kimu ... | head`
            sys.stderr.close()
            ctx.exit(0)
        except OSError as e:
            if e.errno != errno.ENOSPC:  # standard output on a full disk (> /dev/full): said, not a bug
                raise
            render.error(labels.t("output_not_written", error=e.strerror))
            ctx.exit(1)
        except (typer.Exit, typer.Abort, typer.TyperException):  # usage errors and exits: Typer's own
            raise
        except Exception as e:  # a bug: one line for the user, the traceback on request
            if os.environ.get("KIMU_DEBUG"):
                raise
            render.error(labels.t("internal_error", kind=type(e).__name__, error=e))
            ctx.exit(1)


def _undecoded(error: UnicodeEncodeError) -> str:
    """What a message shows of a text holding a byte that was not UTF-8 ("'B?rum' (byte 0xE6)"), or ''
    for an error of another kind. Python hands over command-line words (and file names) it cannot
    decode as UTF-8 with each such byte as a lone surrogate (surrogateescape); SQLite cannot store
    one: a terminal set to Latin-1, or a file read with an --encoding that makes them."""
    bad = error.object[error.start]
    if not 0xD800 <= ord(bad) <= 0xDFFF:
        return ""
    from kimu_cli.csvfiles import clip

    byte = f"byte 0x{ord(bad) - 0xDC00:02X}" if 0xDC80 <= ord(bad) <= 0xDCFF else f"U+{ord(bad):04X}"
    shown = clip(error.object.encode("utf-8", "replace").decode("utf-8"))
    return f"'{shown}' ({byte})"


def _quoted_masked(error: KimuError) -> str:
    """The error's line with every value it quotes read in full for identity numbers: the value came
    in (typed, a file's cell or header) and may hold one written two spaces apart or with a line
    break inside, which the narrower reading of a printed line does not see."""
    from kimu_cli import idnumber, labels

    if not (isinstance(error.key, str) and error.key in labels.CATALOG):
        return idnumber.mask(str(error))
    return labels.t(error.key, **{k: _quoted(v) for k, v in error.fields.items()})


def _quoted(value: object) -> object:
    """A value an error quotes, masked as read in full, its line breaks written out so that the
    message stays one line (a field laid out as lines on purpose, errors.Lines, keeps them)."""
    from kimu_cli import idnumber

    if not isinstance(value, (str, PurePath)):
        return value
    masked = idnumber.mask(str(value))
    return masked if isinstance(value, Lines) else one_line(masked)


class _Masked:
    """A text stream whose writes pass through idnumber.mask; everything else is the stream's own."""

    def __init__(self, stream: TextIO, given: list[str]) -> None:
        self._stream = stream
        self._given = given

    def write(self, text: str) -> int:
        from kimu_cli import idnumber

        return self._stream.write(idnumber.mask(text, printed=True, given=self._given))

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # buffer, flush, isatty, encoding, fileno, ...
        return getattr(self._stream, name)


# What SQLite says -> what the user can do about it (a message key). Every command is one transaction,
# so in each case nothing was changed.
_CAUSES = {
    "database or disk is full": "sqlite_full",
    "database is locked": "sqlite_locked",
    "readonly database": "sqlite_readonly",
    "unable to open database file": "sqlite_cannot_open",
    "disk i/o error": "sqlite_io",
}


def database_error(error: BaseException, database: Path | None = None) -> str:
    """One line naming the real cause of an SQLite error (SQLite's own words when it is another); an
    I/O error on the disk of the database, when it is (nearly) full, is the disk being full."""
    from kimu_cli import db, labels

    text = str(error)
    key = next((why for known, why in _CAUSES.items() if known in text.lower()), None)
    if key == "sqlite_io" and database is not None and db.disk_full(database):
        key = "sqlite_full"
    cause = labels.t(key) if key else labels.t("sqlite_other", error=text)
    return labels.t("nothing_changed", cause=cause)


def version() -> str:
    """The installed package's version (its metadata), else the source's."""
    from importlib import metadata

    try:
        return metadata.version("kimu")
    except metadata.PackageNotFoundError:
        from kimu_cli import __version__

        return __version__


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"kimu {version()}\n")
        raise typer.Exit()


def _root(
    db: Annotated[
        str | None,  # as typed: a trailing '/' names a folder (db.resolve_path)
        typer.Option("--db", envvar="KIMU_DB", help="Database file (default: KIMU_DB, else the user's data directory)."),
    ] = None,
    _version: Annotated[
        bool, typer.Option("--version", "-V", callback=_print_version, is_eager=True, expose_value=False,
                           help=_labels.text("help_version", "en"))
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of everything kimu prints for people: en or nb (default: KIMU_LANG, "
                     "else the locale, else en); csv and json keep English keys."),
    ] = None,
) -> None:
    """kimu: the register, attendance, transitions and reports of NAV's arbeidsleder model."""
    from kimu_cli import labels

    chosen = lang or os.environ.get("KIMU_LANG")  # the one that decided (main() chose the language)
    if chosen and labels.parse(chosen) is None:  # an error, not a silent English
        raise KimuError("lang_unknown", value=chosen)


# The command line's nouns and commands, in the order --help lists them: (name, the module of
# kimu_cli.cli that holds it, its Typer app or command function there). A module is imported only
# when its command is built (tests/test_architecture.py reads these as imports of the package).
COMMANDS = (
    ("site", "site", "app"), ("leader", "leader", "app"), ("participant", "participant", "app"),
    ("attendance", "attendance", "app"), ("transition", "transition", "app"), ("contact", "contact", "app"),
    ("db", "db_cmd", "app"), ("demo", "demo_cmd", "demo"), ("capacity", "capacity", "capacity"),
    ("summary", "summary", "app"), ("audit", "audit_cmd", "audit"), ("purge", "purge_cmd", "purge"),
    ("import", "import_cmd", "import_"), ("export", "export_cmd", "export"),
)


def command_line(names: Collection[str] | None = None) -> typer.Typer:
    """The `kimu` command with the commands named (every one when None). The root alone offers
    --install-completion / --show-completion (kimu_cli.cli.complete)."""
    from importlib import import_module

    root = new_app("kimu: the register, attendance, transitions and reports of NAV's arbeidsleder model.", KimuGroup,
                   completion=True)
    root.callback()(_root)
    for name, module, attribute in COMMANDS:
        if names is None or name in names:
            found = getattr(import_module(f"kimu_cli.cli.{module}"), attribute)
            if isinstance(found, typer.Typer):
                root.add_typer(found, name=name)
            else:
                root.command(name)(found)
    return root


@cache
def _whole() -> typer.Typer:
    return command_line()


def __getattr__(name: str) -> typer.Typer:
    """`app`: the command with every command, made once when asked for (tests, tools/reference.py)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _whole()


_GLOBAL = ("--db", "--lang")  # options of the root command accepted anywhere


def hoist_db(argv: list[str]) -> list[str]:
    """Accept --db and --lang anywhere (`kimu participant list --db x.db --lang nb`) by moving them
    to the front, where the root command takes them."""
    hoisted, rest = _apart(argv)
    return hoisted + rest


def _apart(argv: list[str]) -> tuple[list[str], list[str]]:
    """(the --db and --lang options of argv with their values, the other words) in their order."""
    out: list[str] = []
    hoisted: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            out.extend(argv[i:])
            break
        if arg in _GLOBAL and i + 1 < len(argv):
            hoisted += argv[i : i + 2]
            i += 2
            continue
        if arg.startswith(tuple(f"{name}=" for name in _GLOBAL)):
            hoisted.append(arg)
        else:
            out.append(arg)
        i += 1
    return hoisted, out


def _lang_option(args: list[str]) -> str | None:
    """The last --lang of hoisted args (None: not given)."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif arg.startswith("--lang="):
            found = arg.removeprefix("--lang=")
    return found


def main() -> None:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:  # closed by the shell (>&-): written to nowhere, as to /dev/null
            setattr(sys, name, open(os.devnull, "w"))  # noqa: SIM115 -- the process's own, to its end
    args = sys.argv[1:]
    command_line(_named(args))(args=args, prog_name="kimu")


def _named(args: list[str]) -> list[str] | None:
    """The one command the line runs, when it names one: the others are neither imported nor built
    (Typer builds the Click command of every command it has: with their modules, some 20 ms of every
    start of kimu).
    None, for every command: help, tab completion, or a word kimu does not know (Click suggests one)."""
    if "_KIMU_COMPLETE" in os.environ:
        return None
    _, words = _apart(args)
    return words[:1] if words[:1] and words[0] in {name for name, _, _ in COMMANDS} else None

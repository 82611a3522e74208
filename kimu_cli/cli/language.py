"""The language of the command line itself: --help texts and Click's and Typer's own messages.

Commands are written with English help; in bokmål, translate() swaps in the texts of
kimu_cli.cli.help_nb for every command, argument and option, and Click's and Typer's messages
("No such option", "Missing argument", "Usage:") go through CLICK_NB (they call gettext's `_`
at run time, which is pointed here).
"""

import io
import re
import sys
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

from kimu_cli import labels

if TYPE_CHECKING:
    from typer._click.core import Command, Context
    from typer._click.exceptions import ClickException
    from typer._click.formatting import HelpFormatter
    from typer.core import TyperOption

# Typer's own texts (gettext msgids; typer.core and typer.rich_utils call `_` at run time) -> bokmål.
TYPER_NB = {
    "Options": "Valg",
    "Commands": "Kommandoer",
    "Arguments": "Argumenter",
    "Error": "Feil",
    "Aborted!": "Avbrutt!",
    "Aborted.": "Avbrutt.",
    "default: {default}": "standard: {default}",
    "[default: {}]": "[standard: {}]",
    "env var: {var}": "miljøvariabel: {var}",
    "[env var: {}]": "[miljøvariabel: {}]",
    "required": "påkrevd",
    "[required]": "[påkrevd]",
    "(dynamic)": "(dynamisk)",
    "(deprecated) ": "(foreldet) ",
    "Missing command.": "Kommando mangler.",
    "No such command {name!r}.": "Ukjent kommando {name!r}.",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "Prøv [blue]'{command_path} {help_option}'[/] for hjelp.",
    "Show this message and exit.": "Vis denne hjelpeteksten og avslutt.",
}

# Click's messages (Typer's copy of Click writes them as plain English text) -> bokmål, as
# (pattern, replacement) applied in order to each message and to the lines of an error.
CLICK_NB = [
    (r"^Error: ", "Feil: "),
    (r"^Usage: ", "Bruk: "),
    (r"Try '(.+)' for help\.", r"Prøv '\1' for hjelp."),
    (r"No such option: (\S+)", r"Ukjent valg: \1"),
    (r"\(Possible options: (.*)\)", r"(Mulige valg: \1)"),
    (r"Did you mean (.*)\?", r"Mente du \1?"),
    (r"\(Did you mean one of: (.*)\?\)", r"(Mente du en av: \1?)"),
    (r"No such command '(.*)'\.", r"Ukjent kommando '\1'."),
    (r"Missing command\.", "Kommando mangler."),
    (r"Missing argument (.*)\.", r"Argument mangler: \1."),
    (r"Missing option (.*)\.", r"Valg mangler: \1."),
    (r"Missing parameter: (.*)", r"Parameter mangler: \1"),
    (r"Invalid value for (.*?): ", r"Ugyldig verdi for \1: "),
    (r"Invalid value: ", "Ugyldig verdi: "),
    (r"Input should be a valid integer, unable to parse string as an integer", "skal være et heltall"),
    (r"Input should be a valid integer(.*)", "skal være et heltall"),
    (r"Input should be a valid number, unable to parse string as a number", "skal være et tall"),
    (r"Input should be a valid number(.*)", "skal være et tall"),
    (r"Input should be a valid boolean(.*)", "skal være ja eller nei"),
    (r"Input should be greater than or equal to (\S+)", r"skal være minst \1"),
    (r"Input should be less than or equal to (\S+)", r"skal være høyst \1"),
    (r"Input should be greater than (\S+)", r"skal være større enn \1"),
    (r"Input should be less than (\S+)", r"skal være mindre enn \1"),
    (r"Input should be (.*)", r"skal være \1"),
    (r"Value error, ", ""),
    (r"'(.*)' is not one of (.*)\.", r"'\1' er ikke en av \2."),
    (r"Option '(.*)' requires an argument\.", r"Valget '\1' trenger en verdi."),
    (r"Option '(.*)' requires (\d+) arguments\.", r"Valget '\1' trenger \2 verdier."),
    (r"Option '(.*)' does not take a value\.", r"Valget '\1' tar ingen verdi."),
    (r"Got unexpected extra arguments? \((.*)\)", r"Uventet ekstra argument (\1)"),
    (r"Argument '(.*)' takes (\d+) values\.", r"Argumentet '\1' tar \2 verdier."),
    (r"(File|Directory|Path) (.*) does not exist\.", r"\2 finnes ikke."),
    (r"(File|Directory|Path) (.*) is a file\.", r"\2 er en fil."),
    (r"(File|Directory|Path) (.*) is a directory\.", r"\2 er en mappe."),
    (r"(File|Directory|Path) (.*) is not readable\.", r"\2 kan ikke leses."),
    (r"(File|Directory|Path) (.*) is not writable\.", r"\2 kan ikke skrives."),
    (r"Could not open file (.*): (.*)", r"Kunne ikke åpne filen \1: \2"),
    (r"^Aborted!", "Avbrutt!"),
]
_COMPILED = [(re.compile(pattern, re.MULTILINE), replacement) for pattern, replacement in CLICK_NB]

# Typer's help texts computed when typer.rich_utils is imported (used on a terminal).
_RICH_CONSTANTS = {
    "DEFAULT_STRING": "[default: {}]", "ENVVAR_STRING": "[env var: {}]", "REQUIRED_LONG_STRING": "[required]",
    "ARGUMENTS_PANEL_TITLE": "Arguments", "OPTIONS_PANEL_TITLE": "Options", "COMMANDS_PANEL_TITLE": "Commands",
    "ERRORS_PANEL_TITLE": "Error", "ABORTED_TEXT": "Aborted.", "DEPRECATED_STRING": "(deprecated) ",
    "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help.",
}
# Metavars people read in usage lines.
_METAVARS_NB = {"[OPTIONS]": "[VALG]", "COMMAND [ARGS]...": "KOMMANDO [ARGUMENTER]..."}


def nb() -> bool:
    return labels.current() == "nb"


def gettext(message: str) -> str:
    return TYPER_NB.get(message, message) if nb() else message


def click_text(text: str) -> str:
    """A message of Click's in the language of the run."""
    if not nb() or not isinstance(text, str):
        return text
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    return text


def _install() -> None:
    """Point Typer's gettext at TYPER_NB and run Click's messages, usage line and --help option
    through click_text (once per process; English passes through unchanged)."""
    import typer.core
    from typer._click import core, exceptions, formatting

    typer.core._ = gettext  # typer.rich_utils (and rich) only on a terminal: see _rich
    # Methods of Typer's copy of Click are replaced on purpose, hence the type: ignores below: mypy refuses
    # any assignment to a method (method-assign), and a wrapper typed for ClickException in place of a
    # method of a subclass or of TyperException (assignment).
    for cls in vars(exceptions).values():
        if isinstance(cls, type) and issubclass(cls, exceptions.ClickException):
            if "format_message" in vars(cls):
                cls.format_message = _translated(vars(cls)["format_message"])  # type: ignore[method-assign,assignment]
            if "show" in vars(cls):
                cls.show = _shown_translated(vars(cls)["show"])  # type: ignore[method-assign,assignment]
    write_usage = formatting.HelpFormatter.write_usage

    def usage(self: "HelpFormatter", prog: str, args: str = "", prefix: str | None = None) -> None:
        return write_usage(self, prog, args, prefix if prefix is not None else ("Bruk: " if nb() else None))

    formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]  # on purpose, see above
    get_help_option = core.Command.get_help_option

    def help_option(self: "Command", ctx: "Context") -> "TyperOption | None":
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = gettext("Show this message and exit.")
        return option

    core.Command.get_help_option = help_option  # type: ignore[method-assign]  # on purpose, see above


def _translated(format_message: Callable[["ClickException"], str]) -> Callable[["ClickException"], str]:
    def wrapper(self: "ClickException") -> str:
        return click_text(format_message(self))

    return wrapper


def _shown_translated(show: Callable[["ClickException", IO[Any] | None], None]
                      ) -> Callable[["ClickException", IO[Any] | None], None]:
    def wrapper(self: "ClickException", file: IO[Any] | None = None) -> None:
        from typer._click.utils import echo

        if not nb():
            return show(self, file)
        buffer = io.StringIO()
        show(self, buffer)
        echo(click_text(buffer.getvalue()).rstrip("\n"), file=file, err=file is None)

    return wrapper


_install()


def commands(group: "Command", path: tuple[str, ...] = ("kimu",)) -> Iterator[tuple[tuple[str, ...], "Command"]]:
    """(path, command) of the group and every command under it, depth first."""
    yield path, group
    subcommands = getattr(group, "commands", None)  # a group's (a Typer group)
    if isinstance(subcommands, dict):
        for name, command in sorted(subcommands.items()):
            yield from commands(command, (*path, name))


def texts(command: "Command") -> Iterator[tuple[object, str]]:
    """(object, attribute) of every help text of one command and its parameters."""
    for attribute in ("help", "short_help", "epilog"):
        yield command, attribute
    for param in command.params:
        if getattr(param, "help", None) is not None or hasattr(param, "help"):
            yield param, "help"


def _rich() -> None:
    """Typer's rich help and error boxes (a terminal only: importing rich costs start-up time) in
    the language of the run."""
    from kimu_cli.cli.common import _MARKUP

    # English needs nothing, unless an earlier run of this process (tests) made them bokmål: then
    # rich_utils is loaded already. Loading it only for that would cost every command on a terminal.
    if _MARKUP is None or not (nb() or "typer.rich_utils" in sys.modules):
        return
    import typer.rich_utils as rich

    rich._ = gettext
    for name, english in _RICH_CONSTANTS.items():
        setattr(rich, name, gettext(english))


def translate(group: "Command") -> None:
    """Every help text of the command tree in the language of the run (English kept beside it)."""
    _rich()
    if not nb() and "_kimu_en_help" not in group.__dict__:  # English, never translated: as written
        return
    from typer.core import TyperGroup

    from kimu_cli.cli.help_nb import HELP

    for _path, command in commands(group):
        for owner, attribute in texts(command):
            english = owner.__dict__.setdefault(f"_kimu_en_{attribute}", getattr(owner, attribute, None))
            if english:
                setattr(owner, attribute, HELP.get(english.strip(), english) if nb() else english)
        english = command.__dict__.setdefault("_kimu_en_options_metavar", command.options_metavar)
        command.options_metavar = _METAVARS_NB.get(english, english) if nb() and english else english
        if isinstance(command, TyperGroup) and command.subcommand_metavar:  # only a group has one
            english = command.__dict__.setdefault("_kimu_en_subcommand_metavar", command.subcommand_metavar)
            if english:
                command.subcommand_metavar = _METAVARS_NB.get(english, english) if nb() else english

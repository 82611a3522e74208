"""Every command's --help ends with one or two examples, and every example is a command line kimu
accepts: its options exist and its values parse (kimu_cli.cli.examples)."""

import shlex

import pytest
import typer

from kimu_cli.cli import app, examples, hoist_db


def _leaves(group, path=()):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _leaves(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


ROOT = typer.main.get_command(app)
LEAVES = dict(_leaves(ROOT))


def test_every_command_has_one_or_two_examples_and_no_example_names_a_missing_command():
    assert {path: len(examples.EXAMPLES.get(path, ())) for path in LEAVES if not 1 <= len(examples.EXAMPLES.get(path, ())) <= 2} == {}
    assert set(examples.EXAMPLES) <= set(LEAVES)


@pytest.mark.parametrize("path", sorted(LEAVES))
def test_the_examples_are_in_the_help_and_parse(kimu, path):
    shown = kimu.ok(*path.split(), "--help")
    for line in examples.EXAMPLES[path]:
        assert line in shown
        words = hoist_db(shlex.split(line)[1:])  # --db and --lang, anywhere, are the root's: to the front
        while words[0] in ("--db", "--lang"):
            words = words[2:]
        assert " ".join(words[: len(path.split())]) == path, line
        # Click parses the line as the command would run it: an unknown option or a bad value fails here
        LEAVES[path].make_context(path, words[len(path.split()):], resilient_parsing=False).close()


def test_the_examples_are_in_bokmal_help_under_their_heading(kimu):
    shown = kimu.ok("--lang", "nb", "participant", "add", "--help")
    assert "Eksempler:" in shown and "Examples:" not in shown
    assert examples.EXAMPLES["participant add"][0] in shown

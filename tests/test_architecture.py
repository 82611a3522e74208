"""The dependency picture of kimu_cli, read from the source with ast (imports at module level and
inside functions alike, since an import inside a function is still a dependency):

    cli -> reports (outcomes, weekly, capacity, timeline)
        -> records (participants, attendance, transitions, leaders, sites, filters, limits)
        -> audit, SQL helpers (rules, schema) -> db

No cycles; no core module knows Typer, Rich or the cli package (render is the one place that
draws tables and colours)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kimu_cli"

REPORTS = {"outcomes", "weekly", "capacity", "timeline"}
RECORDS = {"participants", "attendance", "transitions", "leaders", "sites", "filters", "limits"}
LOW = {"audit", "rules", "schema", "db"}
# Edges that go up the picture on purpose, each with its reason (none since the capacity rule that
# every enrollment keeps moved from the capacity report to kimu_cli.limits).
ALLOWED_UPWARD: set[tuple[str, str]] = set()
# Modules that may draw with Rich (and those of the command line, which may use Typer).
DRAWS = {"render"}


def _modules():
    """{dotted name relative to kimu_cli ('' for the package, 'cli.common'): path}."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _without_type_checking(tree):
    """The module without its `if TYPE_CHECKING:` blocks: imports for annotations only, never run, so
    not a dependency (audit names db.Connection in a type while db imports audit)."""
    class Drop(ast.NodeTransformer):
        def visit_If(self, node):
            test = node.test
            if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING" or (
                    isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"):
                return node.orelse or None
            return self.generic_visit(node)

    return Drop().visit(tree)


def _imports(path):
    """Every module path imports, anywhere in it: ('kimu_cli.x' as 'x', third-party names as written).

    `from kimu_cli.cli import capacity` is the module cli.capacity; `from kimu_cli.cli import new_app`
    is the package cli. A parent package that Python runs first is not counted: every module would
    depend on kimu_cli/__init__.py, and cli/__init__.py builds the commands of its own modules.
    """
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(_without_type_checking(tree)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "kimu_cli" or node.module.startswith("kimu_cli."):
                base = node.module.removeprefix("kimu_cli").removeprefix(".")
                for alias in node.names:
                    sub = f"{base}.{alias.name}" if base else alias.name
                    found.add(sub if sub in MODULES else base)
                continue
            names = [node.module]
        elif isinstance(node, ast.ImportFrom):
            raise AssertionError(f"{path}: a relative import; kimu_cli imports by absolute name")
        else:
            continue
        for name in names:
            if name == "kimu_cli" or name.startswith("kimu_cli."):
                found.add(name.removeprefix("kimu_cli").removeprefix("."))
            else:
                found.add(name)
    return found


def _command_modules():
    """The modules cli/__init__.py imports by name as their commands are built (COMMANDS: name,
    module, attribute), read from its source as the other imports are."""
    for node in ast.parse(MODULES["cli"].read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "COMMANDS" for t in node.targets):
            return {f"cli.{module}" for _, module, _ in ast.literal_eval(node.value)}
    raise AssertionError("cli/__init__.py has no COMMANDS")


GRAPH = {name: {m for m in _imports(path) if m in MODULES and m != name} for name, path in MODULES.items()}
GRAPH["cli"] |= _command_modules()
EXTERNAL = {name: {m.split(".")[0] for m in _imports(path) if m not in MODULES} for name, path in MODULES.items()}


def _is_cli(name):
    return name in ("cli", "__main__") or name.startswith("cli.")


def _cycle():
    """One cycle of GRAPH as a list of modules, or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = "done"
        stack.pop()
        return None

    for node in sorted(GRAPH):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_reader_finds_the_imports_of_every_kind():
    assert "errors" in GRAPH["vocab"]  # from kimu_cli.errors import KimuError
    assert {"leaders", "sites"} <= GRAPH["filters"]  # from kimu_cli import leaders, sites
    assert "cli.common" in GRAPH["cli"]  # from kimu_cli.cli.common import new_app
    assert "cli.capacity" in GRAPH["cli"]  # ("capacity", "capacity", "capacity") in COMMANDS
    assert _command_modules() <= set(MODULES)
    assert "render" in GRAPH["cli.common"]  # inside a function
    assert "rich" in EXTERNAL["render"] and "typer" in EXTERNAL["cli.common"]
    assert REPORTS | RECORDS | LOW <= set(MODULES)


def test_no_import_cycles():
    assert _cycle() is None, "import cycle: " + " -> ".join(_cycle())


@pytest.mark.parametrize("name", sorted(n for n in MODULES if not _is_cli(n)))
def test_core_modules_know_no_command_line(name):
    assert not any(_is_cli(m) for m in GRAPH[name]), f"{name} imports the cli package"
    assert "typer" not in EXTERNAL[name] and "click" not in EXTERNAL[name], f"{name} imports Typer"
    if name not in DRAWS:
        assert "rich" not in EXTERNAL[name], f"{name} imports Rich (render draws)"


def test_dependencies_point_down():
    wrong = []
    for name, targets in GRAPH.items():
        for target in targets:
            if (name, target) in ALLOWED_UPWARD:
                continue
            if name in LOW and target in RECORDS | REPORTS or name in RECORDS and target in REPORTS:
                wrong.append(f"{name} -> {target}")
    assert not wrong, "imports up the picture: " + ", ".join(sorted(wrong))


def test_the_allowed_exceptions_are_still_needed():
    assert all(target in GRAPH[name] for name, target in ALLOWED_UPWARD)


def test_imports_for_annotations_only_are_not_dependencies(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kimu_cli import db\n"
                      "from kimu_cli import dates\n", encoding="utf-8")
    assert _imports(module) == {"typing", "dates"}

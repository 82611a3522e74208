"""The documentation stays true to the code: docs/reference.md's command part is what
tools/reference.py writes from the Typer app, every JSON key and CSV column the commands give on the
demo register is named in its hand-written part, and every relative link in README.md and docs/ leads
to a file that exists."""

import csv
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kimu_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REFERENCE = DOCS / "reference.md"
TODAY = "2026-11-25"


def _generator():
    spec = importlib.util.spec_from_file_location("reference", ROOT / "tools" / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("columns", [None, "40", "300"])
def test_the_command_reference_is_what_tools_reference_py_writes(monkeypatch, columns):
    """Whatever the terminal's width (CI has none, a person's varies), the same file."""
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    generator = _generator()
    current = REFERENCE.read_text(encoding="utf-8")
    assert generator.render(current) == current, (
        "docs/reference.md's command section differs from the commands: run `python tools/reference.py` "
        "and commit docs/reference.md")


def test_the_command_reference_names_every_command_and_option():
    """The generator itself misses nothing: each command path and option of --help is in the file."""
    import typer.main

    text = REFERENCE.read_text(encoding="utf-8")
    root = typer.main.get_command(app)

    def walk(command, path):
        assert f"`{' '.join(path)}`" in text, f"{' '.join(path)} is not in docs/reference.md"
        for param in command.params:
            for opt in param.opts if param.param_type_name == "option" else ():
                assert f"`{opt}`" in text, f"{' '.join(path)} {opt} is not in docs/reference.md"
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(root, ["kimu"])


# --- JSON keys and CSV columns, as the commands give them on the demo register -------------------------

@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`kimu demo` into a file of this module (built once: the demo takes about a second)."""
    folder = tmp_path_factory.mktemp("docs")
    env = {"KIMU_TODAY": TODAY, "NO_COLOR": "1", "KIMU_DB": None, "KIMU_LANG": None,
           "XDG_DATA_HOME": str(folder / "xdg")}
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(app, ["--db", str(folder / "demo.db"), *args], env=env, prog_name="kimu")
        assert result.exit_code in (0, 3), f"kimu {' '.join(args)}: exit {result.exit_code}: {result.output}"
        return result.stdout

    run("demo")
    return run


def _hand_written():
    """docs/reference.md without its generated command section (a key named only in a help text
    does not count as documented)."""
    generator = _generator()
    text = REFERENCE.read_text(encoding="utf-8")
    start, stop = text.index(generator.BEGIN), text.index(generator.END)
    return text[:start] + text[stop:]


def _keys(value):
    """Every key of every object in a JSON value, however deep; not inside an audit row's `changes`,
    whose keys are the fields changed (and a purge's row ids)."""
    if isinstance(value, dict):
        return set(value) | {k for key, v in value.items() if key != "changes" for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _undocumented(names):
    text = _hand_written()
    return sorted(name for name in names if f"`{name}`" not in text)


JSON_COMMANDS = [
    ("summary", "outcomes"),
    ("summary", "outcomes", "--by", "site"),
    ("summary", "outcomes", "--by", "leader"),
    ("summary", "outcomes", "--by", "year", "--suppress-below", "5"),
    ("summary", "cost"),
    ("summary", "weekly"),
    ("summary", "weekly", "--week", "2026-W38"),
    ("summary", "weekly", "--suppress-below", "5"),
    ("capacity",),
    ("attendance", "rates"),
    ("attendance", "alerts"),
    ("participant", "show", "D-2024-002"),
    ("transition", "list"),
    ("audit", "--limit", "20"),
]


@pytest.mark.parametrize("command", JSON_COMMANDS, ids=" ".join)
def test_every_json_key_a_command_gives_is_named_in_the_reference(demo, command):
    keys = _keys(json.loads(demo(*command, "--format", "json")))
    assert keys, f"kimu {' '.join(command)} gave no keys on the demo register"
    missing = _undocumented(keys)
    assert not missing, f"kimu {' '.join(command)} --format json: keys not in docs/reference.md: {missing}"


CSV_COMMANDS = [
    ("summary", "outcomes", "--by", "site"),
    ("summary", "cost"),
    ("capacity",),
    ("attendance", "list"),
    ("attendance", "rates", "--by", "leader"),
    ("participant", "list"),
    ("site", "list"),
    ("leader", "list"),
    *[("export", kind) for kind in ("participants", "enrollments", "attendance", "transitions", "leaders", "sites")],
]


@pytest.mark.parametrize("command", CSV_COMMANDS, ids=" ".join)
def test_every_csv_column_a_command_gives_is_named_in_the_reference(demo, command):
    header = next(csv.reader(io.StringIO(demo(*command, "--format", "csv"))))
    missing = _undocumented(header)
    assert not missing, f"kimu {' '.join(command)} --format csv: columns not in docs/reference.md: {missing}"


# --- the schema ---------------------------------------------------------------------------------------

def test_every_table_trigger_and_index_of_a_new_database_is_named_in_the_design(tmp_path):
    """docs/design.md names each part of the schema SQLite enforces or keeps, so a new or renamed
    trigger, table or index is explained there too."""
    from kimu_cli import db

    conn = db.connect(tmp_path / "new.db", create=True)
    try:
        names = [(kind, name) for kind, name in conn.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index') "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'idx__sqlite_migrations%'")]  # sqlite-utils' own
    finally:
        conn.close()
    design = (DOCS / "design.md").read_text(encoding="utf-8")
    missing = sorted(f"{kind} {name}" for kind, name in names if f"`{name}`" not in design)
    assert not missing, f"not named in docs/design.md: {missing}"


# --- links -----------------------------------------------------------------------------------------------

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_that_exists(page):
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)  # code is not links
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path) if path else page
        if not file.exists():
            broken.append(target)
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.relative_to(ROOT)}: links to files or headings that do not exist: {broken}"


def _anchors(page):
    """The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as '-'."""
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.DOTALL)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
            for heading in re.findall(r"^#+ (.*)$", text, flags=re.MULTILINE)}


def test_the_docs_exist_and_the_readme_links_to_each():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("design", "reference", "data-protection", "import", "cron"):
        assert (DOCS / f"{name}.md").is_file(), f"docs/{name}.md is missing"
        assert f"(docs/{name}.md" in readme, f"README.md does not link to docs/{name}.md"


def test_the_readme_stays_a_newcomers_page():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 160, f"README.md has {len(lines)} lines; move details into docs/"


MD_NAME = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.md)\b")


def test_every_markdown_file_the_code_names_exists():
    """A comment or docstring that sends the reader to a .md file (docs/design.md, bench/README.md)
    sends them to one that is in the repository."""
    pages = {str(p.relative_to(ROOT)) for p in ROOT.rglob("*.md") if ".venv" not in p.parts and "out" not in p.parts}
    broken = []
    for folder in ("kimu_cli", "tests", "tools", "bench"):
        for source in sorted((ROOT / folder).rglob("*")):
            generated = {".venv", "__pycache__", "out"} & set(source.relative_to(ROOT).parts)  # bench/out: data sets
            if source.suffix not in (".py", ".md", "") or not source.is_file() or generated:
                continue
            try:
                text = source.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            for name in set(MD_NAME.findall(text)):
                if not ((source.parent / name).exists() or any(p == name or p.endswith(f"/{name}") for p in pages)):
                    broken.append(f"{source.relative_to(ROOT)}: {name}")
    assert not broken, f"names of .md files that do not exist: {broken}"

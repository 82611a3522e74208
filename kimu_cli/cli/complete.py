"""Tab completion (`kimu --install-completion`): refs, leader and site names from the database in use,
and the closed choices (attendance statuses, transition kinds, end reasons) with their labels.

The database is the one the line being completed names (--db anywhere, else KIMU_DB, else the default
file), opened read-only as `db._identify` does: never created, never migrated, no sidecar file made.
Any error gives no completions: a shell must never show a traceback.
"""

import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import typer  # Typer reads the completion functions' annotations when it builds the commands

from kimu_cli import vocab

_QUERIES = {
    "ref": "SELECT ref FROM participants ORDER BY ref",
    "leader": "SELECT name FROM leaders ORDER BY name",
    "site": "SELECT name FROM sites ORDER BY name",
}


def _database(ctx: typer.Context | None) -> Path:
    from kimu_cli import db

    root = ctx.find_root() if ctx is not None else None
    chosen = root.params.get("db") if root is not None else None
    return db.resolve_path(chosen)


def _lang(ctx: typer.Context | None) -> str:
    from kimu_cli import labels

    try:
        root = ctx.find_root() if ctx is not None else None
        return labels.choose(root.params.get("lang") if root is not None else None)
    except Exception:  # noqa: BLE001 -- completion must never fail the shell: a half-typed line is normal
        return "en"


def names(ctx: typer.Context | None, what: str) -> list[str]:
    """Every ref, leader or site name in the database of the line; [] on any problem."""
    try:
        path = _database(ctx)
        if not path.is_file():
            return []
        mode = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True)
        try:
            return [value for (value,) in conn.execute(_QUERIES[what]) if isinstance(value, str)]
        finally:
            conn.close()
    except Exception:  # noqa: BLE001 -- any problem with the file gives no names, never an error in the shell
        return []


def _matching(values: Iterable[str], incomplete: str | None) -> list[str]:
    """Values whose start, or the start of one of their words, is what was typed (any case)."""
    typed = vocab.normalise(incomplete or "")
    return [v for v in values if not typed or (" " + vocab.normalise(v)).find(" " + typed) >= 0]


def _shell_word(value: str) -> str:
    """bash inserts a completion as it is: a name with spaces must come escaped to stay one word."""
    if os.environ.get("_KIMU_COMPLETE", "").endswith("bash"):
        return value.replace("\\", "\\\\").replace(" ", "\\ ").replace("'", "\\'")
    return value


def _from_db(what: str) -> Callable[[typer.Context, str], list[str]]:
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        return [_shell_word(v) for v in _matching(names(ctx, what), incomplete)]

    complete.__name__ = f"complete_{what}"
    return complete


complete_ref = _from_db("ref")
complete_leader = _from_db("leader")
complete_site = _from_db("site")


def complete_refs(ctx: typer.Context, incomplete: str) -> list[str]:
    """A comma list of refs (--absent A,B): the last piece is completed, the others kept."""
    done, _, last = (incomplete or "").rpartition(",")
    prefix = f"{done}," if done else ""
    return [_shell_word(prefix + v) for v in _matching(names(ctx, "ref"), last)]


def _choices(table: Mapping[str, Iterable[str]], label_prefix: str
             ) -> Callable[[typer.Context, str], list[tuple[str, str]]]:
    """The codes of a closed list with their labels in the chosen language (shown by zsh and fish);
    in bokmål the Norwegian words kimu accepts as well."""
    from kimu_cli import labels

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        lang = _lang(ctx)
        out = []
        for code, aliases in table.items():
            label = labels.LABELS[lang].get(f"{label_prefix}{code}", code)
            for word in dict.fromkeys([code, *(aliases if lang == "nb" else [])]):
                if _matching([word], incomplete):
                    out.append((_shell_word(word), label))
        return out

    return complete


complete_kind = _choices({k: aliases for k, (_, aliases) in vocab.TRANSITION_KINDS.items()}, "kind_")
complete_reason = _choices(vocab.END_REASONS, "reason_")
complete_status = _choices(vocab.ATTENDANCE_STATUSES, "")

"""The one place that finds a leader, a site or a participant from what a person typed.

Leaders and sites: the full name, or the unambiguous start of a word of it ('kari' or 'nord'
for 'Kari Nordmann'), in every command. An unknown name or ref suggests the closest existing
ones (difflib); an ambiguous start lists the candidates. A typed value holding an identity
number is never matched against anything (and every message is masked on its way out anyway).
"""

import difflib
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from kimu_cli import idnumber, labels, vocab
from kimu_cli.errors import KimuError

# (table, column, label key of "unknown ...", list command)
KINDS = {
    "leader": ("leaders", "name", "unknown_leader", "kimu leader list"),
    "site": ("sites", "name", "unknown_site", "kimu site list"),
    "participant": ("participants", "ref", "unknown_participant", "kimu participant list --status all"),
}
# Suggestions cost a pass over every name: off where errors come by the thousand (an import).
_SUGGEST = ContextVar("kimu_suggest", default=True)
MOST = 3


@contextmanager
def without_suggestions() -> Iterator[None]:
    token = _SUGGEST.set(False)
    try:
        yield
    finally:
        _SUGGEST.reset(token)


def exact(conn: sqlite3.Connection, kind: str, typed: object, field: str | None = None) -> sqlite3.Row:
    """The row whose name (ref) is exactly typed; KimuError with suggestions otherwise."""
    table, column, _, _ = KINDS[kind]
    row = conn.execute(f"SELECT * FROM {table} WHERE {column} = ?", (str(typed).strip(),)).fetchone()
    if row is None:
        raise unknown(conn, kind, typed, field)
    return row


def find(conn: sqlite3.Connection, kind: str, typed: object, field: str | None = None) -> sqlite3.Row:
    """A leader or site by full name, or by the unambiguous start of a word of it."""
    table, column, _, _ = KINDS[kind]
    text = str(typed).strip()
    row = conn.execute(f"SELECT * FROM {table} WHERE {column} = ?", (text,)).fetchone()
    if row is not None:
        return row
    start = " " + vocab.normalise(text)
    everyone = conn.execute(f"SELECT * FROM {table} ORDER BY {column}").fetchall()
    whole = [r for r in everyone if vocab.normalise(r[column]) == start[1:]]  # the full name, any case
    found = whole or [r for r in everyone if start in " " + vocab.normalise(r[column])]
    if len(found) == 1 and text:
        return found[0]
    if found and text:
        raise KimuError("ambiguous_name", field=field or kind, name=text, names=", ".join(r[column] for r in found))
    raise unknown(conn, kind, typed, field, [r[column] for r in everyone])


def unknown(conn: sqlite3.Connection, kind: str, typed: object, field: str | None = None,
            candidates: list[str] | None = None) -> KimuError:
    """The error for a name or ref that is not there, with the closest ones when any are close."""
    table, column, key, listing = KINDS[kind]
    hint = ""
    if _SUGGEST.get():
        if candidates is None:
            candidates = [name for (name,) in conn.execute(f"SELECT {column} FROM {table}")]
        close = closest(typed, candidates)
        if close:
            hint = labels.t("did_you_mean", names=joined(close))
    return KimuError(key, field=field or ("ref" if kind == "participant" else kind), name=typed, hint=hint,
                     listing=listing)


def closest(typed: object, candidates: Iterable[str], most: int = MOST) -> list[str]:
    """The candidates closest to typed (whole names, or a word of them), best first; none when typed
    holds an identity number."""
    text = vocab.normalise(typed)
    if not text or idnumber.is_identity_number_in(str(typed)):
        return []
    scored = []
    for name in candidates:
        norm = vocab.normalise(name)
        matcher = difflib.SequenceMatcher(None, text, norm)
        if matcher.real_quick_ratio() < 0.5 and " " not in norm:
            continue
        score = matcher.ratio()
        for word in norm.split(" ")[: 4] if " " in norm else ():
            score = max(score, difflib.SequenceMatcher(None, text, word).ratio())
        if score >= 0.6:
            scored.append((-score, name))
    return [name for _, name in sorted(scored)[:most]]


def joined(names: Iterable[str]) -> str:
    """'A', 'A or B', 'A, B or C' ('eller' in bokmål)."""
    names = list(names)
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {labels.t('or')} {names[-1]}"

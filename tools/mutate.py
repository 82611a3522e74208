#!/usr/bin/env python3
"""Mutation testing for kimu's core modules: do the tests notice when a rule is changed?

    .venv/bin/python tools/mutate.py                       # the six core modules, 2 workers
    .venv/bin/python tools/mutate.py --module dates --module checks
    .venv/bin/python tools/mutate.py --module capacity --list-only   # the mutants, no tests run
    .venv/bin/python tools/mutate.py --module attendance --max 40    # a sample of 40 (a fixed seed)
    .venv/bin/python tools/mutate.py --jobs 1 --json /tmp/mutants.json

Only the standard library (ast, tokenize, multiprocessing by hand with os.fork); run it with the
project's virtual environment, which has pytest. It is not part of .ci/run: a full run takes tens
of minutes.

How it works
------------
1. The working tree (without .git, .venv, caches) is copied once per worker to a temporary folder;
   the mutants are made from that snapshot. Nothing in the repository itself is ever written, so
   it can run while others edit the tree.
2. Coverage: every test file is run once in the copies with a line tracer (sys.settrace) on
   kimu_cli/*.py, which gives, per test, the lines of kimu it runs (fixtures included) and its
   duration. A test failing here (the tree as it is) is left out, and said. The result is cached
   per test file in $TMPDIR/kimu-mutate-cache, keyed by the hash of kimu_cli/ and of the test file
   and conftest.py, so a second run after adding tests only traces the new test file.
3. Mutants, from the module's syntax tree (ast) and its tokens, patched into the source text
   (comments and layout stay as they were):
   - comparisons: < <=, > >=, == !=, in / not in, is / is not (each operator of a chain alone);
   - arithmetic + -, also += -= (not on text: '+' joining strings);
   - boolean: and / or; `not` removed;
   - constants: an int n -> n+1 and n-1, a float x -> x*1.01 and x*0.99, True / False;
   - return values: `return X` -> `return None`;
   - date literals in any string ('2026-01-01', f"{year}-12-31"): the day +1 / -1 inside the
     month (not the open-end sentinels '9999-12-31' and '0000-01-01');
   - inside SQL (a string or f-string with an upper-case SELECT, WHERE, UPDATE, INSERT, DELETE,
     JOIN, BETWEEN, AND, OR or AS): <= <, >= >, < <=, > >=, = <>, <> =, != =; AND / OR;
     `NOT ` removed; `x BETWEEN a AND b` shrunk at either end (every BETWEEN in kimu compares ISO
     dates): `BETWEEN date(a, '+1 day') AND b` and `BETWEEN a AND date(b, '-1 day')`; ` + ` / ` - `;
     numeric literals +1 and -1 (also in quoted ones such as '-1 day'). Text inside {...} (the
     f-string's Python, or a .format field) and inside quoted SQL literals is not touched, except
     for numbers.
   Not generated, as they never change what kimu does (the excluded classes, so they need no line
   in equivalent.txt): docstrings, annotations, the number in `SELECT 1 FROM` (an existence test
   whose value is never read), `LIMIT 1` -> `LIMIT 2` (a scalar subquery and fetchone() read the
   first row only), `NOT MATERIALIZED` (a query-planner hint). A mutant whose code compiles to the
   same syntax tree as the original (e.g. 1.0 * 1.01 rounding away) or that does not compile is
   dropped.
4. Each mutant is written to the module file in one worker's copy; the worker, which has pytest,
   typer, rich and hypothesis imported already, forks, and the child runs pytest -x -q
   -p no:cacheprovider on the tests that cover the mutated line (for a module-level constant,
   such as an SQL string: the tests that run a function using it, directly or through another
   constant), the ones that killed a mutant of the same function first, then the fastest. At most
   --max-tests (40) are tried first; a mutant that survives them is tried again on every covering
   test. Each run has a timeout (3 x the tests' traced time + 20 s; --timeout-factor); a timeout
   counts as killed (the mutant hangs), and is reported apart.
5. The score of a module: (killed + timeouts) / (mutants - equivalent). A mutant no test covers
   counts as survived (shown as `uncovered`).

Equivalent mutants
------------------
tools/equivalent.txt (or --equivalent FILE) names the mutants that cannot change what kimu does,
one a line: the mutant's id (as --list-only and the survivors list print it: file::scope::the
change) then ` ## ` and why. They are left out of the score; an entry that matches no mutant any
more is reported as stale. See that file for the current list and the reason for each.

Last result
-----------
See tools/README.md ("Mutation testing"): the scores of the last full run, when, and how long it
took.
"""

from __future__ import annotations

import argparse
import ast
import bisect
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tokenize
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = "kimu_cli"
DEFAULT_MODULES = ("idnumber", "capacity", "limits", "dates", "checks", "attendance", "outcomes")
EQUIVALENT = REPO / "tools" / "equivalent.txt"
CACHE = Path(tempfile.gettempdir()) / "kimu-mutate-cache"
IGNORE = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", ".mypy_cache", ".ruff_cache",
                                ".pytest_cache", ".hypothesis", "*.egg-info", "build", "dist", "out", "*.db",
                                "*.db-wal", "*.db-shm", ".tmp-pytest")
PRELOAD = ("pytest", "_pytest.python", "hypothesis", "typer", "typer.testing", "click", "rich", "rich.console",
           "rich.table", "sqlite_utils", "tabulate", "sqlite3", "csv", "json", "decimal", "zipfile")


# ---------------------------------------------------------------------------------------------
# Mutants
# ---------------------------------------------------------------------------------------------

@dataclass
class Mutant:
    file: str            # kimu_cli/dates.py
    line: int
    scope: str           # the function (qualified) or module-level name it is in
    kind: str            # compare, arith, bool, not, const, return, date, sql-compare, sql-bool, ...
    start: int           # character offsets of the change in the source
    end: int
    new: str             # the text put there
    old: str = ""
    id: str = ""
    select: str = "lines"          # how tests are chosen: 'lines' (lines below) or 'names'
    lines: tuple = ()             # lines whose coverage selects the tests
    names: tuple = ()             # module-level names whose users select the tests
    status: str = ""              # killed, timeout, survived, uncovered, equivalent, error
    killer: str = ""
    seconds: float = 0.0
    tests_run: int = 0
    candidates: int = 0           # covering tests there were
    reason: str = ""

    def apply(self, source: str) -> str:
        return source[:self.start] + self.new + source[self.end:]


_SQL = re.compile(r"\b(SELECT|WHERE|UPDATE|INSERT|DELETE|JOIN|BETWEEN|AND|OR|AS)\b")
_SQL_CMP = re.compile(r"<=|>=|<>|!=|==|<|>|=")
_SQL_SWAP = {"<=": "<", "<": "<=", ">=": ">", ">": ">=", "<>": "=", "!=": "=", "==": "<>", "=": "<>"}
_SQL_WORD = re.compile(r"\b(AND|OR|NOT|BETWEEN)\b")
_SQL_NUMBER = re.compile(r"(?<![\w.:$@])\d+(?:\.\d+)?(?![\w.])")
_SQL_ARITH = re.compile(r"(?<= )[+-](?= )")
_DATE = re.compile(r"(?:\d{4}|\})-(\d\d)-(\d\d)")
_SENTINELS = ("9999-12-31", "0000-01-01")
_WHOLE_DATE = re.compile(r"(?:\d{4}|\{[^{}]*\})-\d\d-\d\d")
_STOP = re.compile(r"\s+(AND|OR|WHERE|GROUP|ORDER|JOIN|LEFT|CROSS|INNER|THEN|ELSE|END|LIMIT|UNION|HAVING|ON|WHEN|AS)\b")
_COMPARE = {ast.Lt: "<=", ast.LtE: "<", ast.Gt: ">=", ast.GtE: ">", ast.Eq: "!=", ast.NotEq: "==",
            ast.In: "not in", ast.NotIn: "in", ast.Is: "is not", ast.IsNot: "is"}
_COMPARE_TOKENS = {"<", "<=", ">", ">=", "==", "!=", "in", "not", "is"}
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class Source:
    """A module's text with (line, column) <-> offset, columns as ast gives them (UTF-8 bytes)."""

    def __init__(self, text: str):
        self.text = text
        self.lines = [line + "\n" for line in text.split("\n")]  # as ast counts lines: at \n only
        self.lines[-1] = self.lines[-1][:-1]
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.tokens = [(tok, self.offset(*tok.start, utf8=False), self.offset(*tok.end, utf8=False))
                       for tok in tokenize.generate_tokens(io.StringIO(text).readline)]
        self.token_starts = [a for _, a, _ in self.tokens]

    def offset(self, line: int, col: int, utf8: bool = True) -> int:
        if line > len(self.lines):
            return len(self.text)
        text = self.lines[line - 1]
        if utf8:
            col = len(text.encode()[:col].decode(errors="ignore"))
        return self.starts[line - 1] + col

    def span(self, node) -> tuple[int, int]:
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def line_of(self, offset: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi - 1:
            mid = (lo + hi) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid
        return lo + 1

    def tokens_between(self, start: int, end: int):
        """The tokens lying wholly in [start, end) (offsets)."""
        for tok, a, b in self.tokens[bisect.bisect_left(self.token_starts, start):]:
            if a >= end:
                break
            if b <= end:
                yield tok, a, b


def _is_docstring(node, parent) -> bool:
    return (isinstance(parent, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and parent.body and parent.body[0] is node and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str))


def _stringy(node) -> bool:
    """An expression that is surely text (so '+' joins strings and '-' is no mutant)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("str", "repr"):
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
            "format", "join", "strip", "upper", "lower", "replace", "isoformat"):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _stringy(node.left) or _stringy(node.right)
    if isinstance(node, ast.IfExp):
        return _stringy(node.body) or _stringy(node.orelse)
    return isinstance(node, (ast.List, ast.ListComp, ast.Tuple, ast.Dict, ast.Set))  # '+' joins them


def _string_value(node) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    return None


def _masked(body: str) -> list[bool]:
    """Per character of a string's body: True inside {...} (Python of an f-string, a format field)."""
    out, depth, i = [False] * len(body), 0, 0
    while i < len(body):
        c = body[i]
        if depth == 0 and body.startswith("{{", i):
            i += 2
            continue
        if c == "{":
            depth += 1
        if depth:
            out[i] = True
        if c == "}" and depth:
            depth -= 1
        i += 1
    return out


def _quoted(body: str, masked: list[bool]) -> list[bool]:
    """Per character: True inside an SQL quoted literal '...' (outside {...})."""
    out, inside = [False] * len(body), False
    for i, c in enumerate(body):
        if masked[i]:
            continue
        if c == "'":
            inside = not inside
            out[i] = True
        elif inside:
            out[i] = True
    return out


def _string_bodies(src: Source, node):
    """(offset, body) of each string token of a string node: the text between its quotes."""
    start, end = src.span(node)
    for tok, a, b in src.tokens_between(start, end):
        if tok.type != tokenize.STRING:
            continue
        text = tok.string
        prefix = len(text) - len(text.lstrip("rRbBuUfF"))
        quote = text[prefix:prefix + 3] if text[prefix:prefix + 3] in ('"""', "'''") else text[prefix]
        yield a + prefix + len(quote), text[prefix + len(quote):len(text) - len(quote)], "f" in text[:prefix].lower()


def _date_mutants(body: str, masked: list[bool]):
    """(start, end, new) in body: the day of each date literal one later and one earlier."""
    for m in _DATE.finditer(body):
        if masked[m.start(1)] or m.group(0)[-10:] in _SENTINELS or body[max(0, m.start() - 6):m.end()].endswith(_SENTINELS):
            continue
        month, day = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            continue
        for new in (day + 1, day - 1):
            if 1 <= new <= _DAYS[month - 1]:
                yield m.start(2), m.end(2), f"{new:02d}"


def _between_bounds(body: str, at: int, masked: list[bool], quoted: list[bool]):
    """For a BETWEEN at offset at in body: ((a_start, a_end), (b_start, b_end)) or None."""
    def scan(i, stop_at_and):
        depth, start = 0, i
        while i < len(body):
            c = body[i]
            if masked[i] or quoted[i]:
                i += 1
                continue
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    return start, i
                depth -= 1
            elif c == "," and depth == 0:
                return start, i
            elif depth == 0 and c.isspace():
                m = _STOP.match(body, i)
                if m and (m.group(1) == "AND" or not stop_at_and):
                    if stop_at_and and m.group(1) != "AND":
                        return None
                    return start, i
            i += 1
        return start, i

    i = at + len("BETWEEN")
    while i < len(body) and body[i].isspace():
        i += 1
    a = scan(i, True)
    if a is None:
        return None
    m = re.compile(r"\s+AND\s+").match(body, a[1])
    if not m:
        return None
    b = scan(m.end(), False)
    return (a, b, (a[1], m.end())) if b and b[1] > b[0] else None


def _sql_mutants(body: str, is_f: bool):
    """(start, end, new, kind) in a string body holding SQL."""
    masked = _masked(body)
    quoted = _quoted(body, masked)
    out = []
    between_ands = set()
    for m in _SQL_WORD.finditer(body):
        if masked[m.start()] or quoted[m.start()] or m.group(1) != "BETWEEN":
            continue
        bounds = _between_bounds(body, m.start(), masked, quoted)
        if bounds:
            (a0, a1), (b0, b1), (and0, and1) = bounds
            between_ands.add(and0 + body[and0:and1].index("AND"))
            a_text, b_text = body[a0:a1], body[b0:b1]
            out.append((a0, a1, f"date({a_text}, '+1 day')", "sql-between"))
            out.append((b0, b1, f"date({b_text}, '-1 day')", "sql-between"))
    for m in _SQL_CMP.finditer(body):
        if masked[m.start()] or quoted[m.start()]:
            continue
        op = m.group()
        if op == "=" and body[m.start() - 1:m.start()] in ("!", "<", ">", "="):
            continue
        out.append((m.start(), m.end(), _SQL_SWAP[op], "sql-compare"))
    for m in _SQL_WORD.finditer(body):
        if masked[m.start()] or quoted[m.start()]:
            continue
        word = m.group(1)
        if word == "AND" and m.start() not in between_ands:
            out.append((m.start(), m.end(), "OR", "sql-bool"))
        elif word == "OR":
            out.append((m.start(), m.end(), "AND", "sql-bool"))
        elif word == "NOT" and not body.startswith("NOT MATERIALIZED", m.start()):
            gap = re.match(r"NOT\s+", body[m.start():])
            out.append((m.start(), m.start() + gap.end(), "", "sql-not"))
    for m in _SQL_ARITH.finditer(body):
        if not (masked[m.start()] or quoted[m.start()]):
            out.append((m.start(), m.end(), "-" if m.group() == "+" else "+", "sql-arith"))
    dates_at = [(d.start(), d.end()) for d in re.finditer(r"\d{4}-\d\d-\d\d", body)]
    for m in _SQL_NUMBER.finditer(body):
        if masked[m.start()] or any(a <= m.start() < b for a, b in dates_at):
            continue
        before = body[:m.start()].rstrip()
        if before.endswith("SELECT") and re.match(r"\s+FROM\b", body[m.end():]):
            continue  # SELECT 1 FROM: an existence test
        text = m.group()
        value = float(text) if "." in text else int(text)
        for new in (value + 1, value - 1):
            if before.endswith("LIMIT") and value == 1 and new == 2:
                continue  # LIMIT 1 -> 2: the first row is all that is read
            if isinstance(value, int) and new < 0 and not quoted[m.start()]:
                new_text = f"({new})"
            else:
                new_text = str(new) if isinstance(value, int) else f"{new:.{len(text.split('.')[1])}f}"
            out.append((m.start(), m.end(), new_text, "sql-number"))
    return out


class _Generator(ast.NodeVisitor):
    def __init__(self, file: str, src: Source, tree):
        self.file, self.src, self.tree = file, src, tree
        self.scope: list[str] = []
        self.stmt_stack: list[ast.stmt] = []
        self.func_stack: list[ast.FunctionDef] = []
        self.in_args = 0
        self.mutants: list[Mutant] = []
        self.parents: dict[int, ast.AST] = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[id(child)] = parent

    # -- where a mutant is, for choosing its tests --
    def _where(self) -> dict:
        if not self.func_stack:
            stmt = self.stmt_stack[0] if self.stmt_stack else None
            names = _bound_names(stmt) if stmt is not None else ()
            return {"scope": ".".join(names) or "<module>", "select": "names", "names": tuple(names)}
        func = self.func_stack[-1]
        scope = ".".join(self.scope)
        if self.in_args:
            return {"scope": scope, "select": "lines", "lines": _body_lines(func)}
        stmt = self.stmt_stack[-1]
        return {"scope": scope, "select": "lines", "lines": _header_lines(stmt), "function": func}

    def add(self, start: int, end: int, new: str, kind: str):
        where = self._where()
        where.pop("function", None)
        self.mutants.append(Mutant(file=self.file, line=self.src.line_of(start), kind=kind, start=start, end=end,
                                   new=new, old=self.src.text[start:end], **where))

    # -- structure --
    def generic_visit(self, node):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                if _is_docstring(child, node):
                    continue
                self.stmt_stack.append(child)
                self.visit(child)
                self.stmt_stack.pop()
            else:
                self.visit(child)

    def visit_FunctionDef(self, node):
        self.scope.append(node.name)
        self.func_stack.append(node)
        self.in_args += 1
        for d in node.decorator_list:
            self.visit(d)
        self.visit(node.args)
        self.in_args -= 1
        for child in node.body:
            if _is_docstring(child, node):
                continue
            self.stmt_stack.append(child)
            self.visit(child)
            self.stmt_stack.pop()
        self.func_stack.pop()
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_arg(self, node):
        pass  # annotations

    def visit_AnnAssign(self, node):
        if node.value is not None:
            self.visit(node.value)

    def visit_ImportFrom(self, node):
        pass

    def visit_Import(self, node):
        pass

    # -- operators --
    def _op_tokens(self, left, right, wanted):
        a = self.src.span(left)[1]
        b = self.src.span(right)[0]
        return [(tok, s, e) for tok, s, e in self.src.tokens_between(a, b) if tok.string in wanted]

    def visit_Compare(self, node):
        operands = [node.left, *node.comparators]
        for i, op in enumerate(node.ops):
            toks = self._op_tokens(operands[i], operands[i + 1], _COMPARE_TOKENS)
            if toks:
                self.add(toks[0][1], toks[-1][2], _COMPARE[type(op)], "compare")
        self.generic_visit(node)

    def visit_BinOp(self, node):
        if isinstance(node.op, (ast.Add, ast.Sub)) and not (_stringy(node.left) or _stringy(node.right)):
            toks = self._op_tokens(node.left, node.right, {"+", "-"})
            if toks:
                self.add(toks[-1][1], toks[-1][2], "-" if isinstance(node.op, ast.Add) else "+", "arith")
        self.generic_visit(node)

    def visit_AugAssign(self, node):
        if isinstance(node.op, (ast.Add, ast.Sub)) and not _stringy(node.value):
            toks = self._op_tokens(node.target, node.value, {"+=", "-="})
            if toks:
                self.add(toks[0][1], toks[0][2], "-=" if isinstance(node.op, ast.Add) else "+=", "arith")
        self.generic_visit(node)

    def visit_BoolOp(self, node):
        word = "and" if isinstance(node.op, ast.And) else "or"
        for left, right in zip(node.values, node.values[1:]):
            toks = self._op_tokens(left, right, {word})
            if toks:
                self.add(toks[0][1], toks[0][2], "or" if word == "and" else "and", "bool")
        self.generic_visit(node)

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.Not):
            start, end = self.src.span(node)
            toks = [t for t in self.src.tokens_between(start, end) if t[0].string == "not"]
            if toks and toks[0][1] == start:
                self.add(start, end, "(" + self.src.text[toks[0][2]:end].strip() + ")", "not")
        self.generic_visit(node)

    def visit_Return(self, node):
        if node.value is not None and not (isinstance(node.value, ast.Constant) and node.value.value is None):
            start, end = self.src.span(node.value)
            self.add(start, end, "None", "return")
        self.generic_visit(node)

    def visit_Constant(self, node):
        value = node.value
        start, end = self.src.span(node)
        text = self.src.text[start:end]
        if isinstance(value, bool):
            if text in ("True", "False"):
                self.add(start, end, str(not value), "const")
        elif isinstance(value, (int, float)) and not isinstance(value, complex):
            try:
                if ast.literal_eval(text) != value:
                    return
            except (ValueError, SyntaxError):
                return
            if isinstance(value, int):
                news = [str(value + 1), str(value - 1)]
            else:
                news = [repr(round(value * 1.01, 6)), repr(round(value * 0.99, 6))]
            for new in news:
                self.add(start, end, new, "const")
        elif isinstance(value, str):
            self._string(node)

    def visit_JoinedStr(self, node):
        self._string(node)
        for v in node.values:
            if isinstance(v, ast.FormattedValue):
                self.visit(v.value)

    def _string(self, node):
        value = _string_value(node)
        sql = bool(_SQL.search(value or ""))
        for offset, body, is_f in _string_bodies(self.src, node):
            masked = _masked(body)
            if sql or _WHOLE_DATE.fullmatch(body):  # not the example dates of a message
                quoted = _quoted(body, masked) if sql else [True] * len(body)
                for a, b, new in _date_mutants(body, masked):
                    if quoted[a]:
                        self.add(offset + a, offset + b, new, "date")
            if sql:
                for a, b, new, kind in _sql_mutants(body, is_f):
                    self.add(offset + a, offset + b, new, kind)


def _bound_names(stmt) -> list[str]:
    names = []
    targets = []
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, (ast.AugAssign, ast.AnnAssign)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.FunctionDef, ast.ClassDef)):
        return [stmt.name]
    for t in targets:
        for n in ast.walk(t):
            if isinstance(n, ast.Name):
                names.append(n.id)
    return names


def _body_lines(func) -> tuple:
    first = func.body[0].lineno
    return tuple(range(first, func.end_lineno + 1))


def _header_lines(stmt) -> tuple:
    body = getattr(stmt, "body", None)
    if isinstance(body, list) and body and isinstance(stmt, (ast.If, ast.For, ast.While, ast.With, ast.Try,
                                                            ast.AsyncFor, ast.AsyncWith)):
        return tuple(range(stmt.lineno, max(stmt.lineno, body[0].lineno - 1) + 1))
    return tuple(range(stmt.lineno, stmt.end_lineno + 1))


def _normalised_dump(text: str) -> str | None:
    try:
        return ast.dump(ast.parse(text))
    except SyntaxError:
        return None


def mutants_of(root: Path, file: str) -> list[Mutant]:
    """Every mutant of root/file (a path like kimu_cli/dates.py), with stable ids."""
    text = (root / file).read_text(encoding="utf-8")
    src = Source(text)
    tree = ast.parse(text)
    gen = _Generator(file, src, tree)
    gen.visit(tree)
    original = ast.dump(tree)
    comments = [a for tok, a, _ in src.tokens if tok.type == tokenize.COMMENT]
    out, seen, ids = [], set(), {}
    for m in sorted(gen.mutants, key=lambda m: (m.start, m.end, m.new)):
        mutated = m.apply(text)
        if mutated in seen:
            continue
        dump = _normalised_dump(mutated)
        if dump is None or dump == original:
            continue
        seen.add(mutated)
        m.id = _identity(m, text, comments)
        n = ids[m.id] = ids.get(m.id, 0) + 1
        if n > 1:
            m.id += f" #{n}"
        out.append(m)
    return out


def _identity(m: Mutant, text: str, comments=()) -> str:
    """file::scope::`context` -> `mutated context`, the context the change with about 24 characters
    either side on its line (not a comment after it), whitespace collapsed."""
    left = text.rfind("\n", 0, max(0, m.start - 24)) + 1
    a = max(left, m.start - 24)
    b = min([len(text), m.end + 24] + [c for c in comments if c >= m.end])
    nl = text.find("\n", m.end)
    if nl != -1 and nl < b:
        b = nl
    nl = text.rfind("\n", a, m.start)
    if nl != -1:
        a = nl + 1

    def squash(s):
        return " ".join(s.split())

    before = squash(text[a:b])
    after = squash(text[a:m.start] + m.new + text[m.end:b])
    return f"{Path(m.file).name}::{m.scope}::`{before}` -> `{after}`"


# ---------------------------------------------------------------------------------------------
# Which code uses which module-level name (for mutants outside functions)
# ---------------------------------------------------------------------------------------------

class Functions:
    """Every function of the package in a tree: file -> [(first line, last line, qualname, hash of
    its text)]. Coverage is kept relative to a function's `def` line, with the hash, so that it
    stays usable while others edit other parts of a module."""

    def __init__(self, root: Path):
        self.by_file: dict[str, list[tuple[int, int, str, str]]] = {}
        self.nodes: dict[tuple[str, str], ast.AST] = {}
        for path in sorted((root / PACKAGE).rglob("*.py")):
            rel = str(path.relative_to(root))
            text = path.read_text(encoding="utf-8")
            self.by_file[rel] = []
            self._walk(rel, text, ast.parse(text), "")

    def _walk(self, rel, text, node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + child.name
                digest = hashlib.sha1((ast.get_source_segment(text, child) or "").encode()).hexdigest()[:12]
                self.by_file[rel].append((child.lineno, child.end_lineno, name, digest))
                self.nodes[(rel, name)] = child
                self._walk(rel, text, child, name + ".")
            elif isinstance(child, ast.ClassDef):
                self._walk(rel, text, child, prefix + child.name + ".")
            else:
                self._walk(rel, text, child, prefix)

    def at(self, file: str, line: int):
        """(qualname, def line, hash) of the innermost function holding line, or None."""
        best = None
        for first, last, name, digest in self.by_file.get(file, ()):
            if first <= line <= last and (best is None or first >= best[1]):
                best = (name, first, digest)
        return best

    def hashes(self) -> dict[str, dict[str, str]]:
        return {f: {name: digest for _, _, name, digest in entries} for f, entries in self.by_file.items()}


class NameIndex:
    """Over every module of the package: which functions ((file, qualname)) and module-level
    statements (the names they bind) mention a name."""

    def __init__(self, functions: Functions, root: Path):
        self.functions: dict[str, list[tuple[str, str]]] = {}
        self.statements: dict[str, set[str]] = {}
        for (file, name), node in functions.nodes.items():
            for mentioned in _mentions(node):
                self.functions.setdefault(mentioned, []).append((file, name))
        for path in sorted((root / PACKAGE).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for stmt in tree.body:
                if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    bound = set(_bound_names(stmt))
                    for name in _mentions(stmt):
                        self.statements.setdefault(name, set()).update(bound)

    def users(self, names) -> tuple[list[tuple[str, str]], set[str]]:
        """The functions using the names, directly or through other module-level names; and all
        those names."""
        todo, seen, out = list(names), set(), []
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            out += self.functions.get(name, [])
            todo += self.statements.get(name, ())
        return out, seen


def _mentions(node) -> set[str]:
    out = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
    return out


# ---------------------------------------------------------------------------------------------
# Workers: a process per copy of the tree that forks a pytest run per job
# ---------------------------------------------------------------------------------------------

class _Recorder:
    """pytest plugin: per test, the lines of the package it runs and its time; the first failure."""

    def __init__(self, root: str, lines: bool, first_failure: str | None = None):
        self.root = os.path.join(root, PACKAGE) + os.sep
        self.lines_wanted = lines
        self.first_failure = first_failure
        self.tests: dict[str, dict] = {}
        self._files: dict[str, str | None] = {}
        self._current: dict[str, set] | None = None

    def _tracer(self, frame, event, arg):
        filename = frame.f_code.co_filename
        rel = self._files.get(filename, 0)
        if rel == 0:
            rel = self._files[filename] = (os.path.relpath(filename, os.path.dirname(self.root.rstrip(os.sep)))
                                           if filename.startswith(self.root) else None)
        if rel is None:
            return None
        lines = self._current.setdefault(rel, set())
        lines.add(frame.f_lineno)

        def local(frame, event, arg):
            if event == "line":
                lines.add(frame.f_lineno)
            return local
        return local

    def pytest_runtest_logreport(self, report):
        entry = self.tests.setdefault(report.nodeid, {"seconds": 0.0, "outcome": "passed"})
        entry["seconds"] += report.duration
        if report.failed:
            entry["outcome"] = "failed"
            if self.first_failure and not os.path.exists(self.first_failure):
                Path(self.first_failure).write_text(report.nodeid)


def _make_recorder(root, lines, first_failure=None):
    import pytest

    recorder = _Recorder(root, lines, first_failure)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item, nextitem):
        if recorder.lines_wanted:
            recorder._current = {}
            threading.settrace(recorder._tracer)
            sys.settrace(recorder._tracer)
        try:
            yield
        finally:
            if recorder.lines_wanted:
                sys.settrace(None)
                threading.settrace(None)
                entry = recorder.tests.setdefault(item.nodeid, {"seconds": 0.0, "outcome": "passed"})
                entry["lines"] = {f: sorted(v) for f, v in recorder._current.items()}
                recorder._current = None

    recorder.pytest_runtest_protocol = pytest_runtest_protocol
    return recorder


_CHILD = [0]  # the pytest child a worker waits for


def worker_main(root: str):
    """Read jobs (JSON lines) on stdin, answer on stdout; one pytest run per job, in a child."""
    os.chdir(root)
    sys.path.insert(0, root)
    for name in PRELOAD:
        try:
            __import__(name)
        except ImportError:
            pass
    reply = os.fdopen(os.dup(1), "w", buffering=1)
    devnull = os.open(os.devnull, os.O_RDWR)

    def stop(signum, frame):  # the run is stopped: the pytest child (and its children) with it
        if _CHILD[0]:
            try:
                os.killpg(_CHILD[0], signal.SIGKILL)
            except ProcessLookupError:
                pass
        os._exit(1)

    signal.signal(signal.SIGTERM, stop)
    for line in sys.stdin:
        job = json.loads(line)
        try:
            result = _run_job(root, job, devnull)
        except Exception as e:  # noqa: BLE001 - reported, and the worker goes on with the next job
            result = {"status": "error", "error": f"{type(e).__name__}: {e}"}
        reply.write(json.dumps(result) + "\n")


def _run_job(root: str, job: dict, devnull: int) -> dict:
    path = os.path.join(root, job["file"]) if job.get("file") else None
    original = None
    if path and job.get("source") is not None:
        original = Path(path).read_bytes()
        stat = os.stat(path)
        Path(path).write_text(job["source"], encoding="utf-8")
        os.utime(path, (stat.st_atime, stat.st_mtime + 100 + job.get("serial", 0)))
    first_failure = os.path.join(root, ".mutate-first-failure")
    if os.path.exists(first_failure):
        os.remove(first_failure)
    out_json = os.path.join(root, ".mutate-coverage.json")
    started = time.monotonic()
    pid = os.fork()
    _CHILD[0] = pid
    if pid == 0:  # the child: pytest, then out
        try:
            os.setpgid(0, 0)
            log = os.open(job.get("log") or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(log, 1)
            os.dup2(log, 2)
            os.dup2(devnull, 0)
            import pytest

            recorder = _make_recorder(root, job.get("coverage", False), first_failure)
            args = ["-q", "-p", "no:cacheprovider", f"--basetemp={os.path.join(root, '.tmp-pytest')}",
                    f"--rootdir={root}", "-o", "console_output_style=classic", *job.get("args", []), *job["tests"]]
            rc = pytest.main(args, plugins=[recorder])
            if job.get("coverage"):
                Path(out_json).write_text(json.dumps(recorder.tests))
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(int(rc))
        except BaseException:  # noqa: BLE001 - the child must never return into the worker's loop
            import traceback

            traceback.print_exc()
            os._exit(99)
    timeout = job.get("timeout") or 10 ** 6
    status, rc = None, None
    while True:
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            rc = os.waitstatus_to_exitcode(code)
            break
        if time.monotonic() - started > timeout:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            status = "timeout"
            break
        time.sleep(0.02)
    seconds = time.monotonic() - started
    if original is not None:
        stat = os.stat(path)
        Path(path).write_bytes(original)
        os.utime(path, (stat.st_atime, job["mtime"]))
    result = {"rc": rc, "seconds": round(seconds, 2)}
    if status is None:
        # 1: a test failed; 2, 3: interrupted, internal error; 4: the tests could not be loaded (an
        # ImportError in conftest.py: the mutant breaks importing kimu). 5 (nothing collected): error.
        status = {0: "survived", 1: "killed", 2: "killed", 3: "killed", 4: "killed"}.get(rc, "error")
    result["status"] = status
    if os.path.exists(first_failure):
        result["killer"] = Path(first_failure).read_text()
    if job.get("coverage") and os.path.exists(out_json):
        result["tests"] = json.loads(Path(out_json).read_text())
        os.remove(out_json)
    return result


class Worker:
    def __init__(self, root: Path, python: str):
        env = dict(os.environ, PYTHONPATH=str(root), KIMU_MUTATE_WORKER="1", PYTHONHASHSEED="0")
        env.pop("KIMU_DB", None)
        self.root = root
        self.proc = subprocess.Popen([python, str(Path(__file__).resolve()), "--_worker", str(root)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=root,
                                     bufsize=1)
        self.lock = threading.Lock()

    def run(self, job: dict) -> dict:
        with self.lock:
            self.proc.stdin.write(json.dumps(job) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        if not line:
            return {"status": "error", "error": "the worker died"}
        return json.loads(line)

    def close(self, now=False):
        if now:
            self.proc.terminate()  # the worker kills its pytest child first
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)
        except Exception:  # noqa: BLE001 - a worker that does not stop is killed
            self.proc.kill()


# ---------------------------------------------------------------------------------------------
# Coverage of each test (cached per test file)
# ---------------------------------------------------------------------------------------------

def _hash_files(paths) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(Path(p).name.encode())
        h.update(Path(p).read_bytes())
    return h.hexdigest()[:20]


def coverage(workers: list[Worker], root: Path, test_files: list[str], functions: Functions, log,
             retrace: bool = False) -> dict:
    """{nodeid: {seconds, funcs: {file: {qualname: [line - def line, ...]}}, hashes}} of every test of
    test_files that passed when traced. Cached per test file (its text and conftest.py's)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    conftest = _hash_files([root / "tests" / "conftest.py"])
    tests, todo = {}, []
    for tf in test_files:
        key = hashlib.sha256((conftest + _hash_files([root / tf])).encode()).hexdigest()[:24]
        cached = CACHE / f"{Path(tf).stem}-{key}.json"
        if cached.exists() and not retrace:
            entry = json.loads(cached.read_text())
            for t in entry["tests"].values():
                t["hashes"] = entry["hashes"]
            tests.update(entry["tests"])
        else:
            todo.append((tf, cached))
    if todo:
        log(f"coverage: tracing {len(todo)} test file(s) ({len(test_files) - len(todo)} cached)")
        hashes = functions.hashes()
        queues = [[] for _ in workers]
        for item in sorted(todo, key=lambda t: -(root / t[0]).stat().st_size):
            load = [sum((root / x[0]).stat().st_size for x in q) for q in queues]
            queues[load.index(min(load))].append(item)

        def relative(lines):
            out = {}
            for file, numbers in lines.items():
                for n in numbers:
                    where = functions.at(file, n)
                    if where:
                        out.setdefault(file, {}).setdefault(where[0], set()).add(n - where[1])
            return {f: {q: sorted(v) for q, v in d.items()} for f, d in out.items()}

        def run(worker, items):
            for tf, cached in items:
                t0 = time.monotonic()
                result = worker.run({"tests": [tf], "coverage": True, "log": str(worker.root / ".mutate-coverage.log")})
                found = result.get("tests", {})
                if result.get("status") not in ("survived", "killed") or not found:
                    log(f"coverage: {tf}: no result ({result.get('status')} {result.get('error', '')}); left out")
                    continue
                failed = [n for n, t in found.items() if t["outcome"] != "passed"]
                if failed:
                    log(f"coverage: {tf}: {len(failed)} test(s) fail on the tree as it is, left out: "
                        + ", ".join(failed[:5]))
                entry = {"hashes": hashes, "tests": {
                    n: {"seconds": round(t["seconds"], 3), "outcome": t["outcome"], "funcs": relative(t.get("lines", {}))}
                    for n, t in found.items()}}
                cached.write_text(json.dumps(entry))
                for t in entry["tests"].values():
                    t["hashes"] = hashes
                tests.update(entry["tests"])
                log(f"coverage: {tf} traced in {time.monotonic() - t0:.0f} s")

        threads = [threading.Thread(target=run, args=(w, q)) for w, q in zip(workers, queues)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return {n: t for n, t in tests.items() if t.get("outcome") == "passed"}


class Selector:
    """Which tests run a mutant's code: the tests that ran its line (its function unchanged since
    the trace) or its function (changed since); for a module-level name, the tests that ran a
    function using it."""

    def __init__(self, tests: dict, functions: Functions, names: NameIndex, root: Path):
        self.functions, self.names = functions, names
        # Tests may read a module-level name themselves (a test of an SQL string): a test file that
        # mentions one has all its tests chosen for it.
        self.test_texts = {}
        for nodeid in tests:
            file = nodeid.split("::")[0]
            if file not in self.test_texts:
                self.test_texts[file] = (root / file).read_text(encoding="utf-8") if (root / file).exists() else ""
        self.tests_of_file: dict[str, set[str]] = {}
        for nodeid in tests:
            self.tests_of_file.setdefault(nodeid.split("::")[0], set()).add(nodeid)
        self.by_function: dict[tuple[str, str], list[tuple[str, frozenset, str]]] = {}
        for nodeid, t in tests.items():
            for file, funcs in t["funcs"].items():
                for q, rel in funcs.items():
                    traced_hash = t["hashes"].get(file, {}).get(q)
                    self.by_function.setdefault((file, q), []).append((nodeid, frozenset(rel), traced_hash))

    def changed(self, file: str) -> list[str]:
        """The functions of file whose text differs from when (some of) the tests were traced."""
        out = []
        for _, _, q, digest in self.functions.by_file.get(file, ()):
            seen = {h for _, _, h in self.by_function.get((file, q), [])}
            if seen and digest not in seen:
                out.append(q)
        return out

    def of_function(self, file, q):
        return {n for n, _, _ in self.by_function.get((file, q), [])}

    def __call__(self, m: Mutant) -> set[str]:
        if m.select == "lines":
            where = self.functions.at(m.file, m.line)
            if where:
                q, first, digest = where
                entries = self.by_function.get((m.file, q), [])
                if entries:
                    rel = {line - first for line in m.lines}
                    return {n for n, lines, h in entries if h != digest or lines & rel}
                names = [q.split(".")[0]]  # a function run only when the module is imported
            else:
                names = [m.scope.split(".")[0]]
        else:
            names = list(m.names)
        found = set()
        users, seen = self.names.users(names)
        for file, q in users:
            found |= self.of_function(file, q)
        if m.select == "names":
            for file, text in self.test_texts.items():
                if any(re.search(rf"\b{re.escape(n)}\b", text) for n in seen):
                    found |= self.tests_of_file[file]
        return found


# ---------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------

def read_equivalent(path: Path) -> dict[str, str]:
    out = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            ident, sep, reason = line.partition(" ## ")
            out[ident.strip()] = reason.strip() if sep else ""
    return out


def _module_file(name: str) -> str:
    name = name.removesuffix(".py").replace(".", "/")
    name = name.removeprefix(PACKAGE + "/")
    return f"{PACKAGE}/{name}.py"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Mutation testing of kimu's core modules (see the module docstring).")
    parser.add_argument("--module", action="append", help="a module of kimu_cli (repeatable); default: "
                        + ", ".join(DEFAULT_MODULES))
    parser.add_argument("--jobs", type=int, default=2, help="parallel workers (default 2)")
    parser.add_argument("--list-only", action="store_true", help="print the mutants and their ids; run nothing")
    parser.add_argument("--max", type=int, help="a sample of at most N mutants per module (fixed seed)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--equivalent", type=Path, default=EQUIVALENT, help="known-equivalent mutants (id ## reason)")
    parser.add_argument("--tests", action="append", help="only these test files (repeatable; default tests/test_*.py)")
    parser.add_argument("--max-tests", type=int, default=40, help="covering tests tried first (default 40)")
    parser.add_argument("--more-tests", type=int, default=200,
                        help="a mutant surviving the first ones is tried on this many more (default 200)")
    parser.add_argument("--all-tests", action="store_true",
                        help="a mutant surviving the first ones is tried on every covering test")
    parser.add_argument("--timeout-factor", type=float, default=3.0)
    parser.add_argument("--match", help="only mutants whose id contains this text")
    parser.add_argument("--line", type=int, action="append", help="only mutants on this line (repeatable)")
    parser.add_argument("--json", type=Path, help="write every mutant and its result here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    parser.add_argument("--retrace", action="store_true", help="trace the tests again (not the cached coverage)")
    parser.add_argument("--_worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._worker:
        return worker_main(args._worker)

    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))  # so the copies are removed
    t_start = time.monotonic()
    modules = [_module_file(m) for m in (args.module or DEFAULT_MODULES)]
    for f in modules:
        if not (REPO / f).exists():
            parser.error(f"module: {f} does not exist")

    def log(msg):
        print(f"[{time.monotonic() - t_start:6.0f}s] {msg}", file=sys.stderr, flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="kimu-mutate-"))
    roots = []
    try:
        first = tmp / "w0"
        shutil.copytree(REPO, first, ignore=IGNORE, symlinks=True)
        equivalent = read_equivalent(args.equivalent)
        all_mutants = {f: mutants_of(first, f) for f in modules}
        used_equivalent = set()
        rng = random.Random(args.seed)
        chosen: list[Mutant] = []
        for f, ms in all_mutants.items():
            for m in ms:
                if m.id in equivalent:
                    m.status, m.reason = "equivalent", equivalent[m.id]
                    used_equivalent.add(m.id)
            live = [m for m in ms if m.status != "equivalent"
                    and (not args.match or args.match in m.id) and (not args.line or m.line in args.line)]
            if args.max and len(live) > args.max:
                live = sorted(rng.sample(live, args.max), key=lambda m: m.start)
            chosen += live
        if args.list_only:
            for f, ms in all_mutants.items():
                eq = sum(m.status == "equivalent" for m in ms)
                print(f"{f}: {len(ms)} mutants ({eq} known equivalent)")
                for m in ms:
                    if m in chosen or m.status == "equivalent":
                        mark = " [equivalent]" if m.status == "equivalent" else ""
                        print(f"  {m.file}:{m.line}  {m.kind:12} {m.id}{mark}")
            return 0

        roots = [first] + [tmp / f"w{i}" for i in range(1, max(1, args.jobs))]
        for r in roots[1:]:
            shutil.copytree(first, r, symlinks=True)
        workers = [Worker(r, sys.executable) for r in roots]
        try:
            test_files = sorted(str(p.relative_to(first)) for p in (first / "tests").glob("test_*.py"))
            if args.tests:
                wanted = {str(Path(t)) for t in args.tests}
                test_files = [t for t in test_files if t in wanted or Path(t).name in wanted]
            functions = Functions(first)
            tests = coverage(workers, first, test_files, functions, log, args.retrace)
            select = Selector(tests, functions, NameIndex(functions, first), first)
            for f in modules:
                changed = select.changed(f)
                if changed:
                    log(f"{f}: changed since traced (chosen by function, not line): {', '.join(changed)}")
            seconds = {n: t["seconds"] for n, t in tests.items()}
            # How much of each module a test runs: a test that runs more of it is tried earlier.
            affinity = {n: {f: sum(map(len, funcs.values())) for f, funcs in t["funcs"].items()}
                        for n, t in tests.items()}
            log(f"{len(tests)} tests traced; {len(chosen)} mutants to run on {len(workers)} worker(s)")
            run_mutants(workers, chosen, select, seconds, affinity, args, log)
        except BaseException:  # interrupted (Ctrl-C, SIGTERM): stop the workers and their tests now
            for w in workers:
                w.close(now=True)
            raise
        for w in workers:
            w.close()
        elapsed = time.monotonic() - t_start
        report(all_mutants, chosen, equivalent, used_equivalent, args, elapsed, modules)
        if args.json:
            args.json.write_text(json.dumps({"seconds": round(elapsed), "modules": modules,
                                             "mutants": [asdict(m) for ms in all_mutants.values() for m in ms]},
                                            indent=1, ensure_ascii=False))
        return 0
    finally:
        if args.keep:
            print(f"copies kept in {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run_mutants(workers, chosen, select, seconds, affinity, args, log):
    killers: dict[tuple[str, str], list[str]] = {}   # (file, scope) -> tests that killed its mutants
    any_killer: dict[str, list[str]] = {}            # file -> tests that killed any of its mutants
    passing: dict[str, bool] = {}                    # killer -> passes on the tree as it is
    lock = threading.Lock()
    queue = list(chosen)
    done = [0]
    sources = {}
    serial = [0]

    def ordered(m, candidates):
        first = [t for t in killers.get((m.file, m.scope), []) if t in candidates]
        first += [t for t in any_killer.get(m.file, []) if t in candidates and t not in first][:10]
        def rank(t):  # lines of the module run per second: specific and fast tests first
            return -(affinity.get(t, {}).get(m.file, 0) + 1) / (seconds.get(t, 1.0) + 0.3), t

        return first + sorted(candidates - set(first), key=rank)

    def one(worker, m, tests):
        root = worker.root
        if m.file not in sources:
            sources[m.file] = (root / m.file).read_text(encoding="utf-8")
        mtime = os.stat(root / m.file).st_mtime
        with lock:
            serial[0] += 1
            n = serial[0]
        budget = sum(seconds.get(t, 1.0) for t in tests) * args.timeout_factor + 20
        return worker.run({"file": m.file, "source": m.apply(sources[m.file]), "tests": tests,
                           "args": ["-x"], "timeout": budget, "serial": n, "mtime": mtime})

    def passes(worker, test):
        """Does test pass without a mutant (else it kills everything: the tree changed, or it is flaky)?"""
        with lock:
            known = passing.get(test)
        if known is None:
            result = worker.run({"tests": [test], "timeout": seconds.get(test, 1.0) * args.timeout_factor + 30})
            known = result["status"] == "survived"
            with lock:
                passing[test] = known
            if not known:
                log(f"{test} fails without a mutant: left out")
        return known

    def attempt(worker, m):
        candidates = select(m)
        if not candidates:
            m.status = "uncovered"
            return
        while True:
            with lock:
                order = [t for t in ordered(m, candidates) if passing.get(t) is not False]
            rest = order[args.max_tests:] if args.all_tests else order[args.max_tests:args.max_tests + args.more_tests]
            tries = [order[:args.max_tests], rest]
            m.candidates = len(order)
            m.status, m.killer = "survived", ""
            for tests in tries:
                if not tests:
                    continue
                result = one(worker, m, tests)
                m.seconds += result.get("seconds", 0)
                m.tests_run += len(tests)
                m.status = result["status"]
                m.killer = result.get("killer", "")
                if m.status == "error":
                    m.reason = result.get("error", f"pytest exit {result.get('rc')}")
                if m.status != "survived":
                    break
            if not m.killer or passes(worker, m.killer):
                return

    def loop(worker):
        while True:
            with lock:
                if not queue:
                    return
                m = queue.pop(0)
            attempt(worker, m)
            with lock:
                if m.killer:
                    ks = killers.setdefault((m.file, m.scope), [])
                    if m.killer not in ks:
                        ks.insert(0, m.killer)
                    ak = any_killer.setdefault(m.file, [])
                    if m.killer in ak:
                        ak.remove(m.killer)
                    ak.insert(0, m.killer)
                done[0] += 1
                if m.status in ("survived", "uncovered", "error", "timeout") or done[0] % 25 == 0:
                    log(f"{done[0]}/{len(chosen)} {m.status:9} {m.seconds:5.0f}s {m.tests_run:4}/{m.candidates} tests "
                        f"{m.file}:{m.line} {m.id}")

    threads = [threading.Thread(target=loop, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return chosen


def report(all_mutants, chosen, equivalent, used_equivalent, args, elapsed, modules):
    chosen_ids = {id(m) for m in chosen}
    print()
    print(f"{'module':16} {'mutants':>7} {'equiv.':>6} {'run':>5} {'killed':>6} {'timeout':>7} "
          f"{'survived':>8} {'uncov.':>6} {'error':>5} {'score':>7}")
    survivors = []
    for f, ms in all_mutants.items():
        run = [m for m in ms if id(m) in chosen_ids]
        count = {s: sum(m.status == s for m in run) for s in ("killed", "timeout", "survived", "uncovered", "error")}
        eq = sum(m.status == "equivalent" for m in ms)
        scored = count["killed"] + count["timeout"] + count["survived"] + count["uncovered"]
        score = (count["killed"] + count["timeout"]) / scored if scored else 1.0
        sampled = "" if len(run) + eq == len(ms) else " (sample)"
        print(f"{Path(f).name:16} {len(ms):7} {eq:6} {len(run):5} {count['killed']:6} {count['timeout']:7} "
              f"{count['survived']:8} {count['uncovered']:6} {count['error']:5} {score:7.1%}{sampled}")
        survivors += [m for m in run if m.status in ("survived", "uncovered", "error")]
    print(f"\ntotal time {elapsed / 60:.1f} min")
    if survivors:
        print("\nsurvivors (file:line  kind  id):")
        for m in sorted(survivors, key=lambda m: (m.file, m.line)):
            extra = f"  [{m.status}{': ' + m.reason if m.reason else ''}]" if m.status != "survived" else ""
            if m.status == "survived" and m.tests_run < m.candidates:
                extra += f"  [{m.tests_run} of {m.candidates} covering tests tried]"
            print(f"  {m.file}:{m.line}  {m.kind}  {m.id}{extra}")
    stale = [i for i in equivalent if i not in used_equivalent
             and any(i.startswith(Path(f).name + "::") for f in modules)]
    if stale:
        print("\nstale entries in the equivalent file (no such mutant now):")
        for i in stale:
            print(f"  {i}")


if __name__ == "__main__":
    sys.exit(main())

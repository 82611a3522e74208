"""The one place that knows how output looks: tables, csv, json, markdown.

Colour and boxes (rich) only on a terminal without NO_COLOR; plain, stable text
(tabulate) when piped or run by cron. rich and tabulate are imported on use.
"""

import csv
import json
import os
import sys
from contextlib import contextmanager

FORMATS = ("table", "csv", "json")
REPORT_FORMATS = ("table", "csv", "json", "markdown")


def colour():
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def rows(items, fmt="table", columns=None, title=None, highlight=None, out=None):
    """A list of dicts as table|csv|json|markdown. highlight(row) marks rows that must stand out."""
    out = out or sys.stdout
    columns = columns or (list(items[0]) if items else [])
    if fmt == "json":
        out.write(json.dumps([{c: r.get(c) for c in columns} for r in items], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_text(r.get(c)) for c in columns] for r in items])
    elif fmt == "markdown":
        from tabulate import tabulate

        out.write(tabulate([[_text(r.get(c)) for c in columns] for r in items], columns, tablefmt="github") + "\n")
    elif colour() and out is sys.stdout:
        _rich_table(items, columns, title, highlight)
    else:
        _plain_table(items, columns, title, highlight, out)


def _plain_table(items, columns, title, highlight, out):
    from tabulate import tabulate

    if title:
        out.write(f"{title}\n")
    if not items:
        out.write("(none)\n")
        return
    body = [[_text(r.get(c)) for c in columns] for r in items]
    if highlight:  # without colour, a marker column makes the rows stand out
        columns = ["!", *columns]
        body = [["!" if highlight(r) else "", *line] for r, line in zip(items, body)]
    out.write(tabulate(body, columns, tablefmt="simple", disable_numparse=True) + "\n")


def _rich_table(items, columns, title, highlight):
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for c in columns:
        table.add_column(c)
    for r in items:
        style = "bold red" if highlight and highlight(r) else None
        table.add_row(*[_text(r.get(c)) for c in columns], style=style)
    Console().print(table if items else f"{title + ': ' if title else ''}(none)")


def record(data, fmt="table", out=None):
    """One object (e.g. participant show): nested lists become sub-tables."""
    out = out or sys.stdout
    if fmt == "json":
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    scalars = {k: v for k, v in data.items() if not isinstance(v, (list, dict))}
    width = max(map(len, scalars), default=0)
    for key, value in scalars.items():
        out.write(f"{key:<{width}}  {_text(value)}\n")
    for key, value in data.items():
        if isinstance(value, list):
            out.write("\n")
            rows(value, "csv" if fmt == "csv" else "table", title=key, out=out if fmt == "csv" else None)
        elif isinstance(value, dict):
            out.write(f"\n{key}\n")
            record(value, fmt, out)


def message(text):
    """A confirmation for the person at the terminal."""
    sys.stdout.write(text + "\n")


def error(text):
    sys.stderr.write(f"kimu: {text}\n")


@contextmanager
def progress(label):
    """A callback progress(done, total) drawing a bar on stderr when it is a terminal; None on a pipe."""
    if not sys.stderr.isatty():
        yield None
        return
    bar = _ProgressBar(label)
    try:
        yield bar
    finally:
        bar.close()


class _ProgressBar:
    """Started on the first report, so a small file that never reports shows nothing."""

    def __init__(self, label):
        self.label, self.bar, self.task = label, None, None

    def __call__(self, done, total):
        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def close(self):
        if self.bar is not None:
            self.bar.stop()


def import_summary(summary, fmt="table"):
    """What `kimu import` did: counts, leaders and sites created, columns ignored."""
    if fmt != "table":
        if fmt == "csv":
            rows([{k: "; ".join(v) if isinstance(v, list) else v for k, v in summary.items()}], "csv")
        else:
            record(summary, fmt)
        return
    s = summary
    counts = ", ".join(f"{s[k]} {k}" for k in ("inserted", "updated", "unchanged", "skipped"))
    lines = [f"{s['file']} ({s['kind']}, {s['encoding']}, delimiter {s['delimiter']!r}): {s['rows']} rows: {counts}"]
    would = "would be created" if s["dry_run"] else "created"
    for key, what in (("sites_created", "sites"), ("leaders_created", "leaders")):
        if s[key]:
            lines.append(f"{what} {would}: {', '.join(s[key])}")
    if s["extra_columns"]:
        lines.append(f"columns ignored: {', '.join(s['extra_columns'])}")
    if s["dry_run"]:
        lines.append("dry run: nothing was written")
    elif not (s["inserted"] or s["updated"]):
        lines.append("nothing changed: the database already had every row")
    message("\n".join(lines))

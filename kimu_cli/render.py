"""The one place that knows how output looks: tables, csv, json, markdown.

Colour and boxes (rich) only on a terminal without NO_COLOR; plain, stable text
when piped or run by cron; markdown through tabulate. rich and tabulate are imported on use.
"""

import csv
import json
import os
import re
import sys
from contextlib import contextmanager

from kimu_cli import dates, labels


def colour():
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def rows(items, fmt="table", columns=None, title=None, highlight=None, out=None, headers=None):
    """A list of dicts as table|csv|json|markdown. highlight(row) marks rows that must stand out;
    headers {column: label} relabels the columns people read (csv and json keep the keys)."""
    out = out or sys.stdout
    columns = columns or (list(items[0]) if items else [])
    if headers is None and fmt not in ("csv", "json") and labels.current() == "nb":
        items, highlight, headers = _people(items, columns, highlight)
    names = [(headers or {}).get(c, c) for c in columns]
    if fmt == "json":
        out.write(json.dumps([{c: r.get(c) for c in columns} for r in items], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        from kimu_cli.formulas import neutralise  # every CSV kimu writes is formula-safe

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_text(neutralise(r.get(c))) for c in columns] for r in items])
    elif fmt == "markdown":
        from tabulate import tabulate

        body = [[markdown_cell(_text(r.get(c))) for c in columns] for r in items]
        out.write(tabulate(body, list(map(markdown_cell, names)), tablefmt="github") + "\n")
    elif colour() and out is sys.stdout:
        _rich_table(items, columns, title, highlight, names)
    else:
        _plain_table(items, columns, title, highlight, out, names)


def _people(items, columns, highlight):
    """(rows, highlight, headers) of a list as people read it in bokmål: columns labelled, codes
    (statuses, kinds, reasons, alerts, audit actions) in words, dates dd.mm.yyyy, decimal commas.
    English tables keep the keys and codes, as they always have."""
    formatted = [{c: people_value(c, r.get(c)) for c in columns} for r in items]
    if highlight:
        marked = {id(f) for f, r in zip(formatted, items) if highlight(r)}
        highlight = lambda f: id(f) in marked  # noqa: E731 -- the raw rows decide
    return formatted, highlight, {c: labels.column(c) for c in columns}


def people_value(column, value):
    """One cell of a list in bokmål (see _people)."""
    if isinstance(value, bool) or column in ("redacted", "forced") and value in (0, 1):
        return labels.t("yes") if value else labels.t("no")
    if isinstance(value, float):
        return _number(value, "nb", 2)
    if isinstance(value, int) and column not in ("id", "birth_year", "year", "record"):
        return _number(value, "nb")
    if column in ("check", "fix") and isinstance(value, str):  # kimu db check
        from kimu_cli.messages import CHECKS_NB

        for english in sorted(CHECKS_NB, key=len, reverse=True):
            value = value.replace(english, CHECKS_NB[english])
        return value
    if column in ("changes", "record") and isinstance(value, str):  # the audit log's 'date: - -> 2026-11-20; ...'
        value = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", lambda m: dates.norwegian(m[0]), value)
        return re.sub(r"(^|; )(\w+): ", lambda m: f"{m[1]}{labels.column(m[2])}: ", value)
    if isinstance(value, str):
        coded = labels.value(column, value, "nb")
        if coded is not value:
            return coded
        return dates.norwegian_time(value)
    return value


def markdown_cell(text):
    """A table cell that stays one cell: '|' escaped, line breaks as spaces."""
    return " ".join(str(text).replace("|", "\\|").splitlines())


def _plain_table(items, columns, title, highlight, out, names=None):
    if title:
        out.write(f"{title}\n")
    if not items:
        out.write(f"{labels.text('none', labels.current())}\n")
        return
    body = [list(map(_text, map(r.get, columns))) for r in items]
    names = names or columns
    if highlight:  # without colour, a marker column makes the rows stand out
        names = ["!", *names]
        body = [["!" if highlight(r) else "", *line] for r, line in zip(items, body)]
    out.write(_columns(names, body))


def _columns(names, body):
    """Left-aligned columns under a dashed rule: plain, stable text for pipes and mail
    (laid out here because tabulate's type guessing dominated large reports)."""
    widths = [max(map(len, column)) for column in zip(names, *body)]
    layout = "  ".join(f"{{:<{width}}}" for width in widths).format

    def line(cells):
        return layout(*cells).rstrip() + "\n"

    return line(names) + line(["-" * w for w in widths]) + "".join(map(line, body))


def _rich_table(items, columns, title, highlight, names=None):
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name in names or columns:
        table.add_column(name)
    for r in items:
        style = "bold red" if highlight and highlight(r) else None
        table.add_row(*[_text(r.get(c)) for c in columns], style=style)
    Console().print(table if items else f"{title + ': ' if title else ''}{labels.text('none', labels.current())}")


def record(data, fmt="table", out=None):
    """One object (e.g. participant show): nested lists become sub-tables."""
    out = out or sys.stdout
    if fmt == "json":
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    nb = fmt != "csv" and labels.current() == "nb"
    scalars = {k: v for k, v in data.items() if not isinstance(v, (list, dict))}
    if nb:
        scalars = {labels.column(k): people_value(k, v) for k, v in scalars.items()}
    width = max(map(len, scalars), default=0)
    for key, value in scalars.items():
        out.write(f"{key:<{width}}  {_text(value)}\n")
    for key, value in data.items():
        if isinstance(value, list):
            out.write("\n")
            rows(value, "csv" if fmt == "csv" else "table", title=labels.column(key) if nb else key,
                 out=out if fmt == "csv" else None)
        elif isinstance(value, dict):
            out.write(f"\n{key}\n")
            record(value, fmt, out)


def message(text):
    """A confirmation for the person at the terminal."""
    sys.stdout.write(text + "\n")


def error(text):
    """One line on stderr: an error, or what the user should know beside the output (a new database,
    a permission made private), so pipes and files get the output alone."""
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
    s, t = summary, labels.t
    counts = ", ".join(t(f"import_{k}", count=s[k]) for k in ("inserted", "updated", "unchanged", "skipped"))
    kind = labels.coded("entity", s["kind"])
    if s.get("sheet") is not None:  # a workbook: its sheet and header row where a CSV file has encoding and delimiter
        source = t("import_source_sheet", kind=kind, format=s["format"], sheet=repr(s["sheet"]), row=s["header_row"])
    else:
        source = t("import_source_csv", kind=kind, encoding=s["encoding"], delimiter=repr(s["delimiter"]))
    lines = [t("import_read", file=s["file"], source=source, rows=s["rows"], counts=counts)]
    for key in ("sites_created", "leaders_created"):
        if s[key]:
            lines.append(t(f"import_{key}{'_dry' if s['dry_run'] else ''}", names=", ".join(s[key])))
    if s["extra_columns"]:
        lines.append(t("import_columns_ignored", names=", ".join(s["extra_columns"])))
    if s["dry_run"]:
        lines.append(t("import_dry_run"))
    elif not (s["inserted"] or s["updated"]):
        lines.append(t("import_nothing_changed"))
    message("\n".join(lines))


# Reports (summary outcomes|cost|weekly, capacity): a document is language-free --
# {"title": key, "period": (from, to) or "week": "2026-W47", "note": key or None,
#  "sections": [{"title": key, "facts": [(key, value)], "table": {"columns": [key], "rows": [dict],
#  "highlight": callable}, "chart": {"label": key, "value": key}}]} -- and labelled here
# (kimu_cli.labels), so the same report reads in English or bokmål.
_NOK = {"monthly_cost", "model_cost", "compare_monthly_cost", "compare_cost", "saving",
        "cost_per_moved_on", "compare_cost_per_moved_on"}
_DATES = {"date", "start_date", "end_date", "on", "from", "to"}


def _number(value, lang, decimals=0):
    """1,234.5 in English; 1 234,5 in bokmål (a plain space between thousands: it survives every
    terminal, mail and Excel paste, where U+202F may not)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",") if lang == "nb" else text


def number(value):
    """A whole number as people read it in the language of the run (3 500 in bokmål)."""
    return _number(value, labels.current()) if labels.current() == "nb" else str(value)


def cell(key, value, lang="en"):
    """One value as people read it: rates as '47 %', NOK, dates dd.mm.yyyy in bokmål, coded values labelled."""
    if value is None:
        return ""
    if isinstance(value, str):
        return dates.norwegian(value) if key in _DATES and lang == "nb" else labels.value(key, value, lang)
    if key.endswith("rate"):
        return f"{int(value * 100 + 0.5)} %"
    if key in _NOK:
        return f"{_number(value, lang)} kr" if lang == "nb" else f"NOK {_number(value, lang)}"
    if isinstance(value, float):
        return _number(value, lang, 1)
    return str(value)


def _heading(doc, lang):
    title = labels.text(doc["title"], lang)
    if "week" in doc:  # 2026-W48; in bokmål "uke 48 2026"
        year, _, number = doc["week"].partition("-W")
        title += f" {labels.text('week_title', lang, number=int(number), year=year)}" if number else f" {doc['week']}"
    lines = []
    if "period" in doc:
        start, end = (cell("from", d, lang) for d in doc["period"])
        lines.append(f"{labels.text('period', lang)}: {start} {labels.text('to_word', lang)} {end}")
    if doc.get("note"):
        lines.append(labels.text(doc["note"][0], lang, **doc["note"][1]))
    return title, lines


def _labelled_table(table, lang):
    """(formatted rows, column labels, highlight) of a document table."""
    columns = table["columns"]
    formatted = [{c: cell(c, r.get(c), lang) for c in columns} for r in table["rows"]]
    marked = {id(f) for f, r in zip(formatted, table["rows"]) if table.get("highlight") and table["highlight"](r)}
    headers = {c: labels.text(c, lang) for c in columns}
    return formatted, headers, (lambda f: id(f) in marked) if table.get("highlight") else None


def document(doc, fmt="text", lang="en", out=None):
    """A report as text (plain, stable: a mail body), table (text with terminal tables),
    markdown or html (one self-contained file with inline SVG charts)."""
    out = out or sys.stdout
    if fmt == "html":
        out.write(_html(doc, lang))
    elif fmt == "markdown":
        _markdown(doc, lang, out)
    else:
        _text_document(doc, lang, out, terminal=fmt == "table")


def _text_document(doc, lang, out, terminal):
    title, lines = _heading(doc, lang)
    out.write(f"{title}\n{'=' * len(title)}\n")
    out.writelines(f"{line}\n" for line in lines)
    for section in doc["sections"]:
        out.write("\n")
        if section.get("title"):
            out.write(f"{labels.text(section['title'], lang)}\n")
        facts = [(labels.text(k, lang), cell(k, v, lang)) for k, v in section.get("facts", [])]
        width = max((len(label) for label, _ in facts), default=0)
        out.writelines(f"  {label:<{width}}  {value}\n" for label, value in facts)
        if "table" in section:
            formatted, headers, highlight = _labelled_table(section["table"], lang)
            if facts:
                out.write("\n")
            if not formatted:
                out.write(f"  {labels.text('none', lang)}\n")
            elif terminal:
                out.flush()
                rows(formatted, "table", section["table"]["columns"], None, highlight, out, headers)
            else:
                _plain_table(formatted, section["table"]["columns"], None, highlight, out,
                             [headers[c] for c in section["table"]["columns"]])


def _markdown(doc, lang, out):
    title, lines = _heading(doc, lang)
    out.write(f"# {title}\n\n")
    out.writelines(f"{line}\n\n" for line in lines)
    for section in doc["sections"]:
        if section.get("title"):
            out.write(f"## {labels.text(section['title'], lang)}\n\n")
        if section.get("facts"):
            out.writelines(f"- **{labels.text(k, lang)}:** {cell(k, v, lang)}\n" for k, v in section["facts"])
            out.write("\n")
        if "table" in section:
            formatted, headers, highlight = _labelled_table(section["table"], lang)
            if formatted:
                if highlight:  # markdown has no colour: bold marks the rows that stand out
                    formatted = [{c: f"**{v}**" if highlight(f) and v else v for c, v in f.items()} for f in formatted]
                rows(formatted, "markdown", section["table"]["columns"], out=out, headers=headers)
            else:
                out.write(f"{labels.text('none', lang)}\n")
            out.write("\n")


_STYLE = (
    "body{font-family:system-ui,sans-serif;color:#222;max-width:60em;margin:1em auto;padding:0 1em}"
    "table{border-collapse:collapse;margin:.5em 0}th,td{padding:.2em .6em;border-bottom:1px solid #ddd;"
    "text-align:left}tr.over td{background:#fde2e2;font-weight:bold}h2{margin-top:1.5em;font-size:1.2em}"
    "svg text{font-size:12px;font-family:system-ui,sans-serif}"
)


def _html(doc, lang):
    from html import escape

    title, lines = _heading(doc, lang)
    parts = [f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
             f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>",
             f"<h1>{escape(title)}</h1>", *(f"<p>{escape(line)}</p>" for line in lines)]
    for section in doc["sections"]:
        parts.append("<section>")
        if section.get("title"):
            parts.append(f"<h2>{escape(labels.text(section['title'], lang))}</h2>")
        if section.get("facts"):
            parts.append("<table>" + "".join(
                f"<tr><th>{escape(labels.text(k, lang))}</th><td>{escape(cell(k, v, lang))}</td></tr>"
                for k, v in section["facts"]) + "</table>")
        if "chart" in section:
            parts.append(_svg_bars(section["table"]["rows"], section["chart"], lang))
        if "table" in section:
            parts.append(_html_table(section["table"], lang))
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _html_table(table, lang):
    from html import escape

    formatted, headers, highlight = _labelled_table(table, lang)
    if not formatted:
        return f"<p>{escape(labels.text('none', lang))}</p>"
    head = "".join(f"<th>{escape(headers[c])}</th>" for c in table["columns"])
    marker = ' class="over"'
    body = "".join(
        f"<tr{marker if highlight and highlight(f) else ''}>"
        + "".join(f"<td>{escape(f[c])}</td>" for c in table["columns"]) + "</tr>"
        for f in formatted
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _svg_bars(items, chart, lang, width=480, bar=18):
    """A small horizontal bar chart; rates on a 0-100 % scale, counts against the largest.
    Hidden (suppressed) values get no bar, only their text."""
    from html import escape

    label_key, value_key = chart["label"], chart["value"]
    numbers = [r[value_key] for r in items if isinstance(r.get(value_key), (int, float))]
    if not numbers:  # nothing to draw (no registrations, or all hidden): the table says it
        return ""
    top = 1 if value_key.endswith("rate") else max(numbers, default=0) or 1
    left, room = 170, width - 170 - 60
    height = bar * len(items) + 4
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    for i, r in enumerate(items):
        y, value = i * bar + 2, r.get(value_key)
        name = escape(str(cell(label_key, r.get(label_key), lang))[:28])
        size = room * value / top if isinstance(value, (int, float)) else 0
        out.append(f'<text x="{left - 6}" y="{y + bar - 5}" text-anchor="end">{name}</text>'
                   f'<rect x="{left}" y="{y}" width="{size:.1f}" height="{bar - 4}" fill="#3b6ea5"/>'
                   f'<text x="{left + size + 4:.1f}" y="{y + bar - 5}">{escape(cell(value_key, value, lang))}</text>')
    out.append("</svg>")
    return "".join(out)

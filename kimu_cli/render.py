"""The one place that knows how output looks: tables, csv, json, markdown.

Colour and boxes (rich) only on a terminal without NO_COLOR; plain, stable text
when piped or run by cron; markdown through tabulate. rich and tabulate are imported on use.
"""

import csv
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NotRequired, TextIO, TypedDict

from kimu_cli import dates, labels

if TYPE_CHECKING:
    from kimu_cli.followup import Moves, WeekFigures
    from kimu_cli.timeline import Calendar, Shown

# A row to show: a dict, keyed by column.
Row = Mapping[str, Any]
# Marks the rows that must stand out (shown bold red, or with a "!" column).
Highlight = Callable[[Row], bool]


def colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _text(value: object, csv: bool = False) -> str:
    """A cell as text: a yes/no value true/false in CSV (for scripts), yes/no in words for people."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("true" if value else "false") if csv else labels.t("yes" if value else "no")
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def rows(items: Sequence[Row], fmt: str = "table", columns: Sequence[str] | None = None, title: str | None = None,
         highlight: Highlight | None = None, out: TextIO | None = None,
         headers: Mapping[str, str] | None = None) -> None:
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
        writer.writerows([[_text(neutralise(r.get(c)), csv=True) for c in columns] for r in items])
    elif fmt == "markdown":
        from tabulate import tabulate

        body = [[markdown_cell(_text(r.get(c))) for c in columns] for r in items]
        out.write(tabulate(body, list(map(markdown_cell, names)), tablefmt="github") + "\n")
    elif colour() and out is sys.stdout:
        _rich_table(items, columns, title, highlight, names)
    else:
        _plain_table(items, columns, title, highlight, out, names)


def _people(items: Sequence[Row], columns: Sequence[str], highlight: Highlight | None
            ) -> tuple[list[dict[str, Any]], Highlight | None, dict[str, str]]:
    """(rows, highlight, headers) of a list as people read it in bokmål: columns labelled, codes
    (statuses, kinds, reasons, alerts, audit actions) in words, dates dd.mm.yyyy, decimal commas.
    English tables keep the keys and codes, as they always have."""
    formatted = [{c: people_value(c, r.get(c)) for c in columns} for r in items]
    if highlight:
        marked = {id(f) for f, r in zip(formatted, items) if highlight(r)}
        highlight = lambda f: id(f) in marked
    return formatted, highlight, {c: labels.column(c) for c in columns}


def people_value(column: str, value: Any) -> Any:
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


def markdown_cell(text: object) -> str:
    """A table cell that stays one cell: '|' escaped, line breaks as spaces."""
    return " ".join(str(text).replace("|", "\\|").splitlines())


def _plain_table(items: Sequence[Row], columns: Sequence[str], title: str | None, highlight: Highlight | None,
                 out: TextIO, names: Sequence[str] | None = None) -> None:
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


def _columns(names: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns under a dashed rule: plain, stable text for pipes and mail
    (laid out here because tabulate's type guessing dominated large reports)."""
    widths = [max(map(len, column)) for column in zip(names, *body)]
    padded = "  ".join(f"{{:<{width}}}" for width in widths).format

    def line(cells: Sequence[str]) -> str:
        return padded(*cells).rstrip() + "\n"

    return line(names) + line(["-" * w for w in widths]) + "".join(map(line, body))


def _rich_table(items: Sequence[Row], columns: Sequence[str], title: str | None, highlight: Highlight | None,
                names: Sequence[str] | None = None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for name in names or columns:
        table.add_column(name)
    for r in items:
        style = "bold red" if highlight and highlight(r) else None
        table.add_row(*[_text(r.get(c)) for c in columns], style=style)
    Console().print(table if items else f"{title + ': ' if title else ''}{labels.text('none', labels.current())}")


def record(data: Mapping[str, Any], fmt: str = "table", out: TextIO | None = None) -> None:
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


def message(text: str) -> None:
    """A confirmation for the person at the terminal."""
    sys.stdout.write(text + "\n")


def error(text: str) -> None:
    """One line on stderr: an error, or what the user should know beside the output (a new database,
    a permission made private), so pipes and files get the output alone."""
    sys.stderr.write(f"kimu: {text}\n")


def person_at_terminal() -> bool:
    return sys.stderr.isatty()


def wrote(text: str) -> None:
    """Where a file went, on stderr for the person at a terminal; silent for cron (which mails
    every line a job prints) and pipes."""
    if person_at_terminal():
        error(text)


@contextmanager
def progress(label: str) -> Iterator["_ProgressBar | None"]:
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

    def __init__(self, label: str) -> None:
        self.label: str = label
        self.bar: Any = None  # a rich Progress, made on the first report
        self.task: Any = None

    def __call__(self, done: int, total: int | None) -> None:
        if self.bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def import_summary(summary: Mapping[str, Any], fmt: str = "table") -> None:
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
        lines.append(t("import_nothing_changed" if s["unchanged"] else "import_no_rows"))
    message("\n".join(lines))


# Reports (summary outcomes|cost|weekly, capacity) build a Document: language-free, every title,
# fact and column a key of kimu_cli.labels, labelled here, so the same report reads in English or bokmål.


class Table(TypedDict):
    columns: list[str]  # keys of the rows, in order
    rows: Sequence[Row]
    highlight: NotRequired[Highlight]


class Chart(TypedDict):
    """A bar per table row (html only): label and value name columns of the table."""

    label: str
    value: str


class Section(TypedDict, total=False):
    title: str | tuple[str, dict[str, Any]]  # a label key, or (key, its fields): see title_text
    facts: list[tuple[str, object]]  # (key, value)
    table: Table
    chart: Chart
    svg: tuple[str, object]  # html only: (kind, its data), a chart of SVG_CHARTS (the weekly page's 12 weeks)


class Document(TypedDict):
    title: str
    sections: list[Section]
    period: NotRequired[tuple[str | None, str | None]]  # (from, to)
    week: NotRequired[str]  # 2026-W47
    note: NotRequired[tuple[str, dict[str, object]]]  # (key, its fields), e.g. ("suppressed_counts", {"n": 5})


_NOK = {"monthly_cost", "model_cost", "compare_monthly_cost", "compare_cost", "saving",
        "cost_per_moved_on", "compare_cost_per_moved_on"}
_DATES = {"date", "start_date", "end_date", "on", "from", "to", "since", "last_contact", "enrollment_start"}
NO_RATE = "–"
_TWO_DECIMALS = {"participant_months"}  # the figure the costs are computed from, shown as it is


def _number(value: float, lang: str, decimals: int = 0) -> str:
    """1,234.5 in English; 1 234,5 in bokmål (a plain space between thousands: it survives every
    terminal, mail and Excel paste, where U+202F may not)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",") if lang == "nb" else text


def number(value: int) -> str:
    """A whole number as people read it in the language of the run (3 500 in bokmål)."""
    return _number(value, labels.current()) if labels.current() == "nb" else str(value)


def cell(key: str, value: Any, lang: str = "en") -> str:
    """One value as people read it: rates as '47 %', NOK, dates dd.mm.yyyy in bokmål, coded values labelled."""
    if value is None:  # a rate of nobody (or resting on hidden counts): a dash, never an empty cell
        return NO_RATE if key.endswith("rate") else ""
    if isinstance(value, bool):
        return labels.text("yes" if value else "no", lang)
    if isinstance(value, str):
        return dates.norwegian(value) if key in _DATES and lang == "nb" else str(labels.value(key, value, lang))
    if key.endswith("rate"):
        return f"{int(value * 100 + 0.5)} %"
    if key in _NOK:
        return f"{_number(value, lang)} kr" if lang == "nb" else f"NOK {_number(value, lang)}"
    if key in _TWO_DECIMALS:
        return _number(value, lang, 2)
    if isinstance(value, float):
        return _number(value, lang, 1)
    return str(value)


def title_text(title: str | tuple[str, dict[str, Any]], lang: str) -> str:
    """A section's title: a label key, or (key, fields) for a label that names what it counts."""
    if isinstance(title, tuple):
        return labels.text(title[0], lang, **title[1])
    return labels.text(title, lang)


def _heading(doc: Document, lang: str) -> tuple[str, list[str]]:
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


class _Formatted(dict[str, str]):
    """A table row as people read it, and whether its row stood out (the highlight asks the row's
    values, which formatting replaced by text)."""

    def __init__(self, cells: dict[str, str], stands_out: bool) -> None:
        super().__init__(cells)
        self.stands_out = stands_out


def _stands_out(row: Row) -> bool:
    return isinstance(row, _Formatted) and row.stands_out


def _labelled_table(table: Table, lang: str) -> tuple[list[_Formatted], dict[str, str], Highlight | None]:
    """(formatted rows, column labels, highlight) of a document table."""
    columns = table["columns"]
    highlight = table.get("highlight")
    formatted = [_Formatted({c: cell(c, r.get(c), lang) for c in columns}, bool(highlight and highlight(r)))
                 for r in table["rows"]]
    headers = {c: labels.text(c, lang) for c in columns}
    return formatted, headers, _stands_out if highlight else None


def document(doc: Document, fmt: str = "text", lang: str = "en", out: TextIO | None = None) -> None:
    """A report as text (plain, stable: a mail body), table (text with terminal tables),
    markdown or html (one self-contained file with inline SVG charts)."""
    out = out or sys.stdout
    if fmt == "html":
        out.write(_html(doc, lang))
    elif fmt == "markdown":
        _markdown(doc, lang, out)
    else:
        _text_document(doc, lang, out, terminal=fmt == "table")


def _text_document(doc: Document, lang: str, out: TextIO, terminal: bool) -> None:
    title, lines = _heading(doc, lang)
    out.write(f"{title}\n{'=' * len(title)}\n")
    out.writelines(f"{line}\n" for line in lines)
    for section in doc["sections"]:
        out.write("\n")
        if section.get("title"):
            out.write(f"{title_text(section['title'], lang)}\n")
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


def _markdown(doc: Document, lang: str, out: TextIO) -> None:
    title, lines = _heading(doc, lang)
    out.write(f"# {title}\n\n")
    out.writelines(f"{line}\n\n" for line in lines)
    for section in doc["sections"]:
        if section.get("title"):
            out.write(f"## {title_text(section['title'], lang)}\n\n")
        if section.get("facts"):
            out.writelines(f"- **{labels.text(k, lang)}:** {cell(k, v, lang)}\n" for k, v in section["facts"])
            out.write("\n")
        if "table" in section:
            formatted, headers, highlight = _labelled_table(section["table"], lang)
            if formatted:
                shown: list[dict[str, str]] = list(formatted)
                if highlight:  # markdown has no colour: bold marks the rows that stand out
                    shown = [{c: f"**{v}**" if f.stands_out and v else v for c, v in f.items()} for f in formatted]
                rows(shown, "markdown", section["table"]["columns"], out=out, headers=headers)
            else:
                out.write(f"{labels.text('none', lang)}\n")
            out.write("\n")


_STYLE = (
    "body{font-family:system-ui,sans-serif;color:#222;max-width:60em;margin:1em auto;padding:0 1em}"
    "table{border-collapse:collapse;margin:.5em 0}th,td{padding:.2em .6em;border-bottom:1px solid #ddd;"
    "text-align:left}tr.over td{background:#fde2e2;font-weight:bold}h2{margin-top:1.5em;font-size:1.2em}"
    "svg text{font-size:12px;font-family:system-ui,sans-serif}"
    # charts scale down to the page (their viewBox keeps every label inside); A4 in print, nothing cut off
    "svg{max-width:100%;height:auto;display:block}td{overflow-wrap:break-word}"
    ".legend{font-size:.9em;color:#444}.key{display:inline-block;width:.8em;height:.8em;margin:0 .3em 0 .8em}"
    "@page{size:A4;margin:14mm}"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10pt}h2{break-after:avoid}"
    "section{break-inside:avoid}table{font-size:9pt;width:100%}th,td{padding:.1em .3em}}"
)


def _html(doc: Document, lang: str) -> str:
    from html import escape

    title, lines = _heading(doc, lang)
    parts = [(f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
              f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>"),
             f"<h1>{escape(title)}</h1>", *(f"<p>{escape(line)}</p>" for line in lines)]
    for section in doc["sections"]:
        parts.append("<section>")
        if section.get("title"):
            parts.append(f"<h2>{escape(title_text(section['title'], lang))}</h2>")
        if section.get("facts"):
            parts.append("<table>" + "".join(
                f"<tr><th>{escape(labels.text(k, lang))}</th><td>{escape(cell(k, v, lang))}</td></tr>"
                for k, v in section["facts"]) + "</table>")
        if "chart" in section:
            parts.append(_svg_bars(section["table"]["rows"], section["chart"], lang))
        if "svg" in section:  # the weekly page's 12-week charts: ("kind", data), see SVG_CHARTS
            kind, data = section["svg"]
            parts.append(SVG_CHARTS[kind](data, lang))
        if "table" in section:
            parts.append(_html_table(section["table"], lang))
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _html_table(table: Table, lang: str) -> str:
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


def _svg_bars(items: Sequence[Row], chart: Chart, lang: str, width: int = 480, bar: int = 18) -> str:
    """A small horizontal bar chart; rates on a 0-100 % scale, counts against the largest.
    Hidden (suppressed) values get no bar, only their text."""
    from html import escape

    label_key, value_key = chart["label"], chart["value"]
    numbers = [r[value_key] for r in items if isinstance(r.get(value_key), (int, float))]
    if not numbers:  # nothing to draw (no registrations, or all hidden): the table says it
        return ""
    top = 1 if value_key.endswith("rate") else max(numbers, default=0) or 1
    # the labels' column as wide as the longest label needs (never cut: "MFY med opplæringskontrakt")
    names = [str(cell(label_key, r.get(label_key), lang)) for r in items]
    left = max(60, max(text_width(name) for name in names) + 12)
    value_room = max(text_width(cell(value_key, r.get(value_key), lang)) for r in items) + 10
    room = max(120, width - 170 - 60)
    width = left + room + value_room
    height = bar * len(items) + 4
    out = [_svg_open(width, height)]
    for i, r in enumerate(items):
        y, value = i * bar + 2, r.get(value_key)
        name = escape(names[i])
        size = room * value / top if isinstance(value, (int, float)) else 0
        out.append(f'<text x="{left - 6}" y="{y + bar - 5}" text-anchor="end">{name}</text>'
                   f'<rect x="{left}" y="{y}" width="{size:.1f}" height="{bar - 4}" fill="#3b6ea5"/>'
                   f'<text x="{left + size + 4:.1f}" y="{y + bar - 5}">{escape(cell(value_key, value, lang))}</text>')
    out.append("</svg>")
    return "".join(out)


# --- charts of the weekly page (issue 18) --------------------------------------------------------

FONT_SIZE = 12
# Width of one character as a share of the font size: generous for system-ui and DejaVu Sans (their
# widest common letters, m and W, are about 0.9; the average of a Norwegian name about 0.55), so a
# label given text_width() of room is never cut off. tests/test_weekly_html.py holds every label to it.
CHAR_WIDTH = 0.62


def text_width(text: object, size: int = FONT_SIZE) -> int:
    """The room a label takes, estimated generously (px)."""
    return round(len(str(text)) * size * CHAR_WIDTH + 2)


def _svg_open(width: int, height: int) -> str:
    """An SVG that scales to the page (max-width: 100 %) with everything inside its viewBox."""
    return (f'<svg viewBox="0 0 {width} {height}" width="{width}" '
            f'height="{height}" role="img">')


def _svg_text(x: float, y: float, text: object, anchor: str = "start", extra: str = "") -> str:
    from html import escape

    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text x="{x:.1f}" y="{y:.1f}"{anchor_attr}{extra}>{escape(str(text))}</text>'


def _week_short(label: str) -> str:
    """'2026-W47' -> 'W47' (the axis has no room for the year)."""
    return label.rpartition("-")[2]


class RateTrend(TypedDict):
    """The data of the rate_trend chart: followup.History's weeks and rate_trend."""

    weeks: list[str]
    series: dict[str, list[float | None]]  # leader -> rate per week


def _svg_rate_trend(data: RateTrend, lang: str, plot: int = 420, row: int = 34) -> str:
    """One line per leader: the attendance rate of each of the weeks (0-100 %), a dotted line at
    80 %, the last rate at the right; a week without a rate leaves a gap."""
    weeks, series = data["weeks"], data["series"]
    if not series:
        return ""
    names = list(series)
    left = max(text_width(name) for name in names) + 12
    last_texts = [cell("rate", next((v for v in reversed(values) if v is not None), None), lang) or "–"
                  for values in series.values()]
    right = max(text_width(t) for t in last_texts) + 12
    axis = 20
    width, height = left + plot + right, row * len(names) + axis + 4
    step = plot / max(len(weeks) - 1, 1)
    out = [_svg_open(width, height)]
    for i, (name, values) in enumerate(series.items()):
        top = i * row + 4
        low, high = top + row - 8, top + 2  # 0 % and 100 %
        out.append(_svg_text(left - 6, top + row / 2 + 4, name, "end"))
        out.append(f'<rect x="{left}" y="{high}" width="{plot}" height="{low - high}" fill="#f4f6f9"/>')
        y80 = low - 0.8 * (low - high)
        out.append(f'<line x1="{left}" y1="{y80:.1f}" x2="{left + plot}" y2="{y80:.1f}" stroke="#999" '
                   'stroke-dasharray="3 3" stroke-width="1"/>')
        points: list[str] = []  # "x,y" of the line being drawn
        for j, value in enumerate(values + [None]):
            if value is None:
                if len(points) > 1:
                    out.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#3b6ea5" '
                               'stroke-width="2"/>')
                for p in points if len(points) == 1 else ():
                    cx, cy = p.split(",")
                    out.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="#3b6ea5"/>')
                points = []
                continue
            points.append(f"{left + j * step:.1f},{low - value * (low - high):.1f}")
        out.append(_svg_text(left + plot + 6, top + row / 2 + 4, last_texts[i]))
    base = row * len(names) + 4 + 14
    for j, week in enumerate(weeks):
        if (len(weeks) - 1 - j) % 2 == 0:  # every other week, counted back from the last
            x = left + j * step
            anchor = "end" if j == len(weeks) - 1 else "middle"
            out.append(_svg_text(x, base, _week_short(week), anchor, ' fill="#555"'))
    out.append("</svg>")
    legend = (f'<p class="legend">{_legend_key("#3b6ea5")}{_esc(labels.text("attendance_rate", lang))}'
              f' &#183; - - - 80 %</p>')
    return legend + "".join(out)


def _esc(text: object) -> str:
    from html import escape

    return escape(str(text))


def _legend_key(colour: str) -> str:
    return f'<span class="key" style="background:{colour}"></span>'


def _bar_value(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _svg_stacked(rows: Sequence[Row], label_of: Callable[[Row], str], parts: Sequence[tuple[str, str]],
                 total_text: Callable[[Row], str], lang: str, plot: int = 380, bar: int = 18) -> str:
    """Horizontal bars, one per row, each the sum of parts [(key, colour)]; the label at the left,
    total_text(row) at the right. A hidden count ('<3', 'x') draws no bar: its text says it."""
    labels_left = [label_of(r) for r in rows]
    texts = [total_text(r) for r in rows]
    left = max(text_width(t) for t in labels_left) + 12
    right = max(text_width(t) for t in texts) + 12
    top = max([sum(_bar_value(r[k]) for k, _ in parts) for r in rows] + [1])
    width, height = left + plot + right, bar * len(rows) + 4
    out = [_svg_open(width, height)]
    for i, r in enumerate(rows):
        y = i * bar + 2
        out.append(_svg_text(left - 6, y + bar - 5, labels_left[i], "end"))
        x: float = left
        for key, colour in parts:
            size = plot * _bar_value(r[key]) / top
            if size:
                out.append(f'<rect x="{x:.1f}" y="{y}" width="{size:.1f}" height="{bar - 4}" fill="{colour}"/>')
            x += size
        out.append(_svg_text(x + 4, y + bar - 5, texts[i]))
    out.append("</svg>")
    legend = '<p class="legend">' + "".join(
        f"{_legend_key(colour)}{_esc(labels.text(key, lang))}" for key, colour in parts) + "</p>"
    return legend + "".join(out)


def _svg_follow_up(rows: Sequence["WeekFigures"], lang: str) -> str:
    """The alerts raised each week: followed up and open, 'followed/raised' at the right."""
    if not rows:
        return ""

    def total(r: Row) -> str:
        shown = f"{r['alerts_followed_up']}/{r['alerts_raised']}"
        median = r.get("median_working_days_to_contact")
        if median is None:
            return shown
        median = int(median) if float(median).is_integer() else median
        return f"{shown} ({cell('median', median, lang)} d)"

    chart = _svg_stacked(rows, lambda r: r["week"], [("alerts_followed_up", "#3b8a5a"), ("alerts_open", "#e0a030")],
                         total, lang)
    return chart + f'<p class="legend">{_esc(labels.text("follow_up_note", lang))}</p>'


def _svg_moves(rows: Sequence["Moves"], lang: str) -> str:
    """Participants moving on to education and to work, per month of the year."""
    if not rows:
        return ""
    month_names = {"en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
                   "nb": "jan feb mar apr mai jun jul aug sep okt nov des"}[lang].split()

    def label(r: Row) -> str:
        year, month = r["month"].split("-")
        return f"{month_names[int(month) - 1]} {year}"

    def total(r: Row) -> str:
        return f"{r['education']} + {r['work']}"

    return _svg_stacked(rows, label, [("education", "#3b6ea5"), ("work", "#8a5a9e")], total, lang)


# kind -> chart; each takes the data of its own kind (a Section's svg), hence Any.
SVG_CHARTS: dict[str, Callable[[Any, str], str]] = {"rate_trend": _svg_rate_trend, "follow_up_trend": _svg_follow_up, "moves_by_month": _svg_moves}
# ---- participant show: details, periods, timeline, attendance calendar ----

_MARKS = {"en": {"present": "P", "absent": "A", "excused": "E"}, "nb": {"present": "M", "absent": "F", "excused": "G"}}
_COLOURS = {"present": "32", "absent": "31", "excused": "33"}  # green, red, yellow


def _event_text(event: Mapping[str, Any], lang: str) -> str:
    kind = event["event"]
    if kind in ("enrolled", "reenrolled"):
        text = labels.text(f"tl_{kind}", lang, leader=event["leader"], site=event["site"])
        return text + (labels.text("tl_forced", lang) if event.get("capacity_overridden") else "")
    if kind == "ended":
        return labels.text("tl_ended", lang, reason=labels.value("end_reason", event["end_reason"], lang))
    if kind in ("absent_streak", "excused_spell"):
        if event["days"] == 1:
            return labels.text("tl_excused_day", lang)
        return labels.text(f"tl_{kind}", lang, days=event["days"], until=cell("date", event["until"], lang))
    if kind in ("transition", "milestone"):
        detail = f" ({event['detail']})" if event.get("detail") else ""
        return labels.text(f"tl_{kind}", lang, kind=labels.value("kind", event["kind"], lang), detail=detail)
    return labels.text("tl_corrected", lang, what=labels.text(f"tl_entity_{event['entity']}", lang),
                       changes=event["changes"])


def participant(shown: "Shown", calendar: "Calendar | None" = None, lang: str = "en",
                out: TextIO | None = None) -> None:
    """`participant show` for people: details and status, the periods with their attendance rate,
    the timeline, and the attendance calendar (coloured marks on a terminal, letters otherwise)."""
    out = out or sys.stdout
    terminal = colour() and out is sys.stdout
    title = f"{shown['ref']}" + (f" – {shown['name']}" if shown.get("name") else "")
    out.write(f"{title}\n{'=' * len(title)}\n")
    facts = [("status", labels.value("status", shown["status"], lang))]
    facts += [(k, shown[k]) for k in ("birth_year", "veileder", "goal", "notes") if shown.get(k) not in (None, "")]
    width = max(len(labels.text(k, lang)) for k, _ in facts)
    out.writelines(f"  {labels.text(k, lang):<{width}}  {v}\n" for k, v in facts)
    columns = ["leader", "site", "start_date", "end_date", "end_reason", "days", "present", "absent", "excused", "rate"]
    out.write(f"\n{labels.text('periods', lang)}\n")
    formatted, headers, _ = _labelled_table({"columns": columns, "rows": shown["enrollments"]}, lang)
    _plain_table(formatted, columns, None, None, out, [headers[c] for c in columns])
    out.write(f"\n{labels.text('timeline', lang)}\n")
    for event in shown["timeline"]:
        out.write(f"  {cell('date', event['date'], lang):<10}  {_event_text(event, lang)}\n")
    if calendar and calendar["weeks"]:
        _calendar(calendar, lang, out, terminal)


def _calendar(calendar: "Calendar", lang: str, out: TextIO, terminal: bool) -> None:
    days = labels.text("weekdays", lang).split()[: 7 if calendar["weekend"] else 5]
    marks = _MARKS[lang]
    title = "calendar_last" if calendar["cut"] else "calendar"
    out.write(f"\n{labels.text(title, lang, n=len(calendar['weeks']))}\n")
    out.write(f"  {'':<12}  " + " ".join(f"{d:<3}" for d in days) + "\n")
    for year, week, statuses in calendar["weeks"]:
        cells = []
        for day in range(len(days)):
            status = statuses.get(day)
            if status is None:
                cells.append("·  ")
            elif terminal:
                cells.append(f"\x1b[{_COLOURS[status]}m●\x1b[0m  ")
            else:
                cells.append(f"{marks[status]:<3}")
        out.write(f"  {labels.text('week_label', lang, year=year, week=week):<12}  " + " ".join(cells).rstrip() + "\n")
    legend = [f"{'●' if terminal else marks[s]} {labels.text(s, lang).lower()}" for s in ("present", "absent", "excused")]
    out.write("  " + "  ".join(legend) + "  · " + labels.text("not_recorded", lang) + "\n")

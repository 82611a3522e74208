"""Dates as users type them: ISO 2026-11-20 or Norwegian 20.11.2026."""

import os
import re
from datetime import date

from kimu_cli.errors import KimuError

_NORWEGIAN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse(value, field="date"):
    """A date from ISO or dd.mm.yyyy text (or a date); KimuError naming the field otherwise."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if m := _ISO.fullmatch(text):
        y, mo, d = m.groups()
    elif m := _NORWEGIAN.fullmatch(text):
        d, mo, y = m.groups()
    else:
        raise KimuError("dates_value_date", field=field, value=value)
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        raise KimuError("dates_value_date_calendar", field=field, value=value) from None


def parse_optional(value, field="date"):
    return None if value is None or str(value).strip() == "" else parse(value, field)


def iso(value, field="date"):
    """ISO text for SQL, from any accepted form; None stays None."""
    d = parse_optional(value, field)
    return d.isoformat() if d else None


def today():
    """Today, or KIMU_TODAY when set (reproducible reports and tests)."""
    fixed = os.environ.get("KIMU_TODAY")
    return parse(fixed, "KIMU_TODAY") if fixed else date.today()


_STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2})(:\d{2})?(\.\d+)?Z?")


def norwegian_time(value):
    """norwegian(), and a timestamp 2026-11-25T12:34:56.789Z as 25.11.2026 12:34:56 (UTC, as stored)."""
    if isinstance(value, str) and (m := _STAMP.fullmatch(value)):
        y, mo, d, hm, s = m.group(1, 2, 3, 4, 5)
        return f"{d}.{mo}.{y} {hm}{s or ''}"
    return norwegian(value)


def norwegian(value):
    """dd.mm.yyyy, as Norwegian readers and Excel expect, from an ISO date (text or a date); any other
    value (None, '', a text that is no ISO date) is given back as it is, never an exception: render
    and the Excel export call this for every cell of a date column."""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and (m := _ISO.fullmatch(value)):
        y, mo, d = m.groups()
        return f"{d}.{mo}.{y}"
    return value

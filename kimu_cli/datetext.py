"""A date as Norwegian readers and Excel read it (dd.mm.yyyy). Its own module, below everything:
the catalog of texts (kimu_cli.labels) writes dates this way, and kimu_cli.dates, which parses
dates, raises errors whose text comes from that catalog."""

import re
from datetime import date
from typing import TypeVar

ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
T = TypeVar("T")

_STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2})(:\d{2})?(\.\d+)?Z?")


def norwegian_time(value: object) -> object:
    """norwegian(), and a timestamp 2026-11-25T12:34:56.789Z as 25.11.2026 12:34:56 (UTC, as stored)."""
    if isinstance(value, str) and (m := _STAMP.fullmatch(value)):
        y, mo, d, hm, s = m.group(1, 2, 3, 4, 5)
        return f"{d}.{mo}.{y} {hm}{s or ''}"
    return norwegian(value)


def norwegian(value: T) -> T | str:
    """dd.mm.yyyy, as Norwegian readers and Excel expect, from an ISO date (text or a date); any other
    value (None, '', a text that is no ISO date) is given back as it is, never an exception: render
    and the Excel export call this for every cell of a date column."""
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and (m := ISO.fullmatch(value)):
        y, mo, d = m.groups()
        return f"{d}.{mo}.{y}"
    return value

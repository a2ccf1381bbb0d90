"""Dates as staff type them, always in Beijing time."""

from __future__ import annotations

import datetime as dt
import os
import re

# Beijing time as a fixed UTC+8, not the Asia/Shanghai zone: that zone gives 1899 dates the
# local mean time (+08:05:43, not valid in RFC 3339/822 feeds) and 1986-1991 summers +09:00.
TZ = dt.timezone(dt.timedelta(hours=8), "UTC+08:00")
FIRST_YEAR, LAST_YEAR = 1900, 2100  # outside these a date is a typing slip (and 9999 overflows)

_PATTERN = re.compile(
    r"^\s*(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?:[T\s]|(?<=日))\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{1,2})\s*分?(?:\s*[:：]\s*(?P<S>\d{1,2})(?:\.\d+)?\s*秒?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?\s*$"
)


def parse_datetime(value: object) -> dt.datetime | None:
    """Return an aware datetime in Beijing time (UTC+8), or None if unreadable.

    Accepts 2021-05-08, 2021-05-08 15:30, 2021/5/8, 2021年5月8日 (with an
    optional time) and what YAML itself produces. A date without a time is
    midnight, which keeps same-day ordering stable by file name. Years outside
    1900-2100 and offsets beyond ±14:00 are unreadable.
    """
    try:
        moment = _parse(value)
    except (ValueError, OverflowError):
        return None
    if moment is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        return None
    return moment


def _parse(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=TZ)
        return value.astimezone(TZ)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=TZ)
    if not isinstance(value, str):
        return None
    match = _PATTERN.match(value)
    if not match:
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if v and k != "tz"}
    try:
        moment = dt.datetime(
            parts["y"], parts["m"], parts["d"], parts.get("H", 0), parts.get("M", 0), parts.get("S", 0)
        )
    except ValueError:
        return None
    offset = match.group("tz")
    if offset:
        if offset == "Z":
            return moment.replace(tzinfo=dt.UTC).astimezone(TZ)
        sign = 1 if offset[0] == "+" else -1
        hours, minutes = int(offset[1:3]), int(offset[-2:])
        if hours > 14 or minutes > 59:  # the world's offsets run from -12:00 to +14:00
            return None
        zone = dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
        return moment.replace(tzinfo=zone).astimezone(TZ)
    return moment.replace(tzinfo=TZ)


def has_time(value: object) -> bool:
    """Whether staff wrote a time of day (2021-05-08 15:30), not a date alone (2021-05-08)."""
    if isinstance(value, dt.datetime):
        return True
    if isinstance(value, str):
        match = _PATTERN.match(value)
        return bool(match and match.group("H") is not None)
    return False


def build_now() -> dt.datetime:
    """The build's "now": SOURCE_DATE_EPOCH when set, so builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), TZ)
        except (ValueError, OverflowError, OSError):
            from site_builder.core.faults import Fault

            raise Fault("E836", value=epoch) from None
    return dt.datetime.now(TZ)


def chinese_date(moment: dt.datetime, with_time: bool = True) -> str:
    """2021年5月8日 15:30, the 公文 form (no leading zeros in month and day)."""
    text = f"{moment.year}年{moment.month}月{moment.day}日"
    return f"{text} {moment:%H:%M}" if with_time else text

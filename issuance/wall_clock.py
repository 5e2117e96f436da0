"""Times as people in the offices read them: Albania's wall clock (Europe/Tirane).

The database and the audit trail keep UTC; screens, receipts and refusal messages convert
with ``local_time`` so a lockout "until 14:35" means 14:35 in Tirana whatever the machine's
own zone is."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOCAL_ZONE = "Europe/Tirane"


def local_time(moment: datetime) -> datetime:
    try:
        return moment.astimezone(ZoneInfo(LOCAL_ZONE))
    except ZoneInfoNotFoundError:  # no tzdata on this machine: UTC is still a true time
        return moment


def local_day(moment: datetime) -> tuple[datetime, datetime]:
    """The start and end of the office's calendar day that holds ``moment`` ("today" at the
    desk), as aware datetimes to compare with stored UTC times."""
    local = local_time(moment)
    start = datetime.combine(local.date(), time.min, tzinfo=local.tzinfo)
    next_day: date = local.date() + timedelta(days=1)
    return start, datetime.combine(next_day, time.min, tzinfo=local.tzinfo)

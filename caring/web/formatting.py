"""Dates and times written the way people in a council read them."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from caring.plans.rag import format_date


def format_day(value: dt.date | None, empty: str = "Not given") -> str:
    return format_date(value) if value else empty


def format_moment(value: dt.datetime | None, empty: str = "Never") -> str:
    if value is None:
        return empty
    local = timezone.localtime(value)
    return f"{format_date(local.date())} at {local:%H:%M}"

"""Sections other parts of the product add to the report pack (indicators, carers known).

A provider is a function ``(strategy, as_of) -> Section | None``; register it with
:func:`register` when its app is ready. Each section names the topics it covers, so a
committee's requirement on that topic ("include equalities information") counts as met.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from caring.reports.content import Section

Provider = Callable[..., Section | None]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def extra_sections(*, strategy, as_of: dt.date) -> list[Section]:
    found = (provider(strategy=strategy, as_of=as_of) for provider in _PROVIDERS)
    return [section for section in found if section is not None]

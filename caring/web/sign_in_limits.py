"""A limit on repeated failed sign-ins, per username and address, kept in Django's cache."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(username: str, address: str) -> str:
    digest = hashlib.sha256(f"{username.lower()}|{address}".encode()).hexdigest()
    return f"caring:sign-in-failures:{digest}"


def is_locked(username: str, address: str) -> bool:
    return cache.get(_key(username, address), 0) >= settings.CARING_SIGN_IN_ATTEMPTS


def record_failure(username: str, address: str) -> None:
    key = _key(username, address)
    if cache.add(key, 1, timeout=settings.CARING_SIGN_IN_WINDOW_SECONDS):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=settings.CARING_SIGN_IN_WINDOW_SECONDS)


def clear(username: str, address: str) -> None:
    cache.delete(_key(username, address))

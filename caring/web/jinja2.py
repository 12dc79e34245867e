"""The Jinja2 environment: our templates first, then the GOV.UK Frontend macros."""

from __future__ import annotations

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from caring.web.formatting import format_day, format_moment


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def select_item(choice, current) -> dict:
    """A (value, label) choice as a GOV.UK select item, selected if it is the current value."""
    value, text = choice
    return {"value": value, "text": text, "selected": str(value) == str(current or "")}


def radio_item(item: dict) -> dict:
    """A select item as a GOV.UK radio item."""
    return {"value": item["value"], "text": item["text"], "checked": item["selected"]}


def environment(**options) -> Environment:
    env = Environment(**options)
    govuk = PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})
    env.loader = ChoiceLoader([env.loader, govuk])
    env.globals.update(
        {
            "static": static,
            "url": url,
            "get_messages": get_messages,
            "service_name": settings.CARING_SERVICE_NAME,
            "council_name": settings.CARING_COUNCIL_NAME,
            "govuk_frontend_version": settings.CARING_GOVUK_FRONTEND_VERSION,
        }
    )
    env.filters.update(
        {
            "day": format_day,
            "moment": format_moment,
            "select_item": select_item,
            "radio_item": radio_item,
        }
    )
    return env

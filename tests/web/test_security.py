"""Security headers on every page."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy_with_a_fresh_nonce(demo, browser_client):
    first = browser_client.get(reverse("web:sign-in"))
    second = browser_client.get(reverse("web:sign-in"))
    policy = first["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert nonce not in second["Content-Security-Policy"]
    inline = [s for s in first.soup.find_all("script") if not s.get("src")]
    assert inline and all(s.get("nonce") == nonce for s in inline)
    assert first["X-Frame-Options"] == "DENY"
    assert first["X-Content-Type-Options"] == "nosniff"

"""A strict Content-Security-Policy with a fresh nonce for the one inline script the GOV.UK
template needs (it marks the page as having JavaScript before anything is drawn)."""

from __future__ import annotations

import secrets

POLICY = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", POLICY.format(nonce=request.csp_nonce))
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response

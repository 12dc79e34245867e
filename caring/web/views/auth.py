"""Signing in and out."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm

from caring.web import sign_in_limits
from caring.web.views.base import PUBLIC, Page

LOCKED = (
    "There have been too many failed attempts to sign in with this username. "
    "Wait 15 minutes, then try again."
)


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask an administrator.",
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        if not username:
            raise forms.ValidationError({"username": "Enter your username."})
        if not self.cleaned_data.get("password"):
            raise forms.ValidationError({"password": "Enter your password."})
        if sign_in_limits.is_locked(username, address):
            raise forms.ValidationError(LOCKED, code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            sign_in_limits.record_failure(username, address)
            raise
        sign_in_limits.clear(username, address)
        return cleaned


class SignIn(Page, auth_views.LoginView):
    permission_required = PUBLIC
    page_title = "Sign in"
    template_name = "auth/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        field_errors = {
            name: errors[0] for name, errors in form.errors.items() if name != "__all__"
        }
        summary = [{"text": text, "href": f"#id_{name}"} for name, text in field_errors.items()]
        summary += [{"text": text, "href": "#id_username"} for text in form.non_field_errors()]
        context.update(
            field_errors=field_errors,
            errors=summary,
            form_has_errors=bool(summary),
            next=self.request.GET.get("next", ""),
        )
        return context


class SignOut(Page, auth_views.LogoutView):
    permission_required = PUBLIC

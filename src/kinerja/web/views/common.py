"""What every view of the web app shares: sign-in required, and ApplicationError turned into
a message in one place."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from kinerja.core.errors import ApplicationError


def add_application_error(form: forms.Form, exc: ApplicationError) -> None:
    """Show a service's refusal on the form: the message and one line per detail."""
    form.add_error(None, str(exc.message))
    for detail in exc.details:
        form.add_error(None, detail)


def application_errors(fallback: str | Callable[..., str]):
    """For plain POST actions: an ApplicationError becomes an error message and a redirect
    to ``fallback`` (a URL, or a callable of the view's arguments returning one)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except ApplicationError as exc:
                text = str(exc.message)
                if exc.details:
                    text += " " + "; ".join(exc.details)
                messages.error(request, text)
                url = fallback(request, *args, **kwargs) if callable(fallback) else fallback
                return redirect(url)

        return wrapper

    return decorate

"""Who may open which settings page. Forbidden pages are 404s, like invisible records, so nothing leaks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse


def admin_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in administrators only; everyone else gets the 404 page."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_admin:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def managers_and_admins(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_admin or request.user.is_manager):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped

"""Who is calling: a personal API token (`Authorization: Bearer dt_…`) or the web app's session (with CSRF).

A token is checked against its hash, its scope (a read token may only use GET/HEAD/OPTIONS) and its rate limit.
The authenticated user becomes `request.user` and `request.auth`, so endpoints and queries see the same person
either way.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from dealtrack.api import ratelimit
from dealtrack.api.problems import ApiProblem
from dealtrack.core.models import ApiToken, User
from dealtrack.core.queries import remember_for_request
from dealtrack.core.tokens import user_for_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`: hashed lookup, scope, per-token rate limit, the user's language."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = user_for_token(token.strip())
        if found is None:
            return None
        user, api_token = found
        decision = ratelimit.hit(f"token:{api_token.pk}")
        if not decision.allowed:
            raise ApiProblem(
                429,
                "rate_limited",
                _("This token sent more than %(limit)d requests in %(window)d seconds; retry in %(wait)d s.")
                % {"limit": decision.limit, "window": settings.API_RATE_LIMIT_WINDOW, "wait": decision.retry_after},
                headers={"Retry-After": str(decision.retry_after)},
                retry_after=decision.retry_after,
            )
        if api_token.scope == ApiToken.Scope.READ and request.method not in SAFE_METHODS:
            raise ApiProblem(403, "insufficient_scope", _("This token is read-only; create a read-write token."))
        remember_for_request(user)  # loaded for this request alone
        request.user = user
        request.api_token = api_token  # type: ignore[attr-defined]
        _use_language_of(request, user)
        return user


class SessionCsrfAuth(APIKeyCookie):
    """The web app's own calls: a logged-in session, with Django's CSRF check on unsafe methods.

    Without a session cookie this scheme does not apply at all (so a request with no credentials gets 401,
    not a CSRF error).
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if key and check_csrf(request):
            raise ApiProblem(403, "csrf_failed", _("Send the CSRF token (X-CSRFToken header) with session requests."))
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if key and user is not None and user.is_authenticated and user.is_active:
            return user  # VisibilityMemoMiddleware already gave it this request's memo
        return None


def _use_language_of(request: HttpRequest, user: User) -> None:
    """An integrator's explicit Accept-Language wins; otherwise the token owner's chosen language."""
    if request.headers.get("Accept-Language"):
        return
    known = {code for code, _name in settings.LANGUAGES}
    if user.language in known:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


def current_user(request: HttpRequest) -> User:
    """The authenticated caller of an endpoint (set by one of the schemes above)."""
    return request.auth  # type: ignore[attr-defined,no-any-return]

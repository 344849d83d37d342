"""Errors as RFC 9457 `application/problem+json`: a stable `code`, field `errors`, text in the caller's language.

Anything in the API raises `ApiProblem` (or a domain exception the handlers in `dealtrack.api.handlers` map);
nothing builds error bodies by hand.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema

PROBLEM_CONTENT_TYPE = "application/problem+json"

# code → short title; titles are translated when the problem is rendered.
TITLES = {
    "not_authenticated": gettext_lazy("Authentication required"),
    "insufficient_scope": gettext_lazy("This token may only read"),
    "csrf_failed": gettext_lazy("CSRF check failed"),
    "not_found": gettext_lazy("Not found"),
    "invalid_request": gettext_lazy("The request is not valid"),
    "validation_failed": gettext_lazy("The data was not accepted"),
    "missing_required_fields": gettext_lazy("The stage needs more fields"),
    "stale_version": gettext_lazy("Someone else saved first"),
    "version_required": gettext_lazy("Send the version you read"),
    "rate_limited": gettext_lazy("Too many requests"),
    "idempotency_key_reused": gettext_lazy("Idempotency-Key already used for another request"),
    "method_not_allowed": gettext_lazy("Method not allowed"),
    "payload_too_large": gettext_lazy("The request is too large"),
    "server_error": gettext_lazy("Something went wrong on our side"),
}


class Problem(Schema):
    """An error answer. `code` is stable for programs; `title` and `detail` are for people."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: dict[str, list[str]] | None = None
    current_version: int | None = None
    missing: list[str] | None = None
    retry_after: int | None = None


class ApiProblem(Exception):
    """Raise anywhere in an endpoint to answer with a problem; nothing the request did is kept."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra


def problem_response(problem: ApiProblem) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"urn:dealtrack:problem:{problem.code}",
        "title": str(TITLES.get(problem.code, problem.code)),
        "status": problem.status,
        "detail": str(problem.detail),
        "code": problem.code,
    }
    if problem.errors:
        body["errors"] = {field: [str(m) for m in messages] for field, messages in problem.errors.items()}
    body.update({key: value for key, value in problem.extra.items() if value is not None})
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=problem.status, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response


def not_found() -> ApiProblem:
    return ApiProblem(404, "not_found", _("No such record, or you cannot see it."))


def field_problem(errors: dict[str, list[str]], *, code: str = "validation_failed", status: int = 422) -> ApiProblem:
    """A problem listing per-field messages; `detail` repeats them so a log line alone is useful."""
    detail = "; ".join(f"{field}: {' '.join(str(m) for m in messages)}" for field, messages in errors.items())
    return ApiProblem(status, code, detail or str(TITLES[code]), errors=errors)

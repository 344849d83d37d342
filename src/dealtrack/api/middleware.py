"""Answers under /api/ that Django or ninja make before any endpoint runs, turned into problem+json too."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from dealtrack.api.problems import PROBLEM_CONTENT_TYPE, ApiProblem, not_found, problem_response


class ApiProblemFallbackMiddleware:
    """An unknown URL (404) or method (405) under /api/ gets a problem body instead of an HTML page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code not in (404, 405):
            return response
        if response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return response
        if response.status_code == 404:
            return problem_response(not_found())
        problem = ApiProblem(405, "method_not_allowed", _("This method is not allowed here; see Allow."))
        replacement = problem_response(problem)
        replacement["Allow"] = response.get("Allow", "")
        return replacement

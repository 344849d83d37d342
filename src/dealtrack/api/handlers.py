"""How the API answers each kind of failure; installed on the NinjaAPI by `install_handlers`."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from dealtrack.api.concurrency import etag
from dealtrack.api.field_errors import translate_errors
from dealtrack.api.problems import ApiProblem, field_problem, not_found, problem_response
from dealtrack.core.exceptions import StaleVersionError
from dealtrack.deals.exceptions import MissingRequiredFieldsError

logger = logging.getLogger("dealtrack.api")

# Endpoints name their JSON body `payload` and their query schema `params`; errors leave these names out.
SCHEMA_PARAMS = {"payload", "params"}


def on_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(exc)


def on_request_invalid(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    errors = translate_errors(list(exc.errors), SCHEMA_PARAMS)
    return problem_response(field_problem(errors, code="invalid_request"))


def on_not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    problem = ApiProblem(
        401,
        "not_authenticated",
        _("Send a valid API token as `Authorization: Bearer <token>`, or sign in."),
        headers={"WWW-Authenticate": 'Bearer realm="dealtrack"'},
    )
    return problem_response(problem)


def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(not_found())


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals; the only one it raises for client input is 400 for an unparsable body."""
    if exc.status_code == 400:
        message = _("The request body is not valid JSON.")
        return problem_response(ApiProblem(400, "invalid_request", message, errors={"body": [message]}))
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "invalid_request")
    return problem_response(ApiProblem(exc.status_code, code, str(exc)))


def on_stale_version(request: HttpRequest, exc: StaleVersionError) -> HttpResponse:
    problem = ApiProblem(
        409,
        "stale_version",
        str(exc),
        headers={"ETag": etag(exc.current_version)},
        current_version=exc.current_version,
    )
    return problem_response(problem)


def on_domain_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A service refused the data: field messages keyed as the service named them (custom fields `custom.<key>`)."""
    if isinstance(exc, MissingRequiredFieldsError):
        problem = ApiProblem(
            422,
            "missing_required_fields",
            exc.messages[0],
            errors={name: [_("This stage requires this field.")] for name in exc.missing},
            missing=exc.missing,
        )
        return problem_response(problem)
    if hasattr(exc, "error_dict"):
        errors = {field: list(messages) for field, messages in exc.message_dict.items()}
        general = errors.pop(NON_FIELD_ERRORS, [])
        if errors:
            problem = field_problem(errors)
            if general:
                problem.detail = " ".join([*general, problem.detail])
            return problem_response(problem)
        return problem_response(ApiProblem(422, "validation_failed", " ".join(general)))
    return problem_response(ApiProblem(422, "validation_failed", " ".join(exc.messages)))


def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    message = _("The request body is larger than %(n)d bytes.") % {"n": limit}
    return problem_response(ApiProblem(413, "payload_too_large", message))


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return problem_response(ApiProblem(500, "server_error", _("The error was logged; please try again later.")))


def install_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(Exception, on_unexpected)
    api.add_exception_handler(ApiProblem, on_problem)
    api.add_exception_handler(RequestValidationError, on_request_invalid)
    api.add_exception_handler(AuthenticationError, on_not_authenticated)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(StaleVersionError, on_stale_version)
    api.add_exception_handler(ValidationError, on_domain_invalid)
    api.add_exception_handler(RequestDataTooBig, on_too_big)

"""The NinjaAPI subclass whose OpenAPI schema tells the whole truth about errors and headers.

Endpoints declare their success bodies (and 409/428 when they take a version); every answer shared by all
endpoints is added here once, so the schema matches what the handlers send and fuzzers can hold us to it.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from dealtrack.api.problems import PROBLEM_CONTENT_TYPE, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_COMMON = {
    "401": "Missing, unknown or revoked credentials.",
    "422": "A parameter or the body was not accepted; `errors` names each field.",
    "429": "Rate limit reached; retry after `Retry-After` seconds.",
}
_WRITE = {"403": "A read-only token, or a session request without its CSRF token."}
_DESCRIPTIONS = {
    "404": "No such record, or the caller cannot see it.",
    "409": "The version sent is stale; `current_version` says what is stored now. Nothing was written.",
    "428": "Send `version` in the body or an `If-Match` header.",
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_REF}}}


class DealtrackAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                _complete(path, method, operation)
        return schema


def _complete(path: str, method: str, operation: dict[str, Any]) -> None:
    # ninja keys responses by int; JSON keys are strings: normalise so nothing appears twice.
    responses = {str(status): answer for status, answer in operation.get("responses", {}).items()}
    operation["responses"] = responses
    wanted = dict(_COMMON)
    if "{" in path:
        wanted["404"] = _DESCRIPTIONS["404"]
    if method != "get":
        wanted.update(_WRITE)
    if "requestBody" in operation:
        wanted["400"] = "The body is not valid JSON."
        wanted["413"] = "The body is larger than the server accepts."
    for status in list(responses):
        if int(status) >= 400:
            wanted[status] = _DESCRIPTIONS.get(status) or responses[status].get("description", "")
    for status, description in wanted.items():
        responses[status] = _problem(description)
    parameters = operation.setdefault("parameters", [])
    if method == "post":
        parameters.append(
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "description": "Any unique string (e.g. a UUID); a retry with the same key gets the first answer.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            }
        )
    if "428" in responses:
        parameters.append(
            {
                "in": "header",
                "name": "If-Match",
                "required": False,
                "description": 'The ETag a GET returned (e.g. "3"), instead of `version` in the body.',
                "schema": {"type": "string"},
            }
        )

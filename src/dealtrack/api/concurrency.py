"""Optimistic concurrency: the version a client read comes back with its write, in the body or as If-Match.

A GET of a versioned record answers `ETag: "<version>"`. A write names the version it was based on; the service
refuses a stale one with StaleVersionError, which the API answers with 409 and the current version.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from dealtrack.api.problems import ApiProblem

ANY_VERSION = None  # `If-Match: *`: the client deliberately writes over whatever is stored
_ETAG = re.compile(r'^(?:W/)?"?(\d{1,18})"?$')


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = etag(version)


def expected_version(request: HttpRequest, body_version: int | None) -> int | None:
    """The version the write is based on: `version` in the body, else `If-Match`; one of them is required."""
    if body_version is not None:
        return body_version
    header = request.headers.get("If-Match", "").strip()
    if header == "*":
        return ANY_VERSION
    if header:
        match = _ETAG.match(header.split(",")[0].strip())
        if match is None:
            raise ApiProblem(
                422,
                "invalid_request",
                _('If-Match must be the ETag a GET returned, e.g. "3".'),
                errors={"If-Match": [_('Enter the ETag a GET returned, e.g. "3".')]},
            )
        return int(match.group(1))
    raise ApiProblem(
        428,
        "version_required",
        _("Send the version you read: `version` in the body or an If-Match header with the ETag."),
        errors={"version": [_("This field is required.")]},
    )

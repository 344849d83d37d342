"""`Idempotency-Key` on POST: a retried request gets the first answer again and creates nothing twice.

Two decorators, installed API-wide in `dealtrack.api.v1`:

- `around_request` wraps the whole operation (authentication included) in one transaction. After the endpoint
  answers 2xx it stores the answer under (user, key) in that same transaction, so the write and its record
  commit together or not at all. A non-2xx answer rolls the transaction back. If a concurrent request with
  the same key committed first, the unique constraint refuses our record: everything we did is rolled back and
  the other request's answer is replayed.
- `before_endpoint` runs after authentication, just before the endpoint: it replays a stored answer, or refuses
  a key that was used for a different request (422).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from dealtrack.api.models import IdempotencyRecord
from dealtrack.api.problems import ApiProblem, problem_response
from dealtrack.core.models import User

HEADER = "Idempotency-Key"
_REPLAYED_HEADERS = ("Content-Type", "Location", "ETag")


@dataclass
class _Pending:
    key: str
    fingerprint: str
    user: User | None = None
    replayed: bool = False


def fingerprint(request: HttpRequest) -> str:
    """What makes two requests "the same": method, path, query and the body (JSON compared by content)."""
    try:
        body = json.dumps(json.loads(request.body or b"null"), sort_keys=True, separators=(",", ":"))
    except (ValueError, UnicodeDecodeError):
        body = request.body.hex()
    raw = "\n".join([request.method or "", request.path, request.META.get("QUERY_STRING", ""), body])
    return hashlib.sha256(raw.encode()).hexdigest()


def _fresh(user: User, key: str) -> IdempotencyRecord | None:
    cutoff = timezone.now() - dt.timedelta(hours=settings.API_IDEMPOTENCY_HOURS)
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is not None and record.created_at < cutoff:
        record.delete()  # expired: the key may be used afresh
        return None
    return record


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(record.response_body, status=record.status_code)
    for name, value in record.response_headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def around_request(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return run(request, *args, **kwargs)
        key = key.strip()
        if not 1 <= len(key) <= 255 or not key.isprintable():
            return problem_response(
                ApiProblem(
                    422,
                    "invalid_request",
                    _("Idempotency-Key must be 1 to 255 printable characters, e.g. a UUID."),
                    errors={HEADER: [_("Enter 1 to 255 printable characters, e.g. a UUID.")]},
                )
            )
        try:
            pending = _Pending(key=key, fingerprint=fingerprint(request))
        except RequestDataTooBig:
            return run(request, *args, **kwargs)  # refused there with 413; nothing to remember
        request.idempotency = pending  # type: ignore[attr-defined]
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            if pending.replayed:
                return response
            if pending.user is None or not 200 <= response.status_code < 300:
                transaction.set_rollback(True)
                return response
            try:
                with transaction.atomic():
                    IdempotencyRecord.objects.create(
                        user=pending.user,
                        key=key,
                        fingerprint=pending.fingerprint,
                        status_code=response.status_code,
                        response_body=response.content.decode(),
                        response_headers={h: response[h] for h in _REPLAYED_HEADERS if response.has_header(h)},
                    )
                return response
            except IntegrityError:
                transaction.set_rollback(True)  # a concurrent request with this key won; undo ours
        record = _fresh(pending.user, key)
        if record is None or record.fingerprint != pending.fingerprint:
            return problem_response(_key_reused())
        return _replay(record)

    return wrapper


def before_endpoint(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        pending: _Pending | None = getattr(request, "idempotency", None)
        if pending is None:
            return view(request, *args, **kwargs)
        pending.user = request.auth  # type: ignore[attr-defined]
        record = _fresh(pending.user, pending.key)  # type: ignore[arg-type]
        if record is None:
            return view(request, *args, **kwargs)
        if record.fingerprint != pending.fingerprint:
            raise _key_reused()
        pending.replayed = True
        return _replay(record)

    return wrapper


def _key_reused() -> ApiProblem:
    return ApiProblem(
        422,
        "idempotency_key_reused",
        _("This Idempotency-Key was already used for a different request; use a new key for a new request."),
    )

"""Creating, checking and revoking personal API tokens (hashed at rest)."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from dealtrack.core.models import ApiToken, User

TOKEN_PREFIX = "dt_"  # noqa: S105 - a public marker, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, user: User, name: str = "", scope: str = ApiToken.Scope.READ_WRITE) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the raw token, which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=raw[:12], token_hash=hash_token(raw), scope=scope
    )
    return token, raw


def user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    """The active user behind a live token, recording its use; None for unknown or revoked tokens."""
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())

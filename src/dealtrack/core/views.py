from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealtrack.core.forms import ApiTokenForm
from dealtrack.core.models import ApiToken
from dealtrack.core.tokens import create_api_token, revoke_api_token


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return redirect("admin:index")


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers and `make run` smoke checks."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; a POST creates one and shows it this once (only its hash is kept)."""
    new_token = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_token = create_api_token(
            user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    status = 422 if form.errors else 200
    context = {"form": form, "tokens": tokens, "new_token": new_token}
    return render(request, "core/api_tokens.html", context, status=status)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's own tokens; anyone else's is a 404."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    revoke_api_token(token=token)
    messages.success(
        request, _("Token %(prefix)s… revoked; programs using it can no longer sign in.") % {"prefix": token.prefix}
    )
    return redirect("api-tokens")

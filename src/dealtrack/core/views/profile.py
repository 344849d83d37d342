"""Every user's own profile and interface language."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dealtrack.core.form_fields import add_service_errors
from dealtrack.core.forms import ApiTokenForm, ProfileForm
from dealtrack.core.models import ApiToken
from dealtrack.core.services import update_profile
from dealtrack.core.tokens import create_api_token, revoke_api_token


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"display_name": user.display_name, "email": user.email, "phone": user.phone, "language": user.language}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if user.language:
                translation.activate(user.language)
            messages.success(request, _("Profile saved."))
            return redirect("profile")
    return render(request, "core/profile.html", {"form": form})


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

"""Every user's own profile and interface language."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from dealtrack.core.form_fields import add_service_errors
from dealtrack.core.forms import ProfileForm
from dealtrack.core.services import update_profile


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

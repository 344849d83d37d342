"""Settings lists admins keep: lost reasons, lead sources and tags (add, rename, switch off)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dealtrack.core.access import admin_only
from dealtrack.deals import services
from dealtrack.deals.models import LostReason, Source, Tag

CATALOGS: dict[str, dict[str, Any]] = {
    "lost_reasons": {
        "model": LostReason,
        "title": gettext_lazy("Lost reasons"),
        "save": "save_lost_reason",
        "arg": "reason",
    },
    "sources": {"model": Source, "title": gettext_lazy("Sources"), "save": "save_source", "arg": "source"},
    "tags": {"model": Tag, "title": gettext_lazy("Tags"), "save": "save_tag", "arg": "tag"},
}


def _catalog_view(key: str) -> Callable[[HttpRequest], HttpResponse]:
    spec = CATALOGS[key]
    model = spec["model"]

    @admin_only
    def view(request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            save = getattr(services, spec["save"])
            item = model.objects.filter(pk=request.POST.get("pk") or 0).first()
            arguments: dict[str, Any] = {"name": request.POST.get("name", ""), spec["arg"]: item}
            if model is Tag:
                if request.POST.get("delete") == "1" and item is not None:
                    services.delete_tag(tag=item)
                    messages.success(request, _("Deleted."))
                    return redirect(f"deals:{key}")
                arguments["color"] = request.POST.get("color", "#64748b")
            else:
                arguments["is_active"] = request.POST.get("is_active") == "1" or item is None
            try:
                save(**arguments)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Saved."))
            return redirect(f"deals:{key}")
        items = model.objects.annotate(deal_count=Count("deals"))
        context = {"items": items, "key": key, "title": spec["title"], "section": key, "is_tag": model is Tag}
        return render(request, "deals/settings/catalog.html", context)

    return view


lost_reasons = _catalog_view("lost_reasons")
sources = _catalog_view("sources")
tags = _catalog_view("tags")

"""One search box over deals, companies and contacts (substring match, so 科技 finds 华为科技有限公司)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dealtrack.customers.queries import companies_visible_to, contacts_visible_to
from dealtrack.deals.queries import deals_visible_to

RESULTS_PER_KIND = 20


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """`icontains` is LIKE on SQLite and UPPER(..) LIKE on PostgreSQL: both match CJK substrings exactly."""
    q = request.GET.get("q", "").strip()[:100]
    context: dict = {"q": q, "deals": [], "companies": [], "contacts": []}
    if q:
        user = request.user
        context["deals"] = list(
            deals_visible_to(user)
            .filter(Q(name__icontains=q) | Q(company__name__icontains=q) | Q(external_id=q))
            .select_related("company", "stage", "owner")
            .order_by("-updated_at", "-id")[:RESULTS_PER_KIND]
        )
        context["companies"] = list(
            companies_visible_to(user)
            .filter(Q(name__icontains=q) | Q(phone__icontains=q))
            .order_by("name", "id")[:RESULTS_PER_KIND]
        )
        context["contacts"] = list(
            contacts_visible_to(user)
            .filter(
                Q(name__icontains=q)
                | Q(email__icontains=q)
                | Q(phone__icontains=q)
                | Q(mobile__icontains=q)
                | Q(wechat__icontains=q)
            )
            .select_related("company")
            .order_by("name", "id")[:RESULTS_PER_KIND]
        )
    return render(request, "core/search.html", context)

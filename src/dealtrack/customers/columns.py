"""List columns about customers that other lists show too."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from dealtrack.core.views.lists import ListColumn


def company_column() -> ListColumn:
    """The row's company (deals, contacts), linked to its page; rows without one sort last."""

    def link(row: Any) -> str:
        return reverse("customers:company_detail", args=[row.company_id]) if row.company_id else ""

    return ListColumn(
        "company",
        gettext_lazy("Company"),
        lambda row: row.company.name if row.company else "",
        sort="company__name",
        nullable=True,
        link=link,
    )

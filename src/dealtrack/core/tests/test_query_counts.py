"""Every page costs a bounded number of SQL queries whatever the number of rows (5 deals or 50)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dealtrack.activities.services import log_activity
from dealtrack.tasks.services import create_task

pytestmark = pytest.mark.django_db

# Budgets per page (queries, including session and user), measured with 5 and 50 deals (the same count for
# both) plus a little headroom. Visibility costs two small team lookups per permission-aware query.
PAGES = {
    "today": (lambda ctx: reverse("tasks:today"), 28),
    "board": (lambda ctx: reverse("deals:board"), 16),
    "list": (lambda ctx: reverse("deals:list") + "?sort=-value&cols=name,company,stage,owner,value,tags,next_due", 23),
    "deal": (lambda ctx: reverse("deals:detail", args=[ctx["deal"].pk]), 27),
    "companies": (lambda ctx: reverse("customers:company_list"), 12),
    "company": (lambda ctx: reverse("customers:company_detail", args=[ctx["deal"].company_id]), 38),
    "contacts": (lambda ctx: reverse("customers:contact_list"), 15),
    "search": (lambda ctx: reverse("search") + "?q=项目", 21),
}


@pytest.fixture(params=[5, 50], ids=["5-deals", "50-deals"])
def world(request, org, make_deal):
    deals = []
    now = timezone.now()
    for i in range(request.param):
        deal = make_deal(owner=org.rep_a, name=f"项目{i}", value=str(1000 * (i + 1)), tags=["重点", f"t{i % 3}"])
        create_task(actor=org.rep_a, title=f"回访{i}", due_at=now + dt.timedelta(days=i - 3), deal=deal)
        log_activity(actor=org.rep_a, kind="call", deal=deal, subject=f"电话{i}")
        deals.append(deal)
    return {"deal": deals[0], "count": request.param}


@pytest.mark.parametrize("page", list(PAGES))
def test_page_queries_are_bounded(client, org, world, page, django_assert_max_num_queries):
    url, budget = PAGES[page]
    client.force_login(org.rep_a)

    with django_assert_max_num_queries(budget):
        response = client.get(url(world))

    assert response.status_code == 200

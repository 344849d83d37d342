"""A rep of another team cannot read, list, count, change or act on a record through any endpoint.

The outsider (rep_b, team east) probes rep_a's deal, company, contact, activity and task. Every answer must be
what an id that does not exist gets, and nothing may change. A last test fails when an endpoint is added
without being classified here.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from dealtrack.activities.models import Activity
from dealtrack.activities.services import log_activity
from dealtrack.core.choices import CustomFieldEntity, CustomFieldType
from dealtrack.core.models import CustomFieldDefinition
from dealtrack.customers.models import Company, Contact
from dealtrack.deals.models import Deal, DealEvent
from dealtrack.pipelines.choices import StageKind
from dealtrack.tasks.models import Task
from dealtrack.tasks.services import create_task
from dealtrack.testing.factories import CompanyFactory, ContactFactory, LostReasonFactory

pytestmark = pytest.mark.django_db

MISSING = 987654321  # an id no row has


@dataclass
class Secrets:
    deal: Deal
    company: Company
    contact: Contact
    activity: Activity
    task: Task


@pytest.fixture
def secrets(org, make_deal) -> Secrets:
    CustomFieldDefinition.objects.create(
        entity=CustomFieldEntity.DEAL, key="code", label="代号", field_type=CustomFieldType.TEXT
    )
    company = CompanyFactory(owner=org.rep_a, name="保密客户有限公司")
    contact = ContactFactory(company=company, owner=org.rep_a, name="保密联系人")
    deal = make_deal(owner=org.rep_a, name="保密项目", company=company, primary_contact=contact, custom={"code": "X"})
    deal.contacts.add(contact)
    activity, _task = log_activity(actor=org.rep_a, kind="call", deal=deal, subject="保密通话")
    task = create_task(actor=org.rep_a, title="保密任务", due_at=timezone.now() + dt.timedelta(days=1), deal=deal)
    return Secrets(deal=deal, company=company, contact=contact, activity=activity, task=task)


def snapshot(s: Secrets) -> list[Any]:
    """Everything a write could touch, to compare before and after."""
    return [
        list(Deal.objects.filter(pk=s.deal.pk).values()),
        DealEvent.objects.filter(deal=s.deal).count(),
        list(Company.objects.filter(pk=s.company.pk).values()),
        list(Contact.objects.filter(pk=s.contact.pk).values()),
        list(Task.objects.filter(pk=s.task.pk).values()),
        Activity.objects.count(),
        Deal.objects.count(),
        Task.objects.count(),
        Company.objects.count(),
        Contact.objects.count(),
    ]


READS = [
    "/deals/{deal}",
    "/deals/{deal}/events",
    "/companies/{company}",
    "/contacts/{contact}",
    "/activities/{activity}",
    "/tasks/{task}",
]


def fill(path: str, s: Secrets | None) -> str:
    ids = {
        "deal": s.deal.pk if s else MISSING,
        "company": s.company.pk if s else MISSING,
        "contact": s.contact.pk if s else MISSING,
        "activity": s.activity.pk if s else MISSING,
        "task": s.task.pk if s else MISSING,
    }
    return path.format(**ids)


@pytest.mark.parametrize("path", READS)
def test_outsider_reads_get_the_answer_of_a_missing_id(org, api, secrets, path):
    client = api(org.rep_b)

    hidden = client.get(fill(path, secrets))
    missing = client.get(fill(path, None))

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


@pytest.mark.parametrize("path", READS)
def test_the_owner_can_read(org, api, secrets, path):
    assert api(org.rep_a).get(fill(path, secrets)).status_code == 200


WRITES = [
    ("PATCH", "/deals/{deal}", lambda org: {"version": 1, "name": "改名"}),
    ("POST", "/deals/{deal}/move", lambda org: {"version": 1, "stage": open_stage(org).pk}),
    ("POST", "/deals/{deal}/won", lambda org: {"version": 1}),
    ("POST", "/deals/{deal}/lost", lambda org: {"version": 1, "reason": LostReasonFactory().pk}),
    ("POST", "/deals/{deal}/reopen", lambda org: {"version": 1}),
    ("POST", "/deals/{deal}/reassign", lambda org: {"version": 1, "owner": org.rep_b.pk}),
    ("PATCH", "/companies/{company}", lambda org: {"version": 1, "name": "改名"}),
    ("PATCH", "/contacts/{contact}", lambda org: {"version": 1, "name": "改名"}),
    ("POST", "/tasks/{task}/complete", lambda org: {}),
    ("POST", "/tasks/{task}/snooze", lambda org: {"until": (timezone.now() + dt.timedelta(days=3)).isoformat()}),
    ("POST", "/tasks/{task}/cancel", lambda org: {}),
]


def open_stage(org):
    return org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position")[1]


@pytest.mark.parametrize(("method", "path", "body"), WRITES, ids=[f"{m} {p}" for m, p, _b in WRITES])
def test_outsider_writes_and_actions_are_404_and_change_nothing(org, api, secrets, method, path, body):
    client = api(org.rep_b)
    data = json.dumps(body(org))
    before = snapshot(secrets)

    hidden = client.raw(method, fill(path, secrets), data)
    missing = client.raw(method, fill(path, None), data)

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert snapshot(secrets) == before


LISTS = ["/deals", "/companies", "/contacts", "/activities", "/tasks"]


@pytest.mark.parametrize("path", LISTS)
def test_outsider_lists_and_counts_leave_the_records_out(org, api, secrets, path):
    body = api(org.rep_b).get(path, {"count": "true"}).json()

    assert body["results"] == []
    assert body["count"] == 0
    assert api(org.rep_a).get(path, {"count": "true"}).json()["count"] >= 1


def filter_cases(org, s: Secrets) -> list[tuple[str, dict[str, Any]]]:
    return [
        ("/deals", {"owner": org.rep_a.pk}),
        ("/deals", {"team": org.sales.pk}),
        ("/deals", {"company": s.company.pk}),
        ("/deals", {"q": "保密"}),
        ("/deals", {"custom.code": "X"}),
        ("/deals", {"stage": s.deal.stage_id, "status": "open", "include": ["company", "contacts"]}),
        ("/companies", {"q": "保密客户"}),
        ("/companies", {"owner": org.rep_a.pk}),
        ("/contacts", {"company": s.company.pk}),
        ("/contacts", {"q": "保密联系人"}),
        ("/activities", {"deal": s.deal.pk}),
        ("/activities", {"user": org.rep_a.pk}),
        ("/tasks", {"deal": s.deal.pk}),
        ("/tasks", {"assignee": org.rep_a.pk}),
    ]


@pytest.mark.parametrize("case", range(14))
def test_filters_never_reach_invisible_records(org, api, secrets, case):
    path, params = filter_cases(org, secrets)[case]

    outsider = api(org.rep_b).get(path, {**params, "count": "true"})
    owner = api(org.rep_a).get(path, {**params, "count": "true"})

    assert outsider.status_code == 200
    assert outsider.json()["results"] == []
    assert outsider.json()["count"] == 0
    assert owner.json()["count"] >= 1


def test_includes_leave_out_contacts_the_reader_cannot_see(org, api, secrets, make_deal):
    own_contact = ContactFactory(company=CompanyFactory(owner=org.rep_b), owner=org.rep_b)
    deal = make_deal(owner=org.rep_b, primary_contact=own_contact)
    deal.contacts.add(secrets.contact, own_contact)  # someone linked rep_a's contact to rep_b's deal

    detail = api(org.rep_b).get(f"/deals/{deal.pk}", {"include": "contacts"}).json()
    listed = api(org.rep_b).get("/deals", {"include": "contacts"}).json()["results"][0]

    assert [c["id"] for c in detail["included"]["contacts"]] == [own_contact.pk]
    assert [c["id"] for c in listed["included"]["contacts"]] == [own_contact.pk]


def reference_cases(org, ref: dict[str, int]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("POST", "/deals", {"name": "借用", "company": ref["company"]}),
        ("POST", "/deals", {"name": "借用", "primary_contact": ref["contact"]}),
        ("POST", "/contacts", {"name": "借用", "company": ref["company"]}),
        ("POST", "/companies", {"name": "借用", "parent": ref["company"]}),
        ("POST", "/activities", {"kind": "call", "deal": ref["deal"]}),
        ("POST", "/activities", {"kind": "call", "contact": ref["contact"]}),
        ("POST", "/tasks", {"title": "借用", "due_at": "2030-01-01T09:00:00+08:00", "deal": ref["deal"]}),
        ("POST", "/tasks", {"title": "借用", "due_at": "2030-01-01T09:00:00+08:00", "company": ref["company"]}),
    ]


@pytest.mark.parametrize("case", range(8))
def test_bodies_cannot_point_at_invisible_records(org, api, secrets, case):
    hidden_refs = {"company": secrets.company.pk, "contact": secrets.contact.pk, "deal": secrets.deal.pk}
    missing_refs = dict.fromkeys(hidden_refs, MISSING)
    method, path, body = reference_cases(org, hidden_refs)[case]
    _m, _p, missing_body = reference_cases(org, missing_refs)[case]
    client = api(org.rep_b)
    before = snapshot(secrets)

    hidden = client.raw(method, path, json.dumps(body))
    missing = client.raw(method, path, json.dumps(missing_body))

    assert hidden.status_code == missing.status_code == 422
    assert hidden.json() == missing.json()
    assert snapshot(secrets) == before


def test_deal_changes_cannot_point_at_invisible_records(org, api, secrets, make_deal):
    deal = make_deal(owner=org.rep_b)
    stage = org.pipeline.stages.filter(kind=StageKind.OPEN).order_by("position")[1]
    client = api(org.rep_b)

    patched = client.patch(f"/deals/{deal.pk}", {"version": 1, "company": secrets.company.pk})
    moved = client.post(
        f"/deals/{deal.pk}/move", {"version": 1, "stage": stage.pk, "values": {"primary_contact": secrets.contact.pk}}
    )

    deal.refresh_from_db()
    assert patched.status_code == moved.status_code == 422
    assert deal.company != secrets.company
    assert deal.stage != stage


def test_a_teammate_rep_is_an_outsider_too_but_the_manager_sees(org, api, secrets):
    assert api(org.rep_a2).get(f"/deals/{secrets.deal.pk}").status_code == 404
    assert api(org.manager_a).get(f"/deals/{secrets.deal.pk}").status_code == 200
    assert api(org.manager_b).get(f"/deals/{secrets.deal.pk}").status_code == 404


# Endpoints whose rows every signed-in user may see (the organisation's shape and lookups).
SHARED = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/users"),
    ("get", "/api/v1/users/{user_id}"),
    ("get", "/api/v1/teams"),
    ("get", "/api/v1/teams/{team_id}"),
    ("get", "/api/v1/custom-fields"),
    ("get", "/api/v1/pipelines"),
    ("get", "/api/v1/pipelines/{pipeline_id}"),
    ("get", "/api/v1/stages"),
    ("get", "/api/v1/stages/{stage_id}"),
    ("get", "/api/v1/lost-reasons"),
    ("get", "/api/v1/sources"),
    ("get", "/api/v1/tags"),
    ("get", "/api/v1/products"),
    ("get", "/api/v1/products/{product_id}"),
}
CREATES = {("post", "/api/v1/" + p) for p in ["deals", "companies", "contacts", "activities", "tasks"]}
REPORTS = {("get", "/api/v1/reports/" + p) for p in ["summary", "by-owner", "funnel", "forecast", "team"]}


def _template(path: str) -> str:
    return (
        path.replace("{deal}", "{deal_id}")
        .replace("{company}", "{company_id}")
        .replace("{contact}", "{contact_id}")
        .replace("{activity}", "{activity_id}")
        .replace("{task}", "{task_id}")
    )


def test_every_endpoint_is_covered_here(org, client):
    """Adding an endpoint? Add it to a case above (or to SHARED with a reason) so its visibility is proven."""
    schema = client.get("/api/v1/openapi.json").json()
    operations = {(method, path) for path, item in schema["paths"].items() for method in item}
    covered = set(SHARED) | CREATES | REPORTS
    covered |= {("get", "/api/v1" + _template(p)) for p in READS + LISTS}
    covered |= {(m.lower(), "/api/v1" + _template(p)) for m, p, _b in WRITES}

    assert operations - covered == set()


@pytest.mark.parametrize("path", sorted(p for _m, p in REPORTS))
def test_outsider_reports_leave_the_records_out_even_when_filtered_on_their_owner(org, api, secrets, path):
    from dealtrack.deals.services import mark_deal_won

    mark_deal_won(deal=secrets.deal, actor=org.rep_a)
    today = timezone.localdate().isoformat()
    params = {"from": today, "to": today, "owner": org.rep_a.pk}

    outsider = api(org.rep_b).get(path.removeprefix("/api/v1"), params)
    insider = api(org.manager_a).get(path.removeprefix("/api/v1"), params)

    assert (outsider.status_code, insider.status_code) == (200, 200)
    assert "保密" not in outsider.text
    seen = json.loads(outsider.text)
    if path.endswith("/summary"):
        assert (seen["won_count"], seen["won_value"], insider.json()["won_count"]) == (0, "0.00", 1)
    if path.endswith(("/by-owner", "/team")):
        assert org.rep_a.pk not in [row["owner_id"] for row in seen["rows"]]
        assert org.rep_a.pk in [row["owner_id"] for row in insider.json()["rows"]]
    if path.endswith("/forecast"):
        assert sum(int(m["won_count"]) for m in seen["months"]) == 0
    if path.endswith("/funnel"):
        assert sum(step["entered"] for step in seen["steps"]) == 0

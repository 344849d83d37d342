"""The report pages: render for each role, export CSV/XLSX, refuse bad input with a message, set quotas."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from dealtrack.core import side_by_side as side_by_side_module
from dealtrack.goals.models import Quota

pytestmark = pytest.mark.django_db

Q2 = "from=2025-04-01&to=2025-06-30"
DASHBOARD_PARTS = (
    "figures",
    "summary",
    "quota",
    "funnel",
    "by_month",
    "by_stage",
    "lost_reasons",
    "sources",
    "customers",
)
PAGES = ["/reports/", "/reports/pipeline-change/", "/reports/retention/", "/reports/team/", "/reports/forecast/"]


@pytest.fixture
def login(client):
    def as_user(user, language="en"):
        user.language = language
        user.save(update_fields=["language"])
        client.force_login(user)
        return client

    return as_user


@pytest.mark.parametrize("page", [*PAGES, "/reports/goals/"])
@pytest.mark.parametrize("who", ["admin", "manager_a", "rep_a"])
def test_every_page_renders_for_every_role(org, quarter, login, page, who):
    response = login(getattr(org, who)).get(f"{page}?{Q2}")

    assert response.status_code == 200
    assert b"<h1>" in response.content


def test_pages_need_a_login(client):
    response = client.get("/reports/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_dashboard_shows_the_period_figures_the_bottleneck_and_loads_echarts(org, quarter, login):
    body = login(org.admin).get(f"/reports/?{Q2}").content.decode()

    assert '<tr data-figure="won_value"><th scope="row">Won value</th><td>8,000</td><td>0</td>' in body
    assert "vendor/echarts.min.js" in body
    assert 'id="report-charts"' in body


def test_rep_dashboard_shows_only_own_won_value(org, quarter, login):
    body = login(org.rep_b).get(f"/reports/?{Q2}").content.decode()

    assert '<tr data-figure="won_value"><th scope="row">Won value</th><td>4,000</td>' in body


@pytest.mark.parametrize("page", PAGES)
def test_bad_filters_show_a_message_and_the_default_period(org, login, page):
    response = login(org.admin).get(f"{page}?from=2025-07-01&to=2025-06-30&owner=abc")

    assert response.status_code == 400
    assert "The end date must not be before the start date." in response.content.decode()
    assert "Choose an existing record." in response.content.decode()


def test_dashboard_exports_csv_and_xlsx(org, quarter, login):
    client = login(org.admin)

    csv = client.get(f"/reports/?{Q2}&export=csv")
    xlsx = client.get(f"/reports/?{Q2}&export=xlsx")

    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Figure,This period,Previous period"
    assert lines[1] == "Won value,8000.00,0.00"
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]] == ["Won value", 8000, 0]


def test_team_page_sorts_and_links_each_rep_to_the_filtered_deal_list(org, quarter, login):
    body = login(org.admin).get(f"/reports/team/?{Q2}&sort=name").content.decode()

    assert f'<a href="/deals/?owner={org.rep_b.pk}">' in body
    assert body.index(org.admin.name if False else org.rep_a.name) < body.index(org.rep_b.name)


def test_team_export_has_one_row_per_rep(org, quarter, login):
    csv = login(org.manager_b).get(f"/reports/team/?{Q2}&export=csv").content.decode("utf-8-sig").splitlines()

    assert csv[0].startswith("Rep,Calls,E-mails")
    assert len(csv) == 3  # header, manager_b, rep_b


def test_manager_sets_a_quota_on_the_goals_page_and_sees_the_breakdown(org, login):
    client = login(org.manager_a)

    response = client.post(
        "/reports/goals/", {"year": "2025", "owner": org.rep_a.pk, "target": "120000", "metric": "value", "weights": ""}
    )

    assert response.status_code == 302
    quota = Quota.objects.get()
    assert (quota.owner, quota.year) == (org.rep_a, 2025)
    body = client.get("/reports/goals/?year=2025").content.decode()
    assert "30,000" in body  # a quarter
    assert "<meter" in body


def test_rep_cannot_set_a_quota_and_nothing_is_written(org, login):
    response = login(org.rep_a).post("/reports/goals/", {"year": "2025", "owner": org.rep_a.pk, "target": "1"})

    assert response.status_code == 400
    assert "You can only set quotas for the teams you manage." in response.content.decode()
    assert Quota.objects.count() == 0


def test_bad_input_is_explained_in_the_users_language(org, login):
    response = login(org.admin, language="zh-hans").post(
        "/reports/goals/", {"year": "2025", "owner": org.rep_a.pk, "target": "很多"}
    )

    assert response.status_code == 400
    assert "请输入数字" in response.content.decode()


def test_bad_quota_input_is_explained_and_nothing_is_written(org, login):
    response = login(org.admin).post("/reports/goals/", {"year": "2025", "owner": org.rep_a.pk, "target": "很多"})

    assert response.status_code == 400
    assert "Enter a number." in response.content.decode()
    assert Quota.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # parallel reads only happen outside a transaction
@pytest.mark.parametrize("who", ["admin", "manager_a", "rep_a"])
def test_the_dashboard_read_side_by_side_equals_the_one_read_in_turn(org, quarter, login, settings, monkeypatch, who):
    offloaded = []
    on_own_connection = side_by_side_module._on_own_connection

    def counted(*args):
        offloaded.append(args[0])
        return on_own_connection(*args)

    monkeypatch.setattr(side_by_side_module, "_on_own_connection", counted)
    pages = {}
    for reads in (1, 2):
        settings.PARALLEL_READS = reads
        response = login(getattr(org, who)).get(f"/reports/?{Q2}")
        pages[reads] = {part: response.context[part] for part in DASHBOARD_PARTS}

    assert len(offloaded) == 1  # the second read ran on a pool thread
    assert pages[2] == pages[1]
    won = {
        "admin": [quarter.d1, quarter.d2, quarter.d6],
        "manager_a": [quarter.d1, quarter.d2],
        "rep_a": [quarter.d1, quarter.d2],
    }
    assert pages[1]["summary"]["won_value"] == sum(deal.value_base for deal in won[who])

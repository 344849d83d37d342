"""Pipeline and stage endpoints (read only)."""

from __future__ import annotations

import pytest

from dealtrack.pipelines.choices import StageKind

pytestmark = pytest.mark.django_db


def test_pipelines_list_with_ordered_stages(org, api):
    body = api(org.rep_a).get("/pipelines").json()

    default = next(p for p in body["results"] if p["is_default"])
    assert default["id"] == org.pipeline.pk
    assert [s["id"] for s in default["stages"]] == list(
        org.pipeline.stages.order_by("position", "id").values_list("id", flat=True)
    )


def test_stages_filter_by_pipeline_and_kind(org, api):
    won = org.pipeline.stages.get(kind=StageKind.WON)

    body = api(org.rep_a).get("/stages", {"pipeline": org.pipeline.pk, "kind": "won"}).json()

    assert [s["id"] for s in body["results"]] == [won.pk]
    assert api(org.rep_a).get(f"/stages/{won.pk}").json()["kind"] == "won"


def test_unknown_pipeline_is_404(org, api):
    assert api(org.rep_a).get("/pipelines/424242").status_code == 404

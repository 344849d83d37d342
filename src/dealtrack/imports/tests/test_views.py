"""The web flow: upload, preview with mapping, check, import (valid rows only), rejected rows, presets, history."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dealtrack.customers.models import Company
from dealtrack.deals.models import Deal
from dealtrack.imports.choices import ImportStatus
from dealtrack.imports.models import ImportJob, MappingPreset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_messages(settings):
    """These tests read the English messages; in the site language (zh-hans) they are translated."""
    settings.LANGUAGE_CODE = "en"


DEALS_CSV = (
    "商机名称,客户名称,负责人,金额,创建日期\n"
    "云平台采购,华为科技有限公司,rep_a,100000,2024-03-01\n"
    "数据中心,腾讯,nobody,abc,2024-03-02\n"
    '安全审计,华为科技,rep_a,"2,000",2024-03-03\n'
)


def upload(client, entity: str, name: str, body: bytes):
    return client.post(reverse("imports:list"), {"entity": entity, "file": SimpleUploadedFile(name, body)})


def mapping_post(job: ImportJob, action: str, **options):
    data = {f"column_{i}": job.mapping.get(h, "") for i, h in enumerate(job_headers(job))}
    return {**data, "action": action, **options}


def job_headers(job: ImportJob) -> list[str]:
    from dealtrack.imports.services import job_table

    return job_table(job).headers


def test_upload_shows_preview_with_suggested_mapping(client, org):
    client.force_login(org.admin)

    response = upload(client, "deals", "deals.csv", DEALS_CSV.encode("gb18030"))

    job = ImportJob.objects.get()
    assert response.url == reverse("imports:detail", args=[job.pk])
    assert job.mapping == {"商机名称": "name", "客户名称": "company", "负责人": "owner", "金额": "value",
                           "创建日期": "created_at"}  # fmt: skip
    page = client.get(response.url).content.decode()
    assert "云平台采购" in page
    assert job.notes == ["Read as CSV, encoding GB18030, separator “,”."]


def test_check_lists_row_errors_and_imports_nothing(client, org, django_capture_on_commit_callbacks):
    client.force_login(org.admin)
    upload(client, "deals", "deals.csv", DEALS_CSV.encode())
    job = ImportJob.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:detail", args=[job.pk]),
            mapping_post(job, "check", create_missing="on"),
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )

    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
    assert [(e["row"], e["column"], e["value"]) for e in job.errors] == [(3, "金额", "abc")]
    assert Deal.objects.count() == 0
    assert Company.objects.count() == 0
    page = client.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert "<td>3</td><td>金额</td><td>abc</td><td>请输入数字。</td>" in page  # in the user's language


def test_all_or_nothing_import_with_errors_imports_nothing(client, org, django_capture_on_commit_callbacks):
    client.force_login(org.admin)
    upload(client, "deals", "deals.csv", DEALS_CSV.encode())
    job = ImportJob.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:detail", args=[job.pk]), mapping_post(job, "import", create_missing="on"))

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "Nothing was imported" in job.message
    assert Deal.objects.count() == 0


def test_valid_rows_only_imports_the_good_rows_and_offers_the_rejected_ones(
    client, org, django_capture_on_commit_callbacks
):
    client.force_login(org.admin)
    upload(client, "deals", "deals.csv", DEALS_CSV.encode())
    job = ImportJob.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:detail", args=[job.pk]),
            mapping_post(job, "import", create_missing="on", valid_rows_only="on"),
        )

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.rejected_count) == (2, 1)
    assert set(Deal.objects.values_list("name", "company__name")) == {
        ("安全审计", "华为科技有限公司"),
        ("云平台采购", "华为科技有限公司"),
    }
    response = client.get(reverse("imports:rejected", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][-1] == "Errors"
    assert rows[1][:4] == ["数据中心", "腾讯", "nobody", "abc"]
    assert rows[1][-1] == "金额: Enter a number."


def test_mapping_can_be_changed_and_saved_as_preset(client, org):
    client.force_login(org.admin)
    body = "Kunde,Verantwortlich\n华为科技,rep_a\n".encode()
    upload(client, "companies", "firmen.csv", body)
    job = ImportJob.objects.get()

    client.post(
        reverse("imports:detail", args=[job.pk]),
        {"column_0": "name", "column_1": "owner", "action": "save_preset", "preset_name": "Firmen"},
    )
    upload(client, "companies", "firmen2.csv", body)

    assert MappingPreset.objects.get().mapping == {"Kunde": "name", "Verantwortlich": "owner"}
    assert ImportJob.objects.order_by("-id").first().mapping == {"Kunde": "name", "Verantwortlich": "owner"}


def test_bad_upload_gets_a_message_and_no_job(client, org):
    client.force_login(org.admin)

    empty = upload(client, "companies", "empty.csv", b"")
    binary = upload(client, "companies", "photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)

    assert (empty.status_code, binary.status_code) == (400, 400)
    assert 'class="errorlist' in empty.content.decode()
    assert "the file contains binary data" in binary.content.decode()
    assert ImportJob.objects.count() == 0


def test_reps_cannot_import_and_others_jobs_are_404(client, org):
    client.force_login(org.admin)
    upload(client, "companies", "c.csv", "客户名称\n华为\n".encode())
    job = ImportJob.objects.get()

    client.force_login(org.rep_a)
    assert client.get(reverse("imports:list")).status_code == 404
    client.force_login(org.manager_a)
    assert client.get(reverse("imports:detail", args=[job.pk])).status_code == 404
    assert upload(client, "users", "u.csv", b"name\nx\n").status_code == 404


def test_history_lists_imports(client, org):
    client.force_login(org.admin)
    upload(client, "companies", "客户.csv", "客户名称\n华为\n".encode())

    page = client.get(reverse("imports:list")).content.decode()

    assert "客户.csv" in page

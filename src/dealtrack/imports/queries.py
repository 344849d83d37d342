"""Who may import, and which import jobs a user sees."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from dealtrack.core.models import User
from dealtrack.imports.choices import ImportEntity
from dealtrack.imports.models import ImportJob


def can_import(user: User, entity: str | None = None) -> bool:
    """Admins import everything; managers everything but users; reps nothing."""
    if not user.is_active:
        return False
    if user.is_admin:
        return True
    return user.is_manager and entity != ImportEntity.USERS


def import_jobs_visible_to(user: User) -> QuerySet[ImportJob]:
    """Admins see every import; others their own."""
    jobs = ImportJob.objects.select_related("created_by")
    return jobs if user.is_admin else jobs.filter(created_by=user)


def get_import_job_for(user: User, pk: int | str) -> ImportJob:
    try:
        return import_jobs_visible_to(user).get(pk=pk)
    except (ImportJob.DoesNotExist, ValueError) as exc:
        raise Http404 from exc

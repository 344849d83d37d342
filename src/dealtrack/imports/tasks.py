"""The background task that runs an import job."""

from __future__ import annotations

from django_tasks import task

from dealtrack.imports.services import run_import_job


@task()
def run_import_job_task(job_id: int, dry_run: bool = False) -> str:
    """Validate (dry run) or import one uploaded file; the job row records the outcome."""
    return run_import_job(job_id=job_id, dry_run=dry_run).status

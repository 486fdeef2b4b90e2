"""Background work of the reports app (django-tasks, run by ``kinerja worker``): the
documents asked for on the documents page. A task loads by id and calls a service."""

from __future__ import annotations

from django_tasks import task

from .services import document_job_run


@task()
def generate_document(job_id: int) -> str:
    """Generate one :class:`~kinerja.reports.models.DocumentJob`'s document; a failure is
    recorded on the job, never raised."""
    return document_job_run(job_id=job_id).status

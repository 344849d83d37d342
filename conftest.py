"""Test-wide settings overrides (fast hasher, locmem cache, immediate tasks) and shared fixtures."""

from __future__ import annotations

import pytest

pytest_plugins = ["dealtrack.testing.fixtures", "dealtrack.testing.api"]


@pytest.fixture(autouse=True)
def _test_settings(settings):  # noqa: ANN001, ANN202
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def pytest_collection_modifyitems(items):  # noqa: ANN001, ANN201
    """Transactional tests (and live servers) flush the database afterwards; serialized rollback puts back
    what the data migrations created (default pipeline, currencies, lost reasons …) for the tests after them."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = (marker is not None and marker.kwargs.get("transaction")) or "live_server" in getattr(
            item, "fixturenames", ()
        )
        if transactional:
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)

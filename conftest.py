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

"""Headless Chromium (Debian's) driven by Playwright against pytest-django's live server."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Browser, Page, sync_playwright

from dealtrack.core.models import User

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server, settings) -> Iterator[Page]:  # noqa: ANN001
    settings.ALLOWED_HOSTS = ["*"]
    context = browser.new_context(viewport={"width": 1600, "height": 900}, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page: Page, live_server) -> Callable[[User], Page]:  # noqa: ANN001
    """Sign in through the login form as `user` (password "pass", as the factories set)."""

    def sign_in(user: User, language: str = "en") -> Page:
        user.language = language
        user.save(update_fields=["language"])
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", "pass")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/today/")
        return page

    return sign_in


@pytest.fixture(autouse=True)
def shipped_data(transactional_db) -> None:  # noqa: ANN001
    """Live-server tests flush the database between tests; put back what the data migrations create."""
    for module, function in (
        ("dealtrack.pipelines.migrations.0002_default_pipeline", "create_default_pipeline"),
        ("dealtrack.deals.migrations.0002_default_reasons_and_sources", "create_defaults"),
    ):
        getattr(importlib.import_module(module), function)(django_apps, None)

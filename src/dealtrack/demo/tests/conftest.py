"""Running the `demo` command inside a test, optionally rolled back so it can run again from empty."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from dealtrack.demo.tests.fingerprint import database_fingerprint


@pytest.fixture
def demo_today() -> dt.date:
    """A fixed day in the past, so the history's end does not move while a test runs."""
    return timezone.localdate() - dt.timedelta(days=30)


@pytest.fixture
def run_demo(db: None, demo_today: dt.date) -> Callable[..., str]:
    """Run `dealtrack demo` with the given options (plus --today and --no-progress); returns its output."""

    def run(*options: str) -> str:
        out = io.StringIO()
        call_command("demo", *options, "--today", demo_today.isoformat(), "--no-progress", stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def fingerprint_of_run(run_demo: Callable[..., str]) -> Callable[..., dict[str, tuple[int, str]]]:
    """Run the demo into the empty database, fingerprint the result, then roll it all back."""

    def run(*options: str) -> dict[str, tuple[int, str]]:
        with transaction.atomic():
            run_demo(*options)
            fingerprint = database_fingerprint()
            transaction.set_rollback(True)
        return fingerprint

    return run

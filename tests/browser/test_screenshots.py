"""`make screenshots` takes its pictures with `take_screenshots`; here against data made through the services."""

from __future__ import annotations

import pytest

from dealtrack.activities.services import log_activity
from dealtrack.testing.screenshots import take_screenshots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screenshots_of_the_four_pages_are_saved(browser, live_server, settings, tmp_path, org, make_deal):
    settings.ALLOWED_HOSTS = ["*"]
    deal = make_deal(owner=org.rep_a, name="截图用的商机", value="1234567")
    log_activity(actor=org.rep_a, kind="call", deal=deal, subject="电话沟通")

    saved = take_screenshots(live_server.url, org.rep_a.username, "pass", tmp_path, browser=browser)

    assert sorted(p.name for p in saved) == ["board.png", "deal.png", "list.png", "today.png"]
    for path in saved:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert path.stat().st_size > 10_000

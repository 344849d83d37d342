"""`dealtrack demo [--deals N] [--seed S] [--if-empty] [--today YYYY-MM-DD] [--bulk]`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from dealtrack.deals.models import Deal
from dealtrack.demo import constants
from dealtrack.demo.builder import build_demo, uses_bulk


def _today(raw: str | None) -> dt.date:
    today = timezone.localdate()
    if not raw:
        return today
    try:
        chosen = dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(_("Give --today as a date, YYYY-MM-DD.")) from None
    if chosen > today:
        raise CommandError(_("--today cannot be later than today (%(today)s).") % {"today": today.isoformat()})
    return chosen


class Command(BaseCommand):
    help = (
        "Build the demo organisation: 11 logins in 2 teams, 3 pipelines, companies, contacts and deals with "
        "a year of consistent history. Above 20,000 deals (or with --bulk) rows are inserted in bulk."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--deals", type=int, default=constants.DEFAULT_DEALS, help="how many deals (default 600)")
        parser.add_argument("--seed", type=int, default=constants.DEFAULT_SEED, help="same seed, same data")
        parser.add_argument("--today", help="the day the history ends before (default: today), YYYY-MM-DD")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database has any deal")
        parser.add_argument("--bulk", action="store_true", help="insert rows in bulk even for a small set")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["deals"]
        if count < 1:
            raise CommandError(_("--deals must be at least 1."))
        today = _today(options["today"])
        existing = Deal.objects.count()
        if existing and options["if_empty"]:
            self.stdout.write(_("The database already has deals; no demo data added."))
            return
        if existing:
            raise CommandError(
                _(
                    "The database already has %(count)d deals. The demo organisation goes into an empty database: "
                    "use a fresh DEALTRACK_DATA_DIR or DATABASE_URL, or pass --if-empty to skip."
                )
                % {"count": existing}
            )
        summary = build_demo(
            deals=count,
            seed=options["seed"],
            today=today,
            bulk=uses_bulk(count, forced=options["bulk"]),
            progress=not options["no_progress"],
        )
        self.stdout.write(
            _(
                "Demo organisation ready in %(seconds).1f s (%(mode)s): %(deals)d deals, %(events)d events, "
                "%(activities)d activities, %(tasks)d tasks, %(companies)d companies, %(contacts)d contacts."
            )
            % {
                "seconds": summary.seconds,
                "mode": _("bulk inserts") if summary.bulk else _("through the services"),
                "deals": summary.deals,
                "events": summary.events,
                "activities": summary.activities,
                "tasks": summary.tasks,
                "companies": summary.companies,
                "contacts": summary.contacts,
            }
        )
        self.stdout.write(
            _("Logins: admin, manager1, manager2, rep1 … rep8; password %(password)s")
            % {"password": constants.DEMO_PASSWORD}
        )

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from dealtrack.core.scheduler import SchedulerThread


class Command(BaseCommand):
    help = "Run the background worker: the database task queue plus the periodic-job scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between queue polls")
        parser.add_argument("--no-scheduler", action="store_true", help="only run queued tasks")

    def handle(self, *args: Any, **options: Any) -> None:
        scheduler = None
        if not options["no_scheduler"]:
            scheduler = SchedulerThread()
            scheduler.start()
        try:
            call_command("db_worker", interval=options["interval"], verbosity=options["verbosity"])
        finally:
            if scheduler:
                scheduler.stop()

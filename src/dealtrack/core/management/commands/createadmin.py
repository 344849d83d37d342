from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dealtrack.core.choices import Role
from dealtrack.core.models import User


class Command(BaseCommand):
    help = "Create (or reset) an administrator. Password from --password or DEALTRACK_ADMIN_PASSWORD."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=os.environ.get("DEALTRACK_ADMIN_PASSWORD", ""))

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"]
        if not password:
            raise CommandError("Give --password or set DEALTRACK_ADMIN_PASSWORD.")
        user, created = User.objects.get_or_create(username=options["username"])
        user.email = options["email"] or user.email
        user.role = Role.ADMIN
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(f"{'Created' if created else 'Updated'} administrator {user.username}.")

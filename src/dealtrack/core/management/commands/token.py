from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dealtrack.core.models import ApiToken, User
from dealtrack.core.tokens import create_api_token


class Command(BaseCommand):
    help = "Manage personal API tokens: `token create USER` prints the new token alone on its last line."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for USER")
        create.add_argument("username")
        create.add_argument("--name", default="cli")
        create.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ_WRITE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user {options['username']!r}.") from None
        token, raw = create_api_token(user=user, name=options["name"], scope=options["scope"])
        self.stderr.write(f"Token {token.prefix}… for {user.username} ({token.scope}); it is shown only once:")
        self.stdout.write(raw)

"""Django's makemessages, also extracting `N_("…")` (gettext_noop), which shipped stage names use."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]

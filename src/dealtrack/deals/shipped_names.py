"""Lost reasons and sources the data migration creates, marked for translation (shown through gettext)."""

from django.utils.translation import gettext_noop as N_

LOST_REASONS = [
    N_("Price too high"),
    N_("Chose a competitor"),
    N_("No budget"),
    N_("No decision"),
    N_("Requirements not met"),
    N_("Lost contact"),
]
SOURCES = [
    N_("Referral"),
    N_("Website"),
    N_("Trade show"),
    N_("Cold call"),
    N_("Partner"),
    N_("Existing customer"),
    N_("Advertising"),
]

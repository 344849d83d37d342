"""Signals for the apps that build on deals and that deals may not import: reports and activities keep
totals of the snapshot rows and activities a deletion takes with it."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by `services.delete_deals` inside its transaction, just before the deals go, with `deal_ids`.
deals_deleting = Signal()

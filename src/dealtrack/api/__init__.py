"""The REST API at /api/v1/: one NinjaAPI (`dealtrack.api.v1.api`) with the domain apps' routers mounted on it.

This package holds only what every endpoint shares (authentication, rate limits, problem+json errors, cursor
pagination, optimistic concurrency, idempotency). Endpoints live in each app's `api.py`.
"""

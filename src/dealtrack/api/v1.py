"""The one NinjaAPI instance, version 1, mounted at /api/v1/ in `dealtrack.urls`.

Every app's `api.py` exposes a `router`; mounting one is one line in ROUTERS. A mounted router inherits
authentication (token or session), the rate limit, problem+json errors and Idempotency-Key handling.
"""

from __future__ import annotations

from ninja.openapi.docs import Swagger

from dealtrack.api import idempotency
from dealtrack.api.auth import SessionCsrfAuth, TokenAuth
from dealtrack.api.handlers import install_handlers
from dealtrack.api.openapi import DealtrackAPI

# (URL prefix, dotted path of a ninja Router). Paths inside a domain router start with the resource name.
ROUTERS = [
    ("", "dealtrack.core.api.router"),
    ("", "dealtrack.pipelines.api.router"),
    ("", "dealtrack.customers.api.router"),
    ("", "dealtrack.deals.api.router"),
    ("", "dealtrack.activities.api.router"),
    ("", "dealtrack.tasks.api.router"),
    ("/reports", "dealtrack.reports.api.router"),
]

api = DealtrackAPI(
    title="Dealtrack API",
    version="1",
    # The schema is developer documentation, kept in English like the code.
    description=(
        "Deals, companies, contacts, activities and tasks with the web app's visibility rules. "
        "Authenticate with `Authorization: Bearer <token>` (create tokens under Profile → API tokens). "
        "Errors are application/problem+json. See docs/api.md for pagination, sync, 409 and 429."
    ),
    urls_namespace="api-v1",
    auth=[TokenAuth(), SessionCsrfAuth()],
    docs=Swagger(settings={"persistAuthorization": True}),
)
install_handlers(api)
api.add_decorator(idempotency.around_request, mode="view")
api.add_decorator(idempotency.before_endpoint, mode="operation")

for prefix, router in ROUTERS:
    api.add_router(prefix, router)

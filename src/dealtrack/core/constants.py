"""Limits shared by every app."""

MAX_ID = 2**63 - 1  # the largest primary key a 64-bit column holds: a larger id from a client is an error, not a query

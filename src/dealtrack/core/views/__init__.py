"""Core pages: home, health check, profile, search, people settings, and the generic list machinery."""

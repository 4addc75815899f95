"""Database and permission logic as plain functions that take a SQLModel session.

Nothing here knows about Reflex, so every rule is unit-tested without a browser.
"""

"""Database and permission logic as plain functions that take a SQLModel session.

Nothing here knows about Reflex, so every rule is unit-tested without a browser.
"""

# Every database session refuses to write a sealed column in clear (encryption at rest).
from wbs_app.services import sealed as _sealed  # noqa: E402,F401

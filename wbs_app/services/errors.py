"""The errors every service raises; pages show their Indonesian message where the user is looking."""

from __future__ import annotations


class ValidationFailed(Exception):
    """Input was refused; `errors` maps each form field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


class Refused(Exception):
    """The rules do not allow this actor this action; the message says why, in Indonesian."""


class NotFound(Refused):
    """What the action names does not exist (or, to this actor, must look as if it did not)."""


class SubmissionFailed(Exception):
    """A report (or message) could not be stored; nothing of it was kept."""

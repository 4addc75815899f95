"""What the administration tabs that change data share: their messages and one way to run a change."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from sqlmodel import Session

from wbs_app import language, messages
from wbs_app.components.forms import form_alert
from wbs_app.db import open_session
from wbs_app.i18n import catalogue, translate
from wbs_app.services.errors import Refused, ValidationFailed


class AdminTabState(rx.State, mixin=True):
    """Mixed into a tab's StaffState; the tab defines `_reload()`, which reloads that tab's data only."""

    errors: dict[str, str] = {}
    notice: str = ""
    error: str = ""

    def _clear_feedback(self) -> None:
        self.errors = {}
        self.notice = self.error = ""

    def _apply(self, work: Callable[[Session], object], *, field_errors: bool = True) -> bool:
        """Run one change; show its refusal, or confirm it and reload the tab. True when it was made.

        Field errors go beside their form field, or into the tab's alert where the input has no error slot.
        """
        with open_session() as db:
            try:
                work(db)
            except ValidationFailed as invalid:
                if field_errors:
                    self.errors = invalid.errors
                else:
                    self.error = next(iter(invalid.errors.values()))
                return False
            except Refused as refused:
                self.error = str(refused)
                return False
        self.notice = messages.ACTION_DONE
        self._reload()
        return True


def feedback(state: type[AdminTabState]) -> rx.Component:
    """The tab's refusal (red) and confirmation (green), at the top of the tab."""
    return rx.fragment(form_alert(state.error), form_alert(state.notice, color="green"))


def _in(lang: str, msgid: str, names: dict[str, str]) -> str:
    """`msgid` in `lang`, its `{name}`s filled with stored names (channels) or marked texts, also in `lang`."""
    found = catalogue(lang) if lang != language.DEFAULT else {}
    return translate(msgid, lang).format(**{key: found.get(name, name) for key, name in names.items()})


def tr_names(msgid: str, **names: str) -> rx.Component:
    """Like components.text.tr, for a sentence holding names that are themselves translated (a channel, a preset):
    each language's sentence gets the names in that language."""
    return rx.fragment(
        rx.el.span(_in(language.DEFAULT, msgid, names), class_name="t-id"),
        rx.el.span(_in(language.ENGLISH, msgid, names), class_name="t-en"),
    )

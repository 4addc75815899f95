"""Texts of the pages in both languages.

Pages are compiled once and pre-rendered, so a page carries its texts in Bahasa Indonesia and English; the
stylesheet (assets/wbs.css, `.t-id`/`.t-en`) shows the ones of `<html lang>`, which the server sets from the
browser's language cookie (wbs_app/language.py). Nothing flickers and no text differs between the pre-rendered
page and the one React hydrates. Attributes (placeholders, labels of icon buttons, option texts) cannot hold
two texts: `tr_attr` picks one by LanguageState, which mirrors the same cookie.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from wbs_app import language
from wbs_app.i18n import translate


class LanguageState(rx.State):
    """The browser's language cookie, read by the page (never a secret; handlers use wbs_app/language.py)."""

    language: str = rx.Cookie(language.DEFAULT, name=language.COOKIE, same_site="lax", max_age=365 * 24 * 3600)

    @rx.var
    def english(self) -> bool:
        return self.language == language.ENGLISH


def tr(msgid: str, **values: Any) -> rx.Component:
    """`msgid` in both languages, the other one hidden. `values` (plain values or Vars) fill `{name}`s. A text
    that is the same in both ("FAQ", "Menu") is written once."""
    if translate(msgid, language.ENGLISH) == msgid:
        return rx.el.span(msgid.format(**values) if values else msgid)
    return rx.fragment(
        rx.el.span(msgid.format(**values) if values else msgid, class_name="t-id"),
        rx.el.span(_english(msgid, values), class_name="t-en"),
    )


def tr_attr(msgid: str, **values: Any) -> rx.Var:
    """`msgid` for an attribute (placeholder, aria-label, title, option): the language of LanguageState."""
    indonesian = msgid.format(**values) if values else msgid
    return rx.cond(LanguageState.english, _english(msgid, values), indonesian)


def _english(msgid: str, values: dict[str, Any]) -> str:
    text = translate(msgid, language.ENGLISH)
    return text.format(**values) if values else text

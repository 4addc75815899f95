"""Every text the app shows, sends or prints, in Bahasa Indonesia and English: gettext catalogues.

The Indonesian text is the message id (the code stays readable in the language the users read first); the
English texts are the gettext catalogues in wbs_app/i18n/en/*.po, one file per part of the app, edited with
any .po editor and merged here. tests/unit/test_catalogues.py extracts every marked text with Babel and fails
when one has no English, when a text is translated twice differently, or when a catalogue keeps a text the code
no longer uses.

Marking: `_("…")` translates now, into the current language (wbs_app/language.py); `N_("…")` only marks a
text kept in a constant and translated where it is shown; components/text.py's `tr` and `tr_attr` put both
languages into a page. Placeholders use str.format names: `_("Berkas {name} terlalu besar").format(name=...)`.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from wbs_app import language

CATALOGUE_DIR = Path(__file__).parent
log = logging.getLogger(__name__)


class MissingTranslation(LookupError):
    """A text marked for translation has no English (raised only when WBS_STRICT_CATALOGUE=1, as in tests)."""


@cache
def catalogue(lang: str) -> dict[str, str]:
    """msgid → text for one language; Indonesian is the ids themselves (an empty mapping)."""
    texts: dict[str, str] = {}
    for path in sorted((CATALOGUE_DIR / lang).glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
                    texts[message.id] = message.string
    return texts


def translate(msgid: str, lang: str) -> str:
    """`msgid` in `lang`. Without an English text: the Indonesian one, logged (an error in strict mode)."""
    if lang == language.DEFAULT or not msgid:
        return msgid
    found = catalogue(lang).get(msgid)
    if found is None:
        if os.environ.get("WBS_STRICT_CATALOGUE") == "1":
            raise MissingTranslation(f"no {lang} text for {msgid!r}")
        log.warning("no %s text for %r", lang, msgid)
        return msgid
    return found


def _(msgid: str) -> str:
    """`msgid` in the current language."""
    return translate(msgid, language.current())


def term(stored: str) -> str:
    """A stored name (a status, a channel, a violation type of the seeded list) in the current language: its
    English where a catalogue has one, else as stored (names an administrator added are shown as typed)."""
    lang = language.current()
    return stored if lang == language.DEFAULT else catalogue(lang).get(stored, stored)


def N_(msgid: str) -> str:
    """Marks a text for the catalogues without translating it (it is translated where it is shown)."""
    return msgid


def both(msgid: str) -> dict[str, str]:
    """`msgid` in every language, keyed by language code (for pages that carry both)."""
    return {lang: translate(msgid, lang) for lang in language.LANGUAGES}

"""Every text marked for translation has its English, and the catalogues hold nothing the code no longer uses.

The marked texts are found the way a translator's tool finds them: Babel's extractor over wbs_app/, with the
markers of wbs_app/i18n (`_`, `N_`) and components/text.py (`tr`, `tr_attr`).
"""

from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from wbs_app import i18n, language

APP = Path(i18n.__file__).parents[1]
KEYWORDS = {"_": None, "N_": None, "tr": None, "tr_attr": None}


def _marked() -> dict[str, list[str]]:
    places: dict[str, list[str]] = defaultdict(list)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(APP), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
    ):
        if isinstance(message, str) and message:
            places[message].append(f"{filename}:{lineno}")
    return places


def _entries(lang: str) -> dict[str, list[tuple[str, str]]]:
    """msgid → (file, text) of every entry in that language's catalogues."""
    entries: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in sorted((APP / "i18n" / lang).glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id:
                    entries[message.id].append((path.name, message.string))
    return entries


MARKED = _marked()


def test_the_app_marks_its_texts():
    # The extractor really finds them (a link of the header).
    assert "Lacak Laporan" in MARKED


@pytest.mark.parametrize("lang", [lang for lang in language.LANGUAGES if lang != language.DEFAULT])
def test_every_marked_text_has_its_translation(lang):
    entries = _entries(lang)
    missing = sorted(f"{places[0]}: {msgid!r}" for msgid, places in MARKED.items() if not any(t for _, t in entries.get(msgid, [])))
    assert not missing, f"{len(missing)} texts without {lang}:\n" + "\n".join(missing[:40])


@pytest.mark.parametrize("lang", [lang for lang in language.LANGUAGES if lang != language.DEFAULT])
def test_catalogues_agree_and_hold_only_used_texts(lang):
    entries = _entries(lang)
    unused = sorted(f"{found[0][0]}: {msgid!r}" for msgid, found in entries.items() if msgid not in MARKED)
    assert not unused, "texts no code uses any more:\n" + "\n".join(unused[:40])
    differing = sorted(msgid for msgid, found in entries.items() if len({text for _, text in found}) > 1)
    assert not differing, f"translated differently in two files: {differing[:20]}"


def test_placeholders_survive_translation():
    import string

    names = lambda text: sorted(name for _, name, _, _ in string.Formatter().parse(text) if name)  # noqa: E731
    broken = [msgid for msgid, text in i18n.catalogue(language.ENGLISH).items() if names(msgid) != names(text)]
    assert not broken, f"placeholders differ: {broken[:20]}"


def test_the_current_language_follows_the_choice():
    english = next(iter(i18n.catalogue(language.ENGLISH)))
    assert i18n._(english) == english  # the default is Bahasa Indonesia
    with language.use(language.ENGLISH):
        assert i18n._(english) == i18n.catalogue(language.ENGLISH)[english] != english
    with language.use("fr"):  # not offered: the default
        assert i18n._(english) == english


def test_language_cookie_is_read_strictly():
    assert language.from_cookies("a=1; wbs_bahasa=en") == "en"
    assert language.from_cookies("wbs_bahasa=xx") == "id"
    assert language.from_cookies("") == "id"
    assert language.from_cookies("wbs_bahasa=en; wbs_bahasa=id") == "id"

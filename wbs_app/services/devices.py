"""A browser's User-Agent in a few words ("Chrome di Windows"), for the list of logins on Akun Saya.

Only this label is stored with a login, never the User-Agent itself: enough for a user to recognise their
own devices, too little to tell one computer from another of the same kind. It is stored in Bahasa Indonesia
and shown in the language of the page (`shown`).
"""

from __future__ import annotations

from wbs_app.i18n import N_, _

UNKNOWN_BROWSER = N_("Peramban lain")
UNKNOWN_SYSTEM = N_("sistem lain")
UNKNOWN_DEVICE = N_("Perangkat tidak dikenal")
_JOINED = " di "
MAX_LENGTH = 60

# First match wins: Edge, Opera and Samsung Internet also name Chrome and Safari, Chrome also names Safari.
_BROWSERS = [
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),  # HeadlessChrome too
    ("Safari/", "Safari"),
]
# iPhone and Android before Linux and Mac OS X, which their User-Agents also contain.
_SYSTEMS = [
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
]


def device_label(user_agent: str) -> str:
    """E.g. "Firefox di Android"; "Peramban lain di sistem lain" when nothing is recognised."""
    agent = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in agent), UNKNOWN_BROWSER)
    system = next((name for marker, name in _SYSTEMS if marker in agent), UNKNOWN_SYSTEM)
    return f"{browser}{_JOINED}{system}"[:MAX_LENGTH]


def shown(label: str) -> str:
    """A stored label in the current language: "Firefox di Android" is "Firefox on Android" in English."""
    browser, joined, system = (label or UNKNOWN_DEVICE).partition(_JOINED)
    if not joined:
        return _(UNKNOWN_DEVICE) if browser == UNKNOWN_DEVICE else browser
    browser = _(UNKNOWN_BROWSER) if browser == UNKNOWN_BROWSER else browser
    system = _(UNKNOWN_SYSTEM) if system == UNKNOWN_SYSTEM else system
    return _("{browser} di {system}").format(browser=browser, system=system)

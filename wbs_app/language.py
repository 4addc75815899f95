"""The language of the pages, in one place: `<html lang>` of every page comes from here.

Bahasa Indonesia is the only language so far. A language switch (English as the second language) changes it
here for the build's default and, per browser, on `document.documentElement.lang` along with the texts.
"""

DEFAULT = "id"  # BCP 47: Bahasa Indonesia

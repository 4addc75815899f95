"""Browser checks of the English pages: choose English from the header, then find any Indonesian left.

A page is checked as the visitor meets it: its visible text (every text node that is shown, including the
screen-reader-only ones), the options of its lists, the attributes people and screen readers meet (placeholder,
aria-label, title, alt) and the window title. Texts inside `translate="no"` (data that people typed, such as
the institution's address, which stays as they wrote it) are not language of the app and are skipped.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import open_page

# Common Indonesian words that no English text of the app uses (a page still showing one of them has text that
# did not come from the catalogues). Test data written by these tests avoids them.
INDONESIAN_WORDS = frozenset(
    """yang dan untuk tidak dengan dari pada ini itu atau akan anda belum sudah dapat harus kami telah oleh
    tanggal kirim simpan masuk daftar lihat semua baru tahun bulan hari jenis pelapor laporan terlapor kembali
    silakan mohon ubah hapus cari batal berhasil gagal diterima selesai sedang lapor kata sandi akun nama
    keterangan halaman sebelumnya selanjutnya unduh ditolak perlu isi wajib""".split()
)

_TEXTS = """() => {
  const skipped = (element) => !element || element.closest('[translate="no"], script, style, template');
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    if (skipped(element) || !node.textContent.trim()) continue;
    if (element.tagName === 'OPTION' || element.checkVisibility({ visibilityProperty: true })) texts.push(node.textContent);
  }
  for (const element of document.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
    if (skipped(element) || !element.checkVisibility()) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
      const value = element.getAttribute(name);
      if (value) texts.push(value);
    }
  }
  texts.push(document.title);
  return texts;
}"""


# Names that are the same in every language and happen to hold one of the words above.
PROPER_NAMES = ("SP4N-LAPOR!",)


def indonesian_left(page) -> list[str]:
    """The texts of the page (as above) that still hold an Indonesian word."""
    found = []
    for text in page.evaluate(_TEXTS):
        named = text
        for name in PROPER_NAMES:
            named = named.replace(name, " ")
        words = {word.lower() for word in re.findall(r"[A-Za-z]+", named)}
        if words & INDONESIAN_WORDS:
            found.append(" ".join(text.split())[:120])
    return sorted(set(found))


def choose_english(page, path: str = "/") -> None:
    """Open `path` and switch to English with the header's button, as a visitor would."""
    open_page(page, path)
    switch = page.locator("header nav.nav-desktop [data-language='en'], header [data-language='en']").locator("visible=true")
    if switch.count() == 0:  # phone width: the switch is in the menu
        page.locator("summary.nav-summary").click()
        switch = page.locator("header [data-language='en']").locator("visible=true")
    switch.first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.wait_for_selector('main[data-ready="true"]')


def assert_english(page, what: str) -> None:
    """The page is in English, with nothing of the app's own text left in Indonesian."""
    page.wait_for_selector('main[data-ready="true"]')
    expect(page.locator("html")).to_have_attribute("lang", "en")
    left = indonesian_left(page)
    assert not left, f"{what}: Indonesian text on the English page:\n" + "\n".join(left)

"""PDF evidence is never opened by the browser on the app's origin: staff see its pages as one image drawn here.

A PDF runs in the browser's PDF viewer, which a sandbox policy does not cover; a PNG drawn on the server by
pdfium shows the same pages with nothing in it that can run.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image

MAX_PAGES = 5
WIDTH = 900  # pixels: readable in the case page, small enough to send quickly
GAP = 12


def pdf_pages_png(data: bytes, *, max_pages: int = MAX_PAGES) -> tuple[bytes, int]:
    """The first `max_pages` pages of the PDF `data` stacked in one PNG, and how many pages it has.

    Drawn from the bytes in memory: the document is never written to a file.
    """
    document = pdfium.PdfDocument(data)
    try:
        pages = []
        for index in range(min(len(document), max_pages)):
            page = document[index]
            scale = WIDTH / max(page.get_width(), 1)
            pages.append(page.render(scale=scale, may_draw_forms=False).to_pil().convert("RGB"))
            page.close()
        total = len(document)
    finally:
        document.close()
    height = sum(image.height for image in pages) + GAP * max(len(pages) - 1, 0)
    sheet = Image.new("RGB", (WIDTH, max(height, 1)), "#d9dde3")
    top = 0
    for image in pages:
        sheet.paste(image, (0, top))
        top += image.height + GAP
    out = io.BytesIO()
    sheet.save(out, format="PNG", optimize=True)
    return out.getvalue(), total

"""CSV and XLSX written row by row straight into an encrypted file (services/filecrypt).

openpyxl's streaming mode keeps each worksheet in a plaintext temporary file, and an export may hold reporters'
identities, so the XLSX is written here instead: the smallest workbook Excel, LibreOffice and openpyxl open (one
sheet, every cell an inline string, so nothing typed can become a formula), zipped as it streams.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from xml.sax.saxutils import escape

from openpyxl.xml.constants import CONTYPES_NS, PKG_REL_NS, REL_NS, SHEET_MAIN_NS

from wbs_app.services.filecrypt import SealedWriter


class _Sink(io.RawIOBase):
    """A write-only, unseekable file whose bytes go to the encrypted writer (zipfile then streams its entries)."""

    def __init__(self, writer: SealedWriter):
        self._writer = writer

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._writer.write(bytes(data))
        return len(data)


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Types xmlns="{CONTYPES_NS}">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{PKG_REL_NS}">'
    '<Relationship Id="rId1" '
    f'Type="{REL_NS}/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<Relationships xmlns="{PKG_REL_NS}">'
    '<Relationship Id="rId1" '
    f'Type="{REL_NS}/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
# XML namespace names (identifiers in the file, never fetched), from openpyxl rather than written out here.
_MAIN = SHEET_MAIN_NS
_RELATIONSHIPS = REL_NS


def _workbook(sheet_name: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        f'<sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _row_xml(number: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{_column(index)}{number}" t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'
        for index, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@contextmanager
def xlsx_rows(writer: SealedWriter, sheet_name: str) -> Iterator[Callable[[list[str]], None]]:
    """Yields `write_row(values)`; the workbook is complete when the block ends."""
    with zipfile.ZipFile(_Sink(writer), "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(sheet_name))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{_MAIN}"><sheetData>'.encode()
            )
            number = 0

            def write_row(values: list[str]) -> None:
                nonlocal number
                number += 1
                sheet.write(_row_xml(number, values).encode())

            yield write_row
            sheet.write(b"</sheetData></worksheet>")


@contextmanager
def csv_rows(writer: SealedWriter) -> Iterator[Callable[[list[str]], None]]:
    """Yields `write_row(values)` for a UTF-8 CSV with a byte order mark (spreadsheets then read it as UTF-8)."""
    text = io.TextIOWrapper(_Sink(writer), encoding="utf-8-sig", newline="", write_through=True)
    rows = csv.writer(text)
    yield rows.writerow
    text.flush()
    text.detach()

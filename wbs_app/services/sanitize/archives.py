"""ZIP and RAR archives: listed in full and refused if they hold programs; they cannot be cleaned.

A ZIP is read to the last byte (every member decompressed, its checksum checked), and each member is
judged by its name and by its first bytes; ZIPs inside are opened the same way (two levels deep). A RAR
is listed by `rarfile` without the unrar program (RAR 4 and 5 headers): members are judged by name
only, since their content cannot be unpacked here. Either way the reporter is warned that the files
inside keep their metadata.
"""

from __future__ import annotations

import io
import zipfile

import rarfile

from wbs_app.i18n import N_, _
from wbs_app.services.sanitize import common
from wbs_app.services.sanitize.common import CleanReport, refuse

MAX_UNPACKED = 200 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_DEPTH = 2
_PROGRAM = N_("arsip berisi program atau skrip ({member}); berkas seperti ini tidak diterima.")


def check_zip(data: bytes, kind: str, name: str) -> tuple[bytes, CleanReport]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_zip_members(archive, name, depth=0, budget=[MAX_UNPACKED])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError) as failure:
        raise refuse(name, _("bukan arsip ZIP yang sah (berkas rusak atau bukan ZIP).")) from failure
    except OSError as failure:  # includes zlib errors of a damaged member
        raise refuse(name, _("bukan arsip ZIP yang sah (berkas rusak).")) from failure
    return data, CleanReport(warning=common.ARCHIVE_WARNING)


def _check_zip_members(archive: zipfile.ZipFile, name: str, *, depth: int, budget: list[int]) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise refuse(name, _("arsip berisi terlalu banyak berkas."))
    for info in entries:
        member = info.filename
        _check_member_name(member, name)
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise refuse(
                name, _("arsip dilindungi kata sandi ({member}); isinya tidak dapat diperiksa.").format(member=member)
            )
        budget[0] -= info.file_size
        if budget[0] < 0:
            raise refuse(name, _("isi arsip terlalu besar setelah dibuka (kemungkinan bom zip)."))
        data = archive.read(info)  # checks the member's CRC
        if common.looks_executable(data[:4]):
            raise refuse(name, _(_PROGRAM).format(member=member))
        if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            if depth + 1 >= MAX_DEPTH:
                raise refuse(
                    name, _("arsip berlapis terlalu dalam ({member}); kirim isinya langsung.").format(member=member)
                )
            with zipfile.ZipFile(io.BytesIO(data)) as inner:
                _check_zip_members(inner, name, depth=depth + 1, budget=budget)
        elif data.startswith(b"Rar!\x1a\x07"):
            _check_rar_listing(io.BytesIO(data), name)


def _check_member_name(member: str, name: str) -> None:
    base = member.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    if extension in common.EXECUTABLE_EXTENSIONS:
        raise refuse(name, _(_PROGRAM).format(member=member[-80:]))


def check_rar(data: bytes, kind: str, name: str) -> tuple[bytes, CleanReport]:
    _check_rar_listing(io.BytesIO(data), name)
    return data, CleanReport(warning=common.ARCHIVE_WARNING)


def _check_rar_listing(handle: io.BytesIO, name: str) -> None:
    """A file object, never a name: rarfile then never looks for other volumes beside it."""
    try:
        with rarfile.RarFile(handle, errors="strict") as archive:
            entries = archive.infolist()
            locked = archive.needs_password()
    except rarfile.NeedFirstVolume as failure:
        raise refuse(name, _("arsip RAR terpecah beberapa bagian; kirim sebagai satu arsip.")) from failure
    except rarfile.PasswordRequired as failure:
        raise refuse(name, _("arsip dilindungi kata sandi; isinya tidak dapat diperiksa.")) from failure
    except (rarfile.Error, EOFError, ValueError, OSError, TypeError) as failure:
        # TypeError: the first part of a split archive, whose next part rarfile tries to find by name.
        raise refuse(name, _("bukan arsip RAR yang sah (berkas rusak, terpecah, atau bukan RAR).")) from failure
    if not entries:
        reason = _("arsip dilindungi kata sandi; isinya tidak dapat diperiksa.") if locked else _("arsip RAR kosong.")
        raise refuse(name, reason)
    if len(entries) > MAX_ENTRIES:
        raise refuse(name, _("arsip berisi terlalu banyak berkas."))
    for info in entries:
        _check_member_name(info.filename, name)
        if info.filename.lower().endswith((".zip", ".rar", ".7z")):
            raise refuse(
                name,
                _("arsip di dalam arsip RAR ({member}) tidak dapat diperiksa; kirim isinya langsung.").format(
                    member=info.filename[-80:]
                ),
            )

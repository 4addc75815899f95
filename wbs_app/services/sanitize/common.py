"""What every cleaner shares: its report and the refusal it raises."""

from __future__ import annotations

import dataclasses

from wbs_app.i18n import N_
from wbs_app.services.evidence import EvidenceRejected

# Short phrases shown to the reporter ("... dihapus"); one per kind of identifying data. Kept as catalogue ids
# (N_), translated where shown (sanitize.removed_label, the archive warning by whoever shows it).
GPS = N_("lokasi GPS")
DEVICE = N_("model perangkat")
AUTHOR = N_("nama penulis")
COMMENT_AUTHORS = N_("nama penulis komentar")
SOFTWARE = N_("nama aplikasi pembuat")
DATES = N_("tanggal pembuatan")
DOCUMENT_INFO = N_("info dokumen")
XMP = N_("data XMP")
IPTC = N_("data IPTC")
EXIF = N_("data EXIF lainnya")
MAKER_NOTES = N_("catatan produsen kamera")
TEXT_NOTES = N_("teks keterangan")
MEDIA_TAGS = N_("tag audio/video")
FILE_PATH = N_("lokasi folder asal")

ARCHIVE_WARNING = N_("isi arsip tidak dapat dibersihkan dari metadata; periksa sebelum mengirim")

EXECUTABLE_EXTENSIONS = frozenset(
    "exe dll scr com bat cmd msi msp pif cpl sys drv ocx vbs vbe js jse wsf wsh hta ps1 psm1 jar class apk "
    "app dmg pkg deb rpm sh bin elf run lnk reg inf iso img vhd vhdx docm xlsm pptm dotm xltm ppam xlam".split()
)


@dataclasses.dataclass
class CleanReport:
    removed: list[str] = dataclasses.field(default_factory=list)
    warning: str = ""

    def add(self, phrase: str) -> None:
        if phrase not in self.removed:
            self.removed.append(phrase)


def refuse(name: str, reason: str) -> EvidenceRejected:
    """`reason`: already in the current language (the callers translate it with `_`)."""
    return EvidenceRejected(f"{name}: {reason}")


def looks_executable(head: bytes) -> bool:
    """Windows (MZ), Linux (ELF) and macOS (Mach-O) programs, and scripts starting with #!."""
    return head.startswith((b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!"))

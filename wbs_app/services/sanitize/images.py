"""JPEG and PNG: decoded in full by Pillow and re-encoded, so nothing but the pixels survives.

Re-encoding drops EXIF (GPS position, camera make and model, maker notes), XMP, IPTC, comments and text
chunks, and anything hidden after or between the image data (an HTML or program polyglot). The EXIF
orientation is applied to the pixels first, so the photo still shows the right way up.
"""

from __future__ import annotations

import io
import os
from typing import BinaryIO

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from wbs_app.i18n import _
from wbs_app.services.sanitize import common
from wbs_app.services.sanitize.common import CleanReport, refuse

# Beyond this many pixels a small file is a decompression bomb, not a photo (a 200-megapixel camera fits).
MAX_PIXELS = 200_000_000

FORMATS = {"jpeg": "JPEG", "png": "PNG"}

_DEVICE_TAGS = (ExifTags.Base.Make, ExifTags.Base.Model, ExifTags.Base.BodySerialNumber, ExifTags.Base.LensModel)
_AUTHOR_TAGS = (ExifTags.Base.Artist, ExifTags.Base.Copyright, 0x9C9D)  # 0x9C9D: Windows "XPAuthor"
_SOFTWARE_TAGS = (ExifTags.Base.Software, ExifTags.Base.HostComputer)
_DATE_TAGS = (ExifTags.Base.DateTime, ExifTags.Base.DateTimeOriginal, ExifTags.Base.DateTimeDigitized)
# Text chunk keys of PNG (and JPEG comments) that name a person or a program.
_TEXT_AUTHOR_KEYS = {"author", "artist", "copyright", "creator"}
_TEXT_SOFTWARE_KEYS = {"software", "source"}
# What may stay: how to show the pixels, nothing about who or where.
_KEPT_INFO = ("icc_profile", "transparency", "dpi", "gamma")


def clean_image(data: bytes, kind: str, name: str) -> tuple[bytes, CleanReport]:
    label = kind.upper()
    image = _decode(data, kind, name, label)
    report = CleanReport()
    _note_metadata(image, report)
    try:
        return _reencode(image, kind), report
    except (OSError, ValueError) as failure:
        raise refuse(
            name, _("gambar {label} tidak dapat diproses ulang (berkas rusak).").format(label=label)
        ) from failure
    finally:
        image.close()


def _decode(data: bytes, kind: str, name: str, label: str) -> Image.Image:
    """The image decoded in full (every pixel), or a refusal."""
    bad = _("bukan gambar {label} yang sah (berkas rusak atau bukan gambar).").format(label=label)
    try:
        with Image.open(io.BytesIO(data), formats=[FORMATS[kind]]) as probe:
            _check_size(probe, name)
            probe.verify()  # checksums of every PNG chunk; structure of the JPEG
        image = Image.open(io.BytesIO(data), formats=[FORMATS[kind]])
        _check_size(image, name)
        image.load()
        if getattr(image, "is_animated", False):
            for frame in range(1, image.n_frames):
                image.seek(frame)
                image.load()
            image.seek(0)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as failure:
        raise refuse(name, bad) from failure
    return image


def _check_size(image: Image.Image, name: str) -> None:
    width, height = image.size
    if width <= 0 or height <= 0 or width * height > MAX_PIXELS:
        raise refuse(name, _("ukuran gambar tidak wajar (berkas rusak atau berbahaya)."))


def _note_metadata(image: Image.Image, report: CleanReport) -> None:
    exif = image.getexif()
    if exif.get_ifd(ExifTags.IFD.GPSInfo):
        report.add(common.GPS)
    if any(exif.get(tag) for tag in _DEVICE_TAGS) or any(
        exif.get_ifd(ExifTags.IFD.Exif).get(tag) for tag in _DEVICE_TAGS
    ):
        report.add(common.DEVICE)
    if any(exif.get(tag) for tag in _AUTHOR_TAGS):
        report.add(common.AUTHOR)
    if any(exif.get(tag) for tag in _SOFTWARE_TAGS):
        report.add(common.SOFTWARE)
    exif_ifd = exif.get_ifd(ExifTags.IFD.Exif)
    if any(exif.get(tag) or exif_ifd.get(tag) for tag in _DATE_TAGS):
        report.add(common.DATES)
    if exif_ifd.get(ExifTags.Base.MakerNote):
        report.add(common.MAKER_NOTES)
    if len(exif) > (1 if ExifTags.Base.Orientation in exif else 0) and not report.removed:
        report.add(common.EXIF)
    info_keys = {str(key).lower() for key in image.info}
    if "xmp" in info_keys or "xml:com.adobe.xmp" in info_keys:
        report.add(common.XMP)
    if getattr(image, "applist", None) and any(marker == "APP13" for marker, _ in image.applist):
        report.add(common.IPTC)
    text = getattr(image, "text", None) or {}
    if info_keys & _TEXT_AUTHOR_KEYS or {key.lower() for key in text} & _TEXT_AUTHOR_KEYS:
        report.add(common.AUTHOR)
    if info_keys & _TEXT_SOFTWARE_KEYS:
        report.add(common.SOFTWARE)
    other_text = {key.lower() for key in text} - _TEXT_AUTHOR_KEYS - _TEXT_SOFTWARE_KEYS - {"xml:com.adobe.xmp"}
    if other_text or "comment" in info_keys:
        report.add(common.TEXT_NOTES)


def memory_file() -> BinaryIO:
    """Where a cleaned image is encoded: an anonymous file that lives only in memory (no name, never on disk)
    where the system has `memfd_create`, else a BytesIO. Pillow encodes into a file descriptor without holding
    the GIL; into a BytesIO it holds it for the whole encode (~10 ms a photo), so the encode and every other
    thread's Python work, the event loop's included, took turns on one core."""
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("wbs-clean", os.MFD_CLOEXEC), "w+b")  # noqa: SIM115 - closed by _reencode
    return io.BytesIO()


def _reencode(image: Image.Image, kind: str) -> bytes:
    kept = {key: image.info[key] for key in _KEPT_INFO if key in image.info}
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    with memory_file() as buffer:
        if kind == "jpeg":
            if orientation in (2, 3, 4, 5, 6, 7, 8):
                upright = ImageOps.exif_transpose(image)
                upright.info = kept
                upright.save(buffer, "JPEG", quality=95, **kept)
            elif image.format == "JPEG":
                image.info = kept  # nothing else (a comment) may ride along
                image.save(buffer, "JPEG", quality="keep", subsampling="keep", **kept)
            else:  # MPO (a phone photo with a second picture): only the main picture is kept
                image.info = kept
                image.save(buffer, "JPEG", quality=95, **kept)
        else:
            upright = ImageOps.exif_transpose(image) if orientation != 1 else image
            upright.info = kept
            animated = getattr(image, "is_animated", False) and upright is image
            upright.save(buffer, "PNG", save_all=animated, **kept)
        buffer.seek(0)
        return buffer.read()

"""MP3 and MP4: parsed by mutagen and walked to the last byte; tags removed.

An MP3 must be a chain of MPEG audio frames from the first to the last byte (tags aside): a file that
only starts like one (an ID3 header before a program or a web page) is refused. An MP4 must be a chain
of boxes covering the whole file, with a movie header mutagen can read. Tags are removed: ID3 and APE
tags of an MP3 (title, artist, encoder, pictures); the user-data and metadata boxes of an MP4 (GPS
position, phone make and model, author, tool), overwritten in place as `free` boxes so that the media
offsets stay valid.
"""

from __future__ import annotations

import io
import struct

import mutagen
from mutagen import apev2, id3, mp3, mp4

from wbs_app.i18n import _
from wbs_app.services.sanitize import common
from wbs_app.services.sanitize.common import CleanReport, refuse

# Bytes between frames that a real recording may have (padding, a broken frame) before it is refused.
MAX_JUNK_FRACTION = 0.02

_BITRATES = {  # (MPEG-1?, layer) -> kbit/s by index
    (True, 1): [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    (True, 2): [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    (True, 3): [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    (False, 1): [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    (False, 2): [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    (False, 3): [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
_SAMPLE_RATES = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}

_ID3_AUTHOR = {"TPE1", "TPE2", "TPE3", "TPE4", "TCOM", "TEXT", "TOLY", "TOPE", "TOWN", "TCOP", "IPLS", "TIPL", "TMCL"}
_ID3_SOFTWARE = {"TSSE", "TENC"}
_ID3_DATES = {"TDRC", "TDEN", "TDOR", "TDRL", "TDTG", "TYER", "TDAT", "TIME"}

_MP4_MARKERS = (
    ((b"\xa9xyz", b"location.ISO6709", b"loci"), common.GPS),
    (
        (b"\xa9mak", b"\xa9mod", b"quicktime.make", b"quicktime.model", b"android.manufacturer", b"android.model"),
        common.DEVICE,
    ),
    ((b"\xa9ART", b"\xa9aut", b"\xa9wrt", b"auth", b"quicktime.author", b"quicktime.artist"), common.AUTHOR),
    ((b"\xa9too", b"\xa9swr", b"quicktime.software", b"\xa9enc"), common.SOFTWARE),
    ((b"\xa9day", b"quicktime.creationdate"), common.DATES),
)


# MP3 ---------------------------------------------------------------------------------------------------


def clean_mp3(data: bytes, kind: str, name: str) -> tuple[bytes, CleanReport]:
    not_valid = _("bukan audio MP3 yang sah (berkas rusak atau bukan rekaman).")
    buffer = io.BytesIO(data)  # mutagen removes the tags here, in memory
    try:
        audio = mp3.MP3(buffer)
    except (mutagen.MutagenError, struct.error, ValueError, EOFError) as failure:
        raise refuse(name, not_valid) from failure
    if audio.info.length <= 0:
        raise refuse(name, not_valid)
    report = CleanReport()
    for frame_id in dict.fromkeys(key[:4] for key in (audio.tags or {}).keys()):  # in the file's order
        if frame_id in _ID3_AUTHOR:
            report.add(common.AUTHOR)
        elif frame_id in _ID3_SOFTWARE:
            report.add(common.SOFTWARE)
        elif frame_id in _ID3_DATES:
            report.add(common.DATES)
        else:
            report.add(common.MEDIA_TAGS)
    try:
        id3.delete(buffer, delete_v1=True, delete_v2=True)
        if _has_ape(buffer):
            apev2.delete(buffer)
            report.add(common.MEDIA_TAGS)
    except (mutagen.MutagenError, OSError) as failure:
        raise refuse(name, not_valid) from failure
    cleaned = buffer.getvalue()
    _walk_frames(cleaned, name, not_valid)
    return cleaned, report


def _has_ape(buffer: io.BytesIO) -> bool:
    try:
        apev2.APEv2(buffer)
    except apev2.APENoHeaderError:
        return False
    except mutagen.MutagenError:
        return True  # a damaged APE tag: remove what can be removed
    return True


def _frame_length(header: bytes) -> int:
    """The length of the MPEG audio frame starting with these 4 bytes, or 0 if they are not a frame header."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return 0
    version = (header[1] >> 3) & 0x3
    layer_bits = (header[1] >> 1) & 0x3
    bitrate_index = header[2] >> 4
    rate_index = (header[2] >> 2) & 0x3
    padding = (header[2] >> 1) & 0x1
    if version == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return 0
    layer = 4 - layer_bits
    mpeg1 = version == 3
    bitrate = _BITRATES[(mpeg1, layer)][bitrate_index] * 1000
    sample_rate = _SAMPLE_RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // sample_rate + padding) * 4
    if layer == 3 and not mpeg1:
        return 72 * bitrate // sample_rate + padding
    return 144 * bitrate // sample_rate + padding


def _walk_frames(data: bytes, name: str, not_valid: str) -> None:
    """Follow frame to frame through the whole file; what is not audio must be a small part of it."""
    position, junk, frames = 0, 0, 0
    allowed_junk = MAX_JUNK_FRACTION * len(data) + 4096
    while position < len(data) - 3 and junk <= allowed_junk:
        length = _frame_length(data[position : position + 4])
        if length and position + length <= len(data):
            following = data[position + length : position + length + 4]
            if len(following) < 4 or _frame_length(following):
                frames += 1
                position += length
                continue
        junk += 1
        position += 1
    junk += len(data) - position
    if frames < 2 or junk > allowed_junk:
        raise refuse(name, not_valid)
    if common.looks_executable(data[:4]) or b"This program cannot be run in DOS mode" in data:
        raise refuse(name, not_valid)


# MP4 ---------------------------------------------------------------------------------------------------


def clean_mp4(data: bytes, kind: str, name: str) -> tuple[bytes, CleanReport]:
    not_valid = _("bukan video MP4 yang sah (berkas rusak atau bukan rekaman).")
    buffer = io.BytesIO(data)  # the metadata boxes are blanked here, in memory
    _walk_boxes(buffer, len(data), name, not_valid)
    try:
        video = mp4.MP4(buffer)
    except (mutagen.MutagenError, struct.error, ValueError, EOFError) as failure:
        raise refuse(name, not_valid) from failure
    if video.info.length <= 0:
        raise refuse(name, not_valid)
    report = CleanReport()
    for offset, length, header in _metadata_boxes(buffer, len(data)):
        buffer.seek(offset)
        _note_mp4_metadata(buffer.read(length), report)
        # Same size, so every offset into the media data stays right.
        buffer.seek(offset + 4)
        buffer.write(b"free")
        buffer.seek(offset + header)
        buffer.write(b"\x00" * (length - header))
    return buffer.getvalue(), report


def _boxes(handle, start: int, end: int):
    """(offset, length, header length, type) of the boxes between two offsets (already checked to fit)."""
    position = start
    while position + 8 <= end:
        handle.seek(position)
        length, box_type = struct.unpack(">I4s", handle.read(8))
        header = 8
        if length == 1:
            length, header = struct.unpack(">Q", handle.read(8))[0], 16
        elif length == 0:
            length = end - position
        if length < header or position + length > end:
            return
        yield position, length, header, box_type
        position += length


def _walk_boxes(handle: io.BytesIO, size: int, name: str, not_valid: str) -> None:
    """The top-level boxes must follow each other exactly to the end: an ftyp, a moov, media data."""
    seen: list[bytes] = []
    covered = 0
    for offset, length, _header, box_type in _boxes(handle, 0, size):
        if offset != covered or not all(32 <= b < 127 for b in box_type):
            break
        seen.append(box_type)
        covered = offset + length
    if covered != size or not seen or seen[0] != b"ftyp" or b"moov" not in seen:
        raise refuse(name, not_valid)


def _metadata_boxes(handle, size: int) -> list[tuple[int, int, int]]:
    """moov/udta, moov/meta and the same boxes of every track: (offset, length, header length)."""
    found: list[tuple[int, int, int]] = []
    for offset, length, header, box_type in list(_boxes(handle, 0, size)):
        if box_type != b"moov":
            continue
        for child, child_length, child_header, child_type in list(_boxes(handle, offset + header, offset + length)):
            if child_type in (b"udta", b"meta"):
                found.append((child, child_length, child_header))
            elif child_type == b"trak":
                found.extend(
                    (grand, grand_length, grand_header)
                    for grand, grand_length, grand_header, grand_type in list(
                        _boxes(handle, child + child_header, child + child_length)
                    )
                    if grand_type in (b"udta", b"meta")
                )
    return found


def _note_mp4_metadata(content: bytes, report: CleanReport) -> None:
    noted = False
    for markers, phrase in _MP4_MARKERS:
        if any(marker in content for marker in markers):
            report.add(phrase)
            noted = True
    if not noted and len(content.strip(b"\x00")) > 16:
        report.add(common.MEDIA_TAGS)

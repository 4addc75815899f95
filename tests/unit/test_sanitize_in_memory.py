"""The content checks, the cleaning and the PDF preview never write a file: evidence stays in memory.

Encryption at rest needs that no plaintext copy of an evidence file reaches the disk, the temporary area
included. Here they run in a child process that cannot write a file: an audit hook refuses every open for
writing, creating a folder, renaming or truncating (Python's open, os.open, tempfile, shutil...), and the
file-size limit is 0 bytes, so a write from C code (qpdf, libjpeg, zlib, pdfium) fails too. Its working
folder and TMPDIR are fresh folders that must stay empty. A cleaner that wrote anything would fail there,
and its file would be refused ("isi berkas tidak dapat diperiksa") instead of cleaned as in this process.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.unit import sample_evidence as sample
from tests.unit.sample_evidence import HOSTILE
from wbs_app.services import evidence, previews, sanitize
from wbs_app.services.sanitize import images

pytestmark = pytest.mark.usefixtures("data_dir")

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import hashlib, io, json, os, pickle, resource, signal, sys, tempfile

from wbs_app.services import evidence, previews, sanitize
from wbs_app.services.sanitize import images

# Images are encoded into a memfd: memory, never disk, but the 0-byte file-size limit below covers it too
# (test_images_are_encoded_into_memory_that_no_folder_holds checks the memfd itself).
images.memory_file = io.BytesIO
cases, pdf, docx = pickle.loads(open(sys.argv[1], "rb").read())
kinds = [evidence.check_head(name, data[:16]) for name, data in cases]
probe = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT)  # opened before the guard: only the size limit stops it
tempfile.gettempdir()  # found before the guard (finding it writes a test file)

WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
CHANGING = {"os.mkdir", "os.rename", "os.replace", "os.link", "os.symlink", "os.truncate", "os.chmod", "shutil.copyfile"}


def refuse_writes(event, args):
    if event == "open" and args[2] & WRITING or event in CHANGING:
        raise PermissionError(f"{event} refused: {args[0]}")


sys.addaudithook(refuse_writes)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))

guard = {}
try:
    with tempfile.TemporaryFile() as handle:
        handle.write(b"x")
    guard["python"] = "written"
except PermissionError:
    guard["python"] = "refused"
try:
    os.write(probe, b"x")
    guard["c"] = "written"
except OSError as failure:
    guard["c"] = failure.strerror

results = []
for (name, data), kind in zip(cases, kinds):
    try:
        kept, report = sanitize.inspect_and_clean(data, kind, name)
        results.append([hashlib.sha256(kept).hexdigest(), report.removed, report.warning])
    except evidence.EvidenceRejected as refused:
        results.append(["refused", str(refused)])
evidence.check_office_container(docx, "docx", "notulen.docx")
png, pages = previews.pdf_pages_png(pdf)
print(json.dumps({"guard": guard, "results": results, "preview": [hashlib.sha256(png).hexdigest(), pages]}))
"""


def in_process(name: str, data: bytes) -> list:
    try:
        kept, report = sanitize.inspect_and_clean(data, evidence.check_head(name, data[:16]), name)
    except evidence.EvidenceRejected as refused:
        return ["refused", str(refused)]
    return [hashlib.sha256(kept).hexdigest(), report.removed, report.warning]


def test_cleaning_and_previews_write_no_file_not_even_a_temporary_one(tmp_path):
    cases = [
        ("foto.jpg", sample.jpeg_with_gps()),
        ("layar.png", sample.png_with_text()),
        ("kontrak.pdf", sample.pdf_document()),
        ("notulen.docx", sample.docx_document()),
        ("rekaman.mp3", sample.mp3_with_tags()),
        ("video.mp4", sample.mp4_with_location()),
        ("arsip.zip", sample.zip_archive({"kontrak.pdf": b"%PDF-1.4 ...", "dalam.zip": sample.zip_archive({})})),
        ("arsip.rar", sample.rar_archive(["kontrak.pdf", "foto/kuitansi.jpg"])),
    ] + [(name, data) for name, data, _ in HOSTILE]
    pdf, docx = cases[2][1], cases[3][1]
    inputs, work, temporary = tmp_path / "inputs", tmp_path / "work", tmp_path / "tmp"
    for folder in (inputs, work, temporary):
        folder.mkdir()
    (inputs / "cases.pickle").write_bytes(pickle.dumps((cases, pdf, docx)))
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "TMPDIR": str(temporary),
        "HOME": str(work),
    }
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(inputs / "cases.pickle"), str(inputs / "probe")],
        cwd=work,
        env=environment,
        capture_output=True,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr.decode(errors="replace")
    found = json.loads(child.stdout)
    # The guard bites: a Python write is refused, a C-level write fails on the size limit.
    assert found["guard"] == {"python": "refused", "c": "File too large"}
    # Every file was cleaned (or refused) exactly as without the guard, so no cleaner needed a file.
    expected = [in_process(name, data) for name, data in cases]
    assert found["results"] == json.loads(json.dumps(expected))
    assert [result[0] != "refused" for result in expected] == [True] * 8 + [False] * len(HOSTILE)
    png, pages = previews.pdf_pages_png(pdf)
    assert found["preview"] == [hashlib.sha256(png).hexdigest(), pages]
    assert list(work.iterdir()) == [] and list(temporary.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="memfd_create is Linux's; elsewhere images encode into a BytesIO")
def test_images_are_encoded_into_memory_that_no_folder_holds():
    with images.memory_file() as buffer:
        buffer.write(b"piksel")
        descriptor = buffer.fileno()
        assert os.fstat(descriptor).st_nlink == 0  # no name in any folder, on any disk
        assert os.readlink(f"/proc/self/fd/{descriptor}").startswith("/memfd:")
    # and the cleaned photo read back from it is whole
    kept, _ = sanitize.inspect_and_clean(sample.jpeg_with_gps(), "jpeg", "foto.jpg")
    assert Image.open(io.BytesIO(kept)).load() is not None

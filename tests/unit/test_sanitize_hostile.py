"""Content checks read the whole file: each hostile file is refused, by name, and nothing of it is kept."""

from __future__ import annotations

import re

import pytest

from tests.unit import sample_evidence as sample
from tests.unit.sample_evidence import HOSTILE, receive
from wbs_app.services import evidence, sanitize

pytestmark = pytest.mark.usefixtures("data_dir")  # every file goes to this test's own data folder


def check(name: str, data: bytes) -> tuple[bytes, sanitize.CleanReport]:
    """The content check of the upload path: the kind from the first bytes, then the whole content."""
    return sanitize.inspect_and_clean(data, evidence.check_head(name, data[:16]), name)


@pytest.mark.parametrize(("name", "data", "reason"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_files_are_refused_by_name_and_leave_nothing(tmp_path, name, data, reason):
    with pytest.raises(evidence.EvidenceRejected) as refused:
        check(name, data)
    message = str(refused.value)
    assert message.startswith(f"{name}: ") and reason in message
    # Received in a draft folder, the refused file is deleted there.
    folder = tmp_path / "draft"
    with pytest.raises(evidence.EvidenceRejected, match=f"^{re.escape(name)}: "):
        receive(folder, name, data)
    assert list(folder.iterdir()) == []


def test_a_pdf_with_an_embedded_file_is_refused():
    import io

    import pikepdf

    document = pikepdf.new()
    document.add_blank_page()
    document.attachments["setup.exe"] = pikepdf.AttachedFileSpec(document, sample.EXE)
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(evidence.EvidenceRejected, match="lampiran.pdf: PDF memuat berkas tersemat"):
        check("lampiran.pdf", buffer.getvalue())


def test_a_file_whose_check_breaks_unexpectedly_is_refused_not_kept(tmp_path, monkeypatch):
    """A parser bug (any exception, not only a refusal) must not let an unchecked file through."""

    def broken(data, kind, name):
        raise RuntimeError("parser bug")

    monkeypatch.setitem(sanitize._CLEANERS, "png", broken)
    with pytest.raises(evidence.EvidenceRejected, match=r"^foto.png: isi berkas tidak dapat diperiksa"):
        check("foto.png", sample.png_with_text())
    folder = tmp_path / "draft"
    with pytest.raises(evidence.EvidenceRejected, match=r"^foto.png: isi berkas tidak dapat diperiksa"):
        receive(folder, "foto.png", sample.png_with_text())
    assert list(folder.iterdir()) == []

"""Limits count per client: one visitor's drafts cannot fill the draft area for everybody, and a flood of
refused staff calls from one client is one audit row a minute, not thousands."""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import os
import threading
import time

from sqlmodel import Session, select

from tests.unit import sample_evidence
from tests.unit.builders import Chunk, active_user, chunk_stream
from wbs_app import messages
from wbs_app.models import AuditLog, as_utc, utcnow
from wbs_app.services import audit, audit_chain, evidence, filecrypt, sealed
from wbs_app.settings import get_settings
from wbs_app.state.staff import RefusalAudit
from wbs_app.state.uploads import receive_files

MB = evidence.MB


def upload(client: str, folder, files: dict[str, bytes], chunk_size: int = 200_000):
    """One upload batch of `client` into `folder`, in chunks as the browser streams them."""
    space = evidence.ClientDraftSpace(client, folder)
    stream = [
        Chunk(name, offset, data[offset : offset + chunk_size])
        for name, data in files.items()
        for offset in range(0, len(data), chunk_size)
    ]
    coroutine = receive_files(
        chunk_stream(stream), folder=folder, already_bytes=0, already_files=0, space=space, drafts_key=bytes(32)
    )
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # its own event loop
        return pool.submit(asyncio.run, coroutine).result()


def archive() -> bytes:
    """About 400 KB that no compression makes smaller."""
    return sample_evidence.zip_archive({"catatan.txt": os.urandom(400_000)})


def test_the_draft_area_is_far_larger_than_what_one_client_may_hold(data_dir, monkeypatch):
    settings = get_settings()
    assert settings.max_draft_mb_per_client == 2 * settings.max_report_mb
    assert settings.max_draft_area_mb >= 20 * settings.max_draft_mb_per_client
    monkeypatch.setenv("WBS_MAX_DRAFT_MB_PER_CLIENT", "7")
    get_settings.cache_clear()
    assert get_settings().max_draft_mb_per_client == 7


def test_one_client_cannot_exhaust_the_draft_area_for_another(data_dir, monkeypatch):
    monkeypatch.setenv("WBS_MAX_DRAFT_MB_PER_CLIENT", "1")
    get_settings.cache_clear()
    greedy, other = "198.51.100.7", "2001:db8:5:6::/64"
    greedy_draft = evidence.new_draft_folder()

    # Five files of 400 KB: two fit in 1 MB; the third is refused halfway through its bytes, the rest too.
    accepted, refused = upload(greedy, greedy_draft, {f"bagian{n}.zip": archive() for n in range(5)})
    assert [item.name for item in accepted] == ["bagian0.zip", "bagian1.zip"]
    assert refused == [f"bagian{n}.zip: " + messages.DRAFT_QUOTA_FULL.format(max=1) for n in (2, 3, 4)]
    assert sorted(path.name for path in greedy_draft.iterdir()) == sorted(item.file_id for item in accepted)
    # Counted as they take the disk: encrypted, a little more than their content.
    assert evidence.client_draft_bytes(greedy) == sum(filecrypt.encrypted_size(item.size) for item in accepted) <= MB

    # Another tab of the same client (another draft) shares the same space.
    second_tab = evidence.new_draft_folder()
    accepted, refused = upload(greedy, second_tab, {"lagi.zip": archive()})
    assert accepted == [] and refused == ["lagi.zip: " + messages.DRAFT_QUOTA_FULL.format(max=1)]
    (second_tab / "penuh").write_bytes(b"x" * MB)  # whatever its drafts hold counts
    assert evidence.ClientDraftSpace(greedy, second_tab).full  # the next batch is refused before it starts

    # Another visitor uploads as if nothing had happened.
    accepted, refused = upload(other, evidence.new_draft_folder(), {"bukti.zip": archive()})
    assert [item.name for item in accepted] == ["bukti.zip"] and refused == []
    assert not evidence.ClientDraftSpace(other, evidence.new_draft_folder()).full

    # Drafts sent, discarded or swept stop counting at once.
    evidence.discard_draft_folder(greedy_draft)
    evidence.discard_draft_folder(second_tab)
    assert evidence.client_draft_bytes(greedy) == 0
    accepted, refused = upload(greedy, evidence.new_draft_folder(), {"baru.zip": archive()})
    assert [item.name for item in accepted] == ["baru.zip"] and refused == []


def refusal_rows(db) -> list[tuple[str, str, int | None]]:
    rows = db.exec(select(AuditLog).where(AuditLog.action == "akses_ditolak").order_by(AuditLog.id)).all()
    return [(opened_detail(db, row), row.client_ip, row.actor_id) for row in rows]


def opened_detail(db, row: AuditLog) -> str:
    return sealed.open_row(session=db, row=row).detail


def test_two_thousand_refused_staff_calls_in_a_minute_make_one_audit_row_with_the_count(db):
    # As StaffState counts them: the event loop only counts; one thread writes the row when the minute ends.
    opened_on = []

    def open_db():
        opened_on.append(threading.current_thread().name)
        return Session(db.get_bind())

    queue = RefusalAudit(open_db)
    for _ in range(2000):
        queue.add(handler="CaseState.load", actor_id=None, client_ip="10.0.0.9")
    assert refusal_rows(db) == [] and opened_on == []  # the minute is still counting
    queue.flush()  # as at shutdown
    assert refusal_rows(db) == [("CaseState.load (×2000)", "10.0.0.9", None)]
    assert opened_on == ["wbs-refusal-audit"]  # one write, off the caller's thread
    assert audit.refused_calls("CaseState.load (×2000)") == ("CaseState.load", 2000)
    assert audit.refused_calls("CaseState.load") == ("CaseState.load", 1)


def test_each_window_is_written_when_it_ends_and_no_chained_row_is_ever_changed(db):
    queue = RefusalAudit(lambda: Session(db.get_bind()), window=dt.timedelta(seconds=0.3))

    def written(count: int) -> list[tuple[int, str, str]]:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            db.expire_all()
            found = db.exec(select(AuditLog).order_by(AuditLog.seq)).all()
            if len(found) >= count:
                return [(row.seq, opened_detail(db, row), row.row_hash) for row in found]
            time.sleep(0.05)
        raise AssertionError(f"{count} rows were not written")

    for _ in range(3):
        queue.add(handler="CaseState.load", actor_id=None, client_ip="10.0.0.9")
    first = written(1)  # without a flush: the window's end is enough
    assert [detail for _, detail, _ in first] == ["CaseState.load (×3)"]
    for _ in range(5):
        queue.add(handler="CaseState.load", actor_id=None, client_ip="10.0.0.9")
    both = written(2)
    assert both[0] == first[0]  # the earlier row is as it was written
    assert both[1][1] == "CaseState.load (×5)"
    assert audit_chain.verify(session=db).intact


def test_refusals_share_a_row_only_for_one_client_account_and_handler_within_a_minute(db):
    start, minute = utcnow(), dt.timedelta(minutes=1)
    tally = audit.RefusalTally()

    def refuse(handler="CaseState.load", client_ip="10.0.0.9", actor_id=None, seconds=0.0, calls=1):
        tally.add(
            handler=handler,
            actor_id=actor_id,
            client_ip=client_ip,
            now=start + dt.timedelta(seconds=seconds),
            window=minute,
            calls=calls,
        )

    for second in range(9):
        refuse(seconds=second)
    refuse(calls=20, seconds=10)
    staff_member = active_user(db).id
    refuse(handler="CaseState.load_more", seconds=11)  # another handler
    refuse(client_ip="10.0.0.10", seconds=11)  # another client
    refuse(actor_id=staff_member, seconds=11)  # another account
    assert tally.take(start + dt.timedelta(seconds=59)) == []  # no minute has ended yet
    refuse(seconds=61)  # a minute after the first row's window opened
    audit.record_refusals(session=db, counted=tally.take(start + dt.timedelta(seconds=200)))
    assert refusal_rows(db) == [
        ("CaseState.load (×29)", "10.0.0.9", None),
        ("CaseState.load_more", "10.0.0.9", None),
        ("CaseState.load", "10.0.0.10", None),
        ("CaseState.load", "10.0.0.9", staff_member),
        ("CaseState.load", "10.0.0.9", None),
    ]
    [first] = [row for row in db.exec(select(AuditLog)) if opened_detail(db, row) == "CaseState.load (×29)"]
    assert as_utc(first.created_at) == start  # dated at its first call

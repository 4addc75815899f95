"""The audit log as a hash chain: a row edited, removed or slipped in afterwards is found.

Each row has `seq` (1, 2, 3, … without gaps), `prev_hash` (the row_hash of row seq-1; 64 zeros for the
first row) and `row_hash`: the SHA-256 (hex) of the row's canonical content, the UTF-8 bytes of the JSON
object of its stored values

    {"action", "actor_id", "client_ip", "created_at", "detail", "prev_hash", "report_id", "seq"}

with sorted keys, no spaces, non-ASCII as \\u escapes, and created_at in UTC as ISO 8601 with microseconds
("2026-01-02T03:04:05.000006+00:00"). These rules are enough to check a database dump anywhere else.

The one-row audit_head table holds the last seq and row_hash. `append` updates it before anything else of the
row, in the caller's transaction: on PostgreSQL that UPDATE locks the head row until commit, on SQLite the write
takes the database's write lock. Two transactions, in one process or several, never chain onto the same row.

The limit: whoever can write the database can recompute every hash after the rows they change, and the head
too. What proves the past was not rewritten is a head published elsewhere: audit.publish_daily_head logs it
every day, and `verify-audit --head SEQ:HASH` checks that the chain still passes through it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import string

import sqlalchemy as sa
from sqlmodel import Session, func, select

from wbs_app.i18n import N_, _
from wbs_app.models import AuditHead, AuditLog, as_utc
from wbs_app.services import sealed

GENESIS = "0" * 64
HEAD_ID = 1
BATCH = 2000
_HEAD = AuditHead.__table__

# What is wrong, as verify-audit prints it.
EDITED = N_("isi baris diubah: hash baris tidak cocok dengan isinya")
MISSING = N_("baris seq={rows} hilang (dihapus)")
LAST_MISSING = N_(
    "baris terakhir hilang (dihapus): kepala rantai menunjuk seq={head}, baris terakhir yang ada seq={found}"
)
INSERTED = N_("baris disisipkan: baris sesudahnya menyambung ke baris sebelum baris ini")
LINK = N_("prev_hash tidak cocok: baris sebelumnya diubah beserta hash-nya, atau ada baris disisipkan/dihapus di sini")
HEAD_MISMATCH = N_("kepala rantai tidak cocok dengan baris terakhir (baris terakhir diganti, atau kepala diubah)")
UNCHAINED = N_("baris tanpa nomor urut: disisipkan di luar rantai")
BEYOND_HEAD = N_("baris sesudah kepala rantai: disisipkan")
NO_HEAD = N_("kepala rantai (tabel audit_head) tidak ada")
NOT_PUBLISHED = N_("hash berbeda dari kepala yang diterbitkan: rantai ditulis ulang sejak itu")
PUBLISHED_MISSING = N_("kepala yang diterbitkan seq={seq} tidak ada di rantai")
PROBLEMS = (EDITED, MISSING, LAST_MISSING, INSERTED, LINK, HEAD_MISMATCH, UNCHAINED, BEYOND_HEAD, NO_HEAD)
PROBLEMS += (NOT_PUBLISHED, PUBLISHED_MISSING)
# A verification's summary, as stored in the chain (in Bahasa Indonesia, hashed) and shown in the viewer's language.
INTACT = N_("utuh: {rows} baris, kepala seq={seq} hash={hash}")
BROKEN = N_("PUTUS pada baris {where}: {problem}")


def _utc_iso(value: dt.datetime) -> str:
    return as_utc(value).astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(row) -> bytes:
    """The bytes a row's hash covers: every stored column that carries meaning (all but the id and the hash).
    `row` is an AuditLog or a result row with the same attribute names."""
    content = {
        "seq": row.seq,
        "created_at": _utc_iso(row.created_at),
        "actor_id": row.actor_id,
        "action": row.action,
        "report_id": row.report_id,
        "detail": row.detail,
        "client_ip": row.client_ip,
        "prev_hash": row.prev_hash,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def row_hash(row) -> str:
    return hashlib.sha256(canonical(row)).hexdigest()


def append(
    *,
    session: Session,
    created_at: dt.datetime,
    action: str,
    actor_id: int | None,
    report_id: int | None,
    detail: str,
    client_ip: str,
) -> AuditLog:
    """Chain a row onto the log in the caller's transaction, committed with what it describes.

    The head is taken first and stays locked until the transaction ends: call this last before the commit.
    Here the row's final stored values are built and then hashed as stored; anything that changes how a value
    is stored (sealing `detail` with a key) belongs in this function, before the hash.
    """
    taken = session.exec(
        sa.update(_HEAD)
        .where(_HEAD.c.id == HEAD_ID)
        .values(seq=_HEAD.c.seq + 1)
        .returning(_HEAD.c.seq, _HEAD.c.row_hash)
    ).one_or_none()
    if taken is None:
        raise RuntimeError("audit_head has no row: run the database migrations")
    entry = AuditLog(
        seq=taken.seq,
        prev_hash=taken.row_hash,
        created_at=created_at.astimezone(dt.UTC),  # SQLite keeps the wall time only: store UTC
        actor_id=actor_id,
        action=action,
        report_id=report_id,
        detail=detail[:4000],
        client_ip=client_ip[:64],
    )
    # Stored sealed (services/sealed: the report's key, or the system key "audit"): the hash covers the ciphertext,
    # so the chain is checked without any key.
    sealed.seal_row(session=session, row=entry)
    entry.row_hash = row_hash(entry)
    session.exec(sa.update(_HEAD).where(_HEAD.c.id == HEAD_ID).values(row_hash=entry.row_hash))
    session.add(entry)
    return entry


def head(*, session: Session) -> tuple[int, str] | None:
    """The chain's head (seq, row_hash) as committed; None when the head row is gone."""
    found = session.exec(select(AuditHead.seq, AuditHead.row_hash).where(AuditHead.id == HEAD_ID)).first()
    return None if found is None else (found.seq, found.row_hash)


@dataclasses.dataclass(frozen=True)
class ChainReport:
    rows: int  # rows found in order and intact (before the break, if there is one)
    head_seq: int
    head_hash: str
    problem: str = ""
    broken_seq: int | None = None
    broken_id: int | None = None

    @property
    def intact(self) -> bool:
        return not self.problem

    def summary(self) -> str:
        """In Bahasa Indonesia whatever the language of the moment: it is stored in the chain (shown_summary)."""
        if self.intact:
            return INTACT.format(rows=self.rows, seq=self.head_seq, hash=self.head_hash)
        where = [f"seq={self.broken_seq}"] if self.broken_seq is not None else []
        where += [f"id={self.broken_id}"] if self.broken_id is not None else []
        return BROKEN.format(where=" ".join(where) or "-", problem=self.problem)


def _pattern(template: str) -> re.Pattern:
    """A regular expression matching `template` filled in, each `{name}` a group."""
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.*?)")
    return re.compile("".join(parts) + "$", re.DOTALL)


def _shown(text: str, templates: tuple[str, ...]) -> str | None:
    for template in templates:
        found = _pattern(template).match(text)
        if found:
            values = found.groupdict()
            if "problem" in values:
                values["problem"] = _shown(values["problem"], PROBLEMS) or values["problem"]
            return _(template).format(**values)
    return None


def shown_summary(summary: str) -> str:
    """A stored summary (ChainReport.summary) in the current language; any other text as it is."""
    return _shown(summary, (INTACT, BROKEN)) or summary


_COLUMNS = (
    AuditLog.id,
    AuditLog.seq,
    AuditLog.created_at,
    AuditLog.actor_id,
    AuditLog.action,
    AuditLog.report_id,
    AuditLog.detail,
    AuditLog.client_ip,
    AuditLog.prev_hash,
    AuditLog.row_hash,
)


def _chained_rows(*, session: Session, up_to: int):
    """The rows numbered up to `up_to`, in seq order, read BATCH at a time (memory stays bounded)."""
    after = None
    while True:
        query = select(*_COLUMNS).where(AuditLog.seq <= up_to)
        if after is not None:
            query = query.where(AuditLog.seq > after)
        rows = session.exec(query.order_by(AuditLog.seq).limit(BATCH)).all()
        yield from rows
        if len(rows) < BATCH:
            return
        after = rows[-1].seq


def verify(*, session: Session, published: dict[int, str] | None = None) -> ChainReport:
    """Walk the chain in seq order and report its first break.

    `published` maps seq to a row_hash published earlier (the daily head line): the chain must still pass
    through each. Rows written while the walk runs are not part of it (it ends at the head read first). The
    rows are read BATCH at a time, so memory stays bounded at millions of rows.
    """
    start = head(session=session)
    if start is None:
        return ChainReport(0, 0, "", problem=NO_HEAD)
    head_seq, head_hash = start
    published = dict(published or {})
    count, expected_prev, before_prev, last = 0, GENESIS, None, None

    def broken(problem: str, seq: int | None = None, row_id: int | None = None) -> ChainReport:
        return ChainReport(count, head_seq, head_hash, problem, broken_seq=seq, broken_id=row_id)

    for row in _chained_rows(session=session, up_to=head_seq):
        if row.seq <= count:  # only a row numbered below 1 comes before the first
            return broken(INSERTED, row.seq, row.id)
        if row.seq > count + 1:
            gap = str(count + 1) if row.seq == count + 2 else f"{count + 1}..{row.seq - 1}"
            return broken(MISSING.format(rows=gap), row.seq, row.id)
        if last is not None and row.prev_hash != expected_prev and row.prev_hash == before_prev:
            count -= 1  # the row before this one does not belong
            return broken(INSERTED, last.seq, last.id)
        if row.row_hash != row_hash(row):
            return broken(EDITED, row.seq, row.id)
        if row.prev_hash != expected_prev:
            return broken(LINK, row.seq, row.id)
        if row.seq in published and published.pop(row.seq) != row.row_hash:
            return broken(NOT_PUBLISHED, row.seq, row.id)
        count, before_prev, expected_prev, last = count + 1, expected_prev, row.row_hash, row
    if count < head_seq:
        return broken(LAST_MISSING.format(head=head_seq, found=count), count + 1)
    if expected_prev != head_hash:
        return broken(HEAD_MISMATCH, last.seq if last else None, last.id if last else None)
    unchained = session.exec(select(AuditLog.id).where(AuditLog.seq.is_(None)).order_by(AuditLog.id).limit(1)).first()
    if unchained is not None:
        return broken(UNCHAINED, None, unchained)
    # A row written since the walk began is committed with its head: read the highest row first, then the head.
    highest = session.exec(select(func.max(AuditLog.seq))).one()
    now = head(session=session)
    if highest is not None and now is not None and highest > now[0]:
        beyond = session.exec(
            select(AuditLog.seq, AuditLog.id).where(AuditLog.seq > now[0]).order_by(AuditLog.seq).limit(1)
        ).one()
        return broken(BEYOND_HEAD, beyond.seq, beyond.id)
    if published:
        return broken(PUBLISHED_MISSING.format(seq=min(published)), min(published))
    return ChainReport(count, head_seq, head_hash)

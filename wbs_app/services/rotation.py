"""Master key rotation: every data key re-wrapped under a new master key, resumably, while WBS keeps running.

1. A new master key is written beside the old one (`master.key.baru`, 0600), unless an interrupted rotation left it.
   From then on every WBS process wraps new data keys with it and opens keys wrapped with either (services/keys).
2. The data keys of reports, accounts and the system (app_setting "key:*") still wrapped with another key are
   re-wrapped, a batch at a time, each batch committed: an interrupted rotation continues where it stopped.
3. When none is left, the new file replaces the old one (one rename) and the rotation is audited ("kunci").

Only wrapped keys change: no sealed value, no file and no search token is touched, so it takes seconds even with
a million reports. Backups taken before hold the old master key: they restore with it, as they were.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import Session

from wbs_app.models import AppSetting, Report, User
from wbs_app.services import audit, keys, vault

BATCH = 500

# Each table that holds wrapped keys: (table, its key column, its primary key column, rows to look at).
_HOLDERS = (
    (Report.__table__, "data_key", "id", None),
    (User.__table__, "data_key", "id", None),
    (AppSetting.__table__, "value", "key", lambda table: table.c.key.startswith(vault.SYSTEM_KEY_PREFIX)),
)


@dataclasses.dataclass
class Rotation:
    old_id: str
    new_id: str
    rewrapped: int = 0


def rotate_master_key(*, session: Session, batch: int = BATCH, progress: Callable[[str], None] = print) -> Rotation:
    old_path, new_path = keys.master_key_path(), keys.next_master_key_path()
    old = keys.read_master_key(old_path)
    new = keys.create_master_key(new_path)  # made now, or kept from an interrupted rotation
    keys.forget_cached_keys()
    done = Rotation(old_id=keys.key_id(old), new_id=keys.key_id(new))
    progress(f"Kunci utama {done.old_id} → {done.new_id}: membungkus ulang kunci data…")
    for table, column, primary, where in _HOLDERS:
        done.rewrapped += _rewrap(session=session, table=table, column=column, primary=primary, where=where,
                                  new=new, new_id=done.new_id, batch=batch)  # fmt: skip
        progress(f"  {table.name}: selesai ({done.rewrapped} kunci dibungkus ulang sejauh ini)")
    os.replace(new_path, old_path)  # from here on the new key is the one in force, for every process
    keys.forget_cached_keys()
    audit.record_operation(
        session=session,
        action="kunci",
        detail=f"Kunci utama {done.old_id} diganti {done.new_id}: {done.rewrapped} kunci data dibungkus ulang",
    )
    return done


def _rewrap(*, session: Session, table, column: str, primary: str, where, new: bytes, new_id: str, batch: int) -> int:
    """Re-wrap, a committed batch at a time, the keys of `table` not yet wrapped with the new master key."""
    key_column, id_column = table.c[column], table.c[primary]
    pending = [key_column.is_not(None), ~key_column.startswith(f"{keys.WRAPPED_PREFIX}{new_id}.")]
    if where is not None:
        pending.append(where(table))
    total = 0
    while True:
        rows = session.exec(sa.select(id_column, key_column).where(*pending).order_by(id_column).limit(batch)).all()
        if not rows:
            return total
        for row_id, wrapped in rows:
            rewrapped = keys.wrap_key(keys.unwrap_key(wrapped), master=new)
            session.exec(sa.update(table).where(id_column == row_id, key_column == wrapped).values({column: rewrapped}))
        session.commit()
        total += len(rows)

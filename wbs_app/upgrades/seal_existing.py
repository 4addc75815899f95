"""Revision 0013: seal what earlier versions stored in clear, and encrypt the evidence files already stored.

Works on the tables as revision 0012 left them (SQLAlchemy Core, not the models, which may change later), in
batches that are each committed, with its progress in app_setting: interrupted, the next `reflex db migrate`
continues where it stopped. Every step is idempotent: a sealed value is never sealed again. An evidence file is
encrypted beside itself (`<name>.sealing`) and swapped in only once its key is committed, so a crash at any point
leaves either the plaintext file with no key yet, or the key with a file that the next run finishes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from wbs_app.services import filecrypt, keys, search_index
from wbs_app.services.conflicts import normalized_name
from wbs_app.settings import get_settings

BATCH = 200
PROGRESS = "upgrade:0013:"
SYSTEM_KEYS = ("search", "names", "emails", "audit", "draft-files", "exports", "access-codes")
STAFF = ("verifier", "admin")

REPORT = (
    "reporter_name",
    "reporter_email",
    "reporter_phone",
    "reporter_address",
    "title",
    "description",
    "incident_address",
)
ACCUSED = ("name", "position", "rank", "institution", "city")
USER = (
    "identity_number",
    "nip",
    "phone",
    "other_phone",
    "address",
    "city",
    "birth_place",
    "birth_date",
    "institution",
    "position",
)


def _table(name: str, *columns: str) -> sa.TableClause:
    return sa.table(name, *(sa.column(c) for c in columns))


report_t = _table("report", "id", "data_key", *REPORT)
accused_t = _table("report_accused", "id", "report_id", "name_key", *ACCUSED)
message_t = _table("report_message", "id", "report_id", "body")
change_t = _table("report_status_change", "id", "report_id", "public_note", "internal_note")
evidence_t = _table("evidence", "id", "report_id", "stored_name", "original_name", "description", "file_key")
audit_t = _table("audit_log", "id", "report_id", "detail")
user_t = _table(
    "user_account", "id", "role", "unit_id", "data_key", "email_key", "name_key", "full_name", "email", *USER
)
factor_t = _table("second_factor", "id", "user_id", "secret")
setting_t = _table("app_setting", "key", "value")
token_t = _table("search_token", "token", "report_id")
conflict_t = _table("report_conflict", "user_id", "report_id")
unit_t = _table("unit", "id", "name")


class _Run:
    def __init__(self, bind, commit: Callable[[], None]):
        self.bind = bind
        self.commit = commit
        self.system = self._system_keys()
        self.pending_files: list[tuple[Path, Path]] = []

    # Keys and progress -----------------------------------------------------------------------------------

    def _system_keys(self) -> dict[str, bytes]:
        present = dict(self.bind.execute(sa.select(setting_t.c.key, setting_t.c.value)).all())
        for name in SYSTEM_KEYS:
            if f"key:{name}" not in present:
                present[f"key:{name}"] = keys.new_wrapped_key()
                self.bind.execute(sa.insert(setting_t).values(key=f"key:{name}", value=present[f"key:{name}"]))
        self.commit()
        return {name: keys.unwrap_key(present[f"key:{name}"]) for name in SYSTEM_KEYS}

    def progress(self, step: str) -> int:
        value = self.bind.execute(sa.select(setting_t.c.value).where(setting_t.c.key == PROGRESS + step)).scalar()
        return int(value) if value else 0

    def done_up_to(self, step: str, last_id: int) -> None:
        """Record the batch as done and commit it, then swap in the files it encrypted."""
        updated = self.bind.execute(
            sa.update(setting_t).where(setting_t.c.key == PROGRESS + step).values(value=str(last_id))
        ).rowcount
        if not updated:
            self.bind.execute(sa.insert(setting_t).values(key=PROGRESS + step, value=str(last_id)))
        self.commit()
        for sealing, final in self.pending_files:
            os.replace(sealing, final)
        self.pending_files = []

    def batches(self, step: str, table: sa.TableClause, *where):
        """Rows of `table` by id, a batch at a time, from where the last run stopped."""
        last = self.progress(step)
        while True:
            rows = (
                self.bind.execute(sa.select(table).where(table.c.id > last, *where).order_by(table.c.id).limit(BATCH))
                .mappings()
                .all()
            )
            if not rows:
                return
            yield rows
            last = rows[-1]["id"]
            self.done_up_to(step, last)

    # Sealing ---------------------------------------------------------------------------------------------

    def seal_columns(self, table: sa.TableClause, row, key: bytes, columns, **extra) -> dict[str, str]:
        """Seal the row's columns still in clear (plus `extra` values); returns its columns in clear."""
        clear, values = {}, dict(extra)
        for column in columns:
            value = row[column]
            if value in (None, ""):
                clear[column] = ""
            elif keys.is_sealed(value):
                clear[column] = keys.unseal(key, value, aad=f"{table.name}.{column}")
            else:
                clear[column] = str(value)
                values[column] = keys.seal(key, str(value), aad=f"{table.name}.{column}")
        if values:
            self.bind.execute(sa.update(table).where(table.c.id == row["id"]).values(**values))
        return clear

    def digest(self, name: str, text: str) -> str:
        return hmac.new(self.system[name], text.encode(), hashlib.sha256).hexdigest()

    # Steps -----------------------------------------------------------------------------------------------

    def users(self) -> None:
        for rows in self.batches("users", user_t):
            for user in rows:
                key, wrapped = self._record_key(user_t, user)
                columns = USER + (("full_name", "email") if user["role"] == "reporter" else ())
                clear = self.seal_columns(user_t, user, key, columns, **({"data_key": wrapped} if wrapped else {}))
                email = clear["email"] if "email" in clear else user["email"]
                extra = {}
                if "@" in (user["email_key"] or ""):
                    extra["email_key"] = self.digest("emails", email.strip().lower())
                if user["role"] in STAFF:
                    extra["name_key"] = self.digest("names", normalized_name(user["full_name"]))
                if extra:
                    self.bind.execute(sa.update(user_t).where(user_t.c.id == user["id"]).values(**extra))
                factor = (
                    self.bind.execute(sa.select(factor_t).where(factor_t.c.user_id == user["id"])).mappings().first()
                )
                if factor is not None:
                    self.seal_columns(factor_t, factor, key, ("secret",))

    def _record_key(self, table: sa.TableClause, row) -> tuple[bytes, str | None]:
        """The row's data key, and its wrapped form when it had to be made now."""
        if row["data_key"]:
            return keys.unwrap_key(row["data_key"]), None
        wrapped = keys.new_wrapped_key()
        return keys.unwrap_key(wrapped), wrapped

    def reports(self) -> None:
        for rows in self.batches("reports", report_t):
            for report in rows:
                key, wrapped = self._record_key(report_t, report)
                clear = self.seal_columns(report_t, report, key, REPORT, **({"data_key": wrapped} if wrapped else {}))
                texts = [clear["title"], clear["description"]]
                texts += self._children(report["id"], key)
                self.bind.execute(sa.delete(token_t).where(token_t.c.report_id == report["id"]))
                found = set()
                for text in texts:
                    found |= search_index.words(text)
                if found:
                    self.bind.execute(
                        sa.insert(token_t),
                        [
                            {"token": search_index.token(self.system["search"], w), "report_id": report["id"]}
                            for w in found
                        ],
                    )

    def _children(self, report_id: int, key: bytes) -> list[str]:
        """Seal the report's accused, messages, notes, evidence and audit details; returns the accused names."""
        names = []
        for person in self.bind.execute(sa.select(accused_t).where(accused_t.c.report_id == report_id)).mappings():
            name = person["name"]
            plain = keys.unseal(key, name, aad="report_accused.name") if keys.is_sealed(name) else name
            self.seal_columns(accused_t, person, key, ACCUSED, name_key=self.digest("names", normalized_name(plain)))
            names.append(plain)
        for table, columns in (
            (message_t, ("body",)),
            (change_t, ("public_note", "internal_note")),
            (audit_t, ("detail",)),
        ):
            for row in self.bind.execute(sa.select(table).where(table.c.report_id == report_id)).mappings():
                self.seal_columns(table, row, key, columns)
        for item in self.bind.execute(sa.select(evidence_t).where(evidence_t.c.report_id == report_id)).mappings():
            self._evidence(item, key)
        return names

    def _evidence(self, item, key: bytes) -> None:
        path = get_settings().evidence_dir / item["stored_name"]
        sealing = path.with_name(path.name + ".sealing")
        if item["file_key"]:
            file_key = base64.b64decode(keys.unseal(key, item["file_key"], aad="evidence.file_key"))
            if path.exists() and not filecrypt.is_encrypted(path):  # a run stopped between commit and swap
                if sealing.exists():
                    os.replace(sealing, path)
                else:
                    filecrypt.write_file(path, path.read_bytes(), key=file_key, file_id=item["stored_name"])
            self.seal_columns(evidence_t, item, key, ("original_name", "description"))
            return
        file_key = filecrypt.new_file_key()
        sealed_key = keys.seal(key, base64.b64encode(file_key).decode(), aad="evidence.file_key")
        if path.exists() and not filecrypt.is_encrypted(path):
            with path.open("rb") as source:
                filecrypt.write_file(
                    sealing, iter(lambda: source.read(1 << 20), b""), key=file_key, file_id=item["stored_name"]
                )
            self.pending_files.append((sealing, path))
        self.seal_columns(evidence_t, item, key, ("original_name", "description"), file_key=sealed_key)

    def audit_without_report(self) -> None:
        for rows in self.batches("audit", audit_t, audit_t.c.report_id.is_(None)):
            for row in rows:
                self.seal_columns(audit_t, row, self.system["audit"], ("detail",))

    def staff_conflicts(self) -> None:
        """Which reports accuse which staff account, from the keyed name digests (services/conflicts)."""
        units = {unit_id: name.lower() for unit_id, name in self.bind.execute(sa.select(unit_t.c.id, unit_t.c.name))}
        staff = self.bind.execute(
            sa.select(user_t.c.id, user_t.c.name_key, user_t.c.unit_id).where(user_t.c.role.in_(STAFF))
        ).all()
        for user_id, name_key, unit_id in staff:
            existing = set(
                self.bind.execute(sa.select(conflict_t.c.report_id).where(conflict_t.c.user_id == user_id)).scalars()
            )
            accused = self.bind.execute(
                sa.select(accused_t.c.report_id, accused_t.c.institution, report_t.c.data_key)
                .select_from(accused_t.join(report_t, report_t.c.id == accused_t.c.report_id))
                .where(accused_t.c.name_key == name_key)
            ).all()
            unit = units.get(unit_id, "")
            for report_id, institution, wrapped in accused:
                key = keys.unwrap_key(wrapped)
                place = (
                    keys.unseal(key, institution, aad="report_accused.institution").strip().lower()
                    if institution
                    else ""
                )
                if report_id not in existing and (not unit or not place or place == unit):
                    self.bind.execute(sa.insert(conflict_t).values(user_id=user_id, report_id=report_id))
                    existing.add(report_id)
        self.commit()


def run(bind, *, commit: Callable[[], None]) -> None:
    if bind.dialect.name == "sqlite":
        bind.exec_driver_sql("PRAGMA secure_delete = ON")  # what is overwritten is zeroed, not left in free pages
    job = _Run(bind, commit)
    job.users()
    job.reports()
    job.audit_without_report()
    job.staff_conflicts()
    bind.execute(sa.delete(setting_t).where(setting_t.c.key.startswith(PROGRESS)))  # done: the revision says so now
    commit()
    if bind.dialect.name == "sqlite":
        # The pages as they were (in clear) are overwritten in the database file now, not at some later checkpoint.
        bind.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

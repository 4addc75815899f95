"""Operator commands: `python -m wbs_app.cli --help`.

setup              load reference data and make sure an administrator exists (run after `reflex db migrate`)
create-user        create a verifier or administrator account
verify-audit       walk the audit log's hash chain; exit 1 at the first broken row
backup             write an encrypted backup (database, evidence, keys) to a file
restore            restore such a backup into an empty data folder and an empty database
rotate-master-key  re-wrap every data key under a new master key (resumable; WBS may keep running)
outbox             show the emails written to data/outbox/ while no SMTP server is set (they are encrypted)
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
from pathlib import Path

from wbs_app import db as _db  # noqa: F401 - SQLite pragmas
from wbs_app.datadir import prepare_data_dir
from wbs_app.logs import install_redaction
from wbs_app.models import Role
from wbs_app.services import audit_chain, backup, keys, mailer, reference, rotation, users, vault
from wbs_app.services.errors import ValidationFailed
from wbs_app.settings import get_settings

FIRST_ADMIN_FILE = "admin-pertama.txt"


def _session():
    from wbs_app.db import open_session

    return open_session()


def setup() -> int:
    keys.create_master_key()  # before any report: its data key is wrapped by it
    with _session() as db:
        vault.ensure_system_keys(session=db)
        reference.seed_reference_data(session=db)
        if users.has_admin(session=db):
            return 0
        username = os.environ.get("WBS_ADMIN_USERNAME", "admin")
        email = os.environ.get("WBS_ADMIN_EMAIL", "admin@wbs.id")
        password = os.environ.get("WBS_ADMIN_PASSWORD", "")
        generated = not password
        if generated:
            password = "Wbs-" + secrets.token_urlsafe(12)
        try:
            users.create_staff_user(
                session=db,
                username=username,
                email=email,
                full_name=os.environ.get("WBS_ADMIN_NAME", "Administrator WBS"),
                role=Role.ADMIN,
                password=password,
                must_change_password=generated,
                via="perintah setup (administrator pertama)",
            )
        except ValidationFailed as failure:
            print("Administrator pertama tidak dapat dibuat dari WBS_ADMIN_*:", file=sys.stderr)
            _print_errors(failure)
            return 1
    if generated:
        _hand_over_first_password(username, password)
    return 0


def _hand_over_first_password(username: str, password: str) -> None:
    """Shown once: only the hash is stored, and the password must be changed at first login.

    On a terminal it is printed; when the output goes elsewhere (a service log, a CI log) it is written to a
    file only its owner can read, and the log names that file, never the password.
    """
    lines = [
        f"  username: {username}",
        f"  password: {password}",
        "Ganti password ini di halaman Akun Saya setelah masuk.",
    ]
    if sys.stdout.isatty():
        print("=" * 64)
        print("Administrator pertama dibuat. Catat sekarang, tidak akan ditampilkan lagi:")
        print("\n".join(lines))
        print("=" * 64)
        return
    path = get_settings().data_dir / FIRST_ADMIN_FILE
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write("Administrator pertama WBS\n" + "\n".join(lines) + "\n")
    print(f"Administrator pertama dibuat. Password awalnya ada di {path} (hanya dapat dibaca pemilik berkas).")
    print("Catat password itu, lalu hapus berkas tersebut.")


def create_user(args: argparse.Namespace) -> int:
    password = os.environ.get("WBS_NEW_USER_PASSWORD") or getpass.getpass("Password (min. 10 karakter): ")
    with _session() as db:
        try:
            user = users.create_staff_user(
                session=db,
                username=args.username,
                email=args.email,
                full_name=args.full_name,
                role=Role(args.role),
                password=password,
                must_change_password=args.must_change_password,
                via="perintah create-user",
            )
        except ValidationFailed as failure:
            _print_errors(failure)
            return 1
    print(f"Akun {user.role} '{user.username}' dibuat.")
    return 0


def verify_audit(args: argparse.Namespace) -> int:
    published = {}
    for value in args.head:
        seq, _, digest = value.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            print(
                f"  --head {value}: harus SEQ:HASH, seperti pada baris log 'audit head seq=N hash=…'", file=sys.stderr
            )
            return 2
        published[int(seq)] = digest.lower()
    with _session() as db:
        report = audit_chain.verify(session=db, published=published)
    print(f"Rantai log audit {report.summary()}")
    return 0 if report.intact else 1


def _backup_passphrase(*, confirm: bool) -> str:
    """From WBS_BACKUP_PASSPHRASE (for a scheduled job), else asked on the terminal (twice for a new backup)."""
    passphrase = os.environ.get("WBS_BACKUP_PASSPHRASE", "")
    if passphrase:
        return passphrase
    passphrase = getpass.getpass(f"Passphrase cadangan (min. {backup.PASSPHRASE_MIN} karakter): ")
    if confirm and getpass.getpass("Ulangi passphrase: ") != passphrase:
        raise backup.BackupError("Kedua passphrase tidak sama.")
    return passphrase


def make_backup(args: argparse.Namespace) -> int:
    try:
        passphrase = _backup_passphrase(confirm=True)
        backup.check_passphrase(passphrase)
        with _session() as db:
            result = backup.create_backup(session=db, out=Path(args.out).resolve(), passphrase=passphrase)
    except backup.BackupError as failure:
        print(f"Pencadangan gagal: {failure}", file=sys.stderr)
        return 1
    print(f"Cadangan ditulis ke {result.path} ({result.size} byte, {result.evidence_files} berkas bukti).")
    print("Simpan cadangan dan passphrase-nya di tempat yang berbeda.")
    return 0


def restore(args: argparse.Namespace) -> int:
    archive = Path(args.file).resolve()
    if not archive.is_file():
        print(f"Berkas {archive} tidak ada.", file=sys.stderr)
        return 1
    try:
        backup.check_restore_target()  # before asking for the passphrase
        result = backup.restore_backup(archive=archive, passphrase=_backup_passphrase(confirm=False))
    except (backup.BackupError, backup.ArchiveError) as failure:
        print(f"Pemulihan gagal: {failure}", file=sys.stderr)
        return 1
    print(
        f"Cadangan {result.created_at} dipulihkan: basis data {result.database} (revisi skema "
        f"{result.schema_revision}), {result.evidence_files} berkas bukti, kunci."
    )
    print("Jalankan `reflex db migrate` bila versi WBS ini lebih baru, lalu mulai WBS.")
    return 0


def rotate_master_key(_args: argparse.Namespace) -> int:
    try:
        with _session() as db:
            done = rotation.rotate_master_key(session=db)
    except (keys.IntegrityError, keys.MasterKeyMissing) as failure:
        print(f"Rotasi kunci utama berhenti: {failure}. Jalankan lagi setelah masalahnya diatasi.", file=sys.stderr)
        return 1
    print(f"Kunci utama diganti ({done.old_id} → {done.new_id}); {done.rewrapped} kunci data dibungkus ulang.")
    print("Cadangan lama tetap dipulihkan dengan kunci lamanya. Buat cadangan baru sekarang.")
    return 0


def show_outbox(_args: argparse.Namespace) -> int:
    for name, message in mailer.read_outbox():
        print(f"=== {name}\nKepada: {message['To']}\nPerihal: {message['Subject']}\n")
        print(message.get_body(preferencelist=("plain",)).get_content())
    return 0


def _print_errors(failure: ValidationFailed) -> None:
    for field, message in failure.errors.items():
        print(f"  {field}: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wbs_app.cli", description="Perintah pengelola WBS")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("setup", help="muat data referensi dan pastikan ada administrator")
    create = commands.add_parser("create-user", help="buat akun verifikator atau administrator")
    create.add_argument("--username", required=True)
    create.add_argument("--email", required=True)
    create.add_argument("--full-name", required=True)
    create.add_argument("--role", choices=[Role.VERIFIER.value, Role.ADMIN.value], required=True)
    create.add_argument("--must-change-password", action="store_true", help="wajib ganti password saat pertama masuk")
    verify = commands.add_parser("verify-audit", help="periksa rantai hash log audit (keluar 1 bila putus)")
    verify.add_argument(
        "--head",
        action="append",
        default=[],
        metavar="SEQ:HASH",
        help="kepala yang pernah diterbitkan (baris log 'audit head seq=N hash=…'): rantai harus tetap melewatinya",
    )
    make = commands.add_parser("backup", help="tulis cadangan terenkripsi (basis data, bukti, kunci)")
    make.add_argument("--out", required=True, help="berkas cadangan yang ditulis")
    back = commands.add_parser("restore", help="pulihkan cadangan ke folder data dan basis data yang kosong")
    back.add_argument("file", help="berkas cadangan")
    commands.add_parser("rotate-master-key", help="ganti kunci utama; semua kunci data dibungkus ulang")
    commands.add_parser("outbox", help="tampilkan email di data/outbox/ (terenkripsi) selama SMTP belum diatur")
    args = parser.parse_args(argv)
    prepare_data_dir()
    install_redaction()
    handlers = {
        "setup": lambda _: setup(),
        "create-user": create_user,
        "verify-audit": verify_audit,
        "backup": make_backup,
        "restore": restore,
        "rotate-master-key": rotate_master_key,
        "outbox": show_outbox,
    }
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())

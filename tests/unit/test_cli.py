"""The operator commands: first administrator and staff accounts."""

from __future__ import annotations

import stat
import sys

from sqlmodel import select

from wbs_app import cli
from wbs_app.models import Role, User, ViolationType
from wbs_app.services import passwords
from wbs_app.settings import get_settings


def test_setup_prints_a_generated_admin_password_once_on_a_terminal(cli_db, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert cli.setup() == 0
    printed = capsys.readouterr().out
    password = printed.split("password: ")[1].split()[0]
    admin = cli_db.exec(select(User).where(User.role == Role.ADMIN.value)).one()
    assert admin.must_change_password and password not in admin.password_hash
    assert passwords.authenticate(session=cli_db, identifier="admin", password=password).user is not None
    assert cli_db.exec(select(ViolationType)).first() is not None
    assert cli.setup() == 0
    assert "password:" not in capsys.readouterr().out
    assert len(cli_db.exec(select(User).where(User.role == Role.ADMIN.value)).all()) == 1


def test_without_a_terminal_the_generated_password_goes_to_a_private_file_not_the_log(cli_db, capsys):
    assert cli.setup() == 0
    logged = capsys.readouterr().out
    path = get_settings().data_dir / cli.FIRST_ADMIN_FILE
    password = path.read_text().split("password: ")[1].split()[0]
    assert password not in logged and str(path) in logged and "password:" not in logged
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert passwords.authenticate(session=cli_db, identifier="admin", password=password).user is not None
    path.unlink()


def test_setup_uses_the_admin_from_the_environment(cli_db, monkeypatch, capsys):
    monkeypatch.setenv("WBS_ADMIN_USERNAME", "kepala")
    monkeypatch.setenv("WBS_ADMIN_EMAIL", "kepala@inspektorat.go.id")
    monkeypatch.setenv("WBS_ADMIN_PASSWORD", "Rahasia-2026-aman")
    cli.setup()
    assert "password:" not in capsys.readouterr().out
    admin = passwords.authenticate(session=cli_db, identifier="kepala", password="Rahasia-2026-aman").user
    assert admin is not None and admin.role == Role.ADMIN.value and not admin.must_change_password


def test_create_user_makes_a_verifier_and_refuses_bad_input(cli_db, monkeypatch, capsys):
    monkeypatch.setenv("WBS_NEW_USER_PASSWORD", "Rahasia-2026-aman")
    args = [
        "create-user",
        "--username",
        "siti",
        "--email",
        "siti@inspektorat.go.id",
        "--full-name",
        "Siti",
        "--role",
        "verifier",
    ]
    assert cli.main(args) == 0
    assert cli_db.exec(select(User).where(User.username == "siti")).one().role == Role.VERIFIER.value
    bad = ["create-user", "--username", "budi", "--email", "bukan-email", "--full-name", "Budi", "--role", "verifier"]
    assert cli.main(bad) == 1
    assert "email" in capsys.readouterr().err


def test_setup_explains_a_weak_admin_password_instead_of_crashing(cli_db, monkeypatch, capsys):
    monkeypatch.setenv("WBS_ADMIN_PASSWORD", "pendek")
    assert cli.setup() == 1
    assert "WBS_ADMIN_" in capsys.readouterr().err
    assert cli_db.exec(select(User).where(User.role == Role.ADMIN.value)).first() is None

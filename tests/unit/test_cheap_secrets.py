"""Cheap secrets where the entropy allows: random tokens and the Kode Akses are kept as HMAC-SHA256 under a server
key (microseconds, not argon2's tenth of a second), older digests still work, and argon2 (passwords only) runs in
a pool of at most as many threads as cores."""

from __future__ import annotations

import datetime as dt
import hashlib
import os

from sqlmodel import select

from tests.unit.builders import make_draft, registration
from wbs_app import security
from wbs_app.models import ActivationToken, Report, utcnow
from wbs_app.services import codes, reports, submission, users


def test_tokens_are_stored_as_keyed_digests_not_plain_hashes():
    token = security.new_token()
    stored = security.token_digest(token)
    assert stored != hashlib.sha256(token.encode()).hexdigest() and len(stored) == 64
    assert security.server_key() and security.token_digest(token) == stored  # the same key every time


def test_an_email_link_stored_by_an_earlier_version_still_works(db):
    user, _ = users.register_user(session=db, data=registration(db))
    old_token = security.new_token()
    db.add(
        ActivationToken(
            user_id=user.id,
            token_hash=hashlib.sha256(old_token.encode()).hexdigest(),  # as versions before the keyed digest stored it
            created_at=utcnow(),
            expires_at=utcnow() + dt.timedelta(hours=1),
        )
    )
    db.commit()
    assert users.activate_account(session=db, token=old_token).id == user.id


def test_sending_a_report_and_opening_it_with_its_code_use_no_argon2(db, monkeypatch):
    def no_argon2(*_args, **_kwargs):
        raise AssertionError("argon2 on the submission path")

    monkeypatch.setattr(security.password_context, "hash", no_argon2)
    monkeypatch.setattr(security.password_context, "verify", no_argon2)
    sent = submission.submit_report(session=db, draft=make_draft(db), user=None)
    stored = db.exec(select(Report)).one()
    assert stored.access_code_hash.startswith(codes.DIGEST_PREFIX)
    assert reports.check_access_code(
        session=db, registration_number=sent.registration_number, access_code=sent.access_code
    )


def test_an_older_argon2_kode_akses_opens_once_and_is_rewritten_as_a_keyed_digest(db):
    sent = submission.submit_report(session=db, draft=make_draft(db), user=None)
    stored = db.exec(select(Report)).one()
    stored.access_code_hash = security.hash_password(sent.access_code)  # as earlier versions stored it
    db.add(stored)
    db.commit()
    assert (
        reports.check_access_code(
            session=db, registration_number=sent.registration_number, access_code="AAAAA-BBBBB-CCCCC-DDDDD"
        )
        is None
    )
    assert reports.check_access_code(
        session=db, registration_number=sent.registration_number, access_code=sent.access_code
    )
    db.refresh(stored)
    assert stored.access_code_hash.startswith(codes.DIGEST_PREFIX)


def test_argon2_runs_in_its_own_pool_of_at_most_as_many_threads_as_cores():
    assert security.PASSWORD_POOL._max_workers <= (os.cpu_count() or 1)
    assert security.PASSWORD_POOL._thread_name_prefix == "wbs-argon2"

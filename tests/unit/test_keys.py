"""The key module: data keys wrapped by the master key, sealed fields that refuse any altered byte."""

from __future__ import annotations

import pytest

from wbs_app.services import keys


def test_a_sealed_field_opens_with_its_key_and_aad_only():
    data_key = keys.new_data_key()
    sealed = keys.seal(data_key, "Budi Santoso", aad="report.reporter_name")
    assert "Budi" not in sealed and keys.is_sealed(sealed)
    assert keys.unseal(data_key, sealed, aad="report.reporter_name") == "Budi Santoso"
    with pytest.raises(keys.IntegrityError):
        keys.unseal(data_key, sealed, aad="report.title")  # moved to another column
    with pytest.raises(keys.IntegrityError):
        keys.unseal(keys.new_data_key(), sealed, aad="report.reporter_name")


def test_one_flipped_character_of_a_sealed_field_is_an_integrity_error_not_other_text():
    data_key = keys.new_data_key()
    sealed = keys.seal(data_key, "Rp 500 juta ke rekening pribadi", aad="report.description")
    for position in range(len(keys.SEALED_PREFIX), len(sealed)):
        flipped = "A" if sealed[position] != "A" else "B"
        with pytest.raises(keys.IntegrityError):
            keys.unseal(data_key, sealed[:position] + flipped + sealed[position + 1 :], aad="report.description")


def test_a_data_key_unwraps_only_under_the_master_key_that_wrapped_it(tmp_path):
    first = keys.create_master_key(tmp_path / "a.key")
    second = keys.create_master_key(tmp_path / "b.key")
    data_key = keys.new_data_key()
    wrapped = keys.wrap_key(data_key, master=first)
    assert keys.wrapped_key_id(wrapped) == keys.key_id(first)
    assert keys.unwrap_key(wrapped, first) == data_key
    with pytest.raises(keys.IntegrityError, match="master key"):
        keys.unwrap_key(wrapped, second)


def test_the_master_key_file_is_private_and_made_once(tmp_path):
    path = tmp_path / "keys" / "master.key"
    key = keys.create_master_key(path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert keys.create_master_key(path) == key


def test_records_get_their_own_data_key_on_first_use_and_keep_it(db):
    from wbs_app.models import AppSetting, User
    from wbs_app.services import vault

    user = User(username="a", username_key="a", email="a@x.id", email_key="a@x.id", password_hash="x", full_name="A")
    db.add(user)
    db.commit()
    first = vault.user_key(session=db, user=user)
    db.commit()
    db.refresh(user)
    assert user.data_key.startswith(keys.WRAPPED_PREFIX)
    assert vault.user_key(session=db, user=user) == first
    index = vault.system_key(session=db, name="search")
    assert vault.system_key(session=db, name="search") == index != first
    assert db.get(AppSetting, "key:search").value.startswith(keys.WRAPPED_PREFIX)

"""The migrations alone build exactly the schema the models describe."""

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import wbs_app.models  # noqa: F401 - registers the tables
from tests.conftest import ROOT, migrate, run_alembic

BEFORE_0006 = "5b0c1e7f3a92"
BEFORE_0007 = "c0d0f6d9dda1"
# The last revision before encryption at rest (0014 widens sealed columns, 0015 seals what is stored): the tests of
# earlier revisions compare rows in clear up to here, and go back down from here.
BEFORE_ENCRYPTION = "0011sessiondevices"


def test_upgrade_on_empty_database_gives_the_models_schema(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    migrate(url)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        assert _schema_differences(connection) == []
        assert _foreign_key_action_differences(connection) == []
        assert not _reflex_sees_schema_changes(connection, monkeypatch)
        tables = set(sa.inspect(connection).get_table_names())
    expected = {"user_account", "activation_token", "password_reset_token", "login_session", "violation_type", "unit"}
    assert expected | {"rank", "report"} <= tables


def test_schema_checks_catch_the_inline_foreign_key_of_0003(tmp_path, monkeypatch):
    """A database marked as up to date without 0006 still has the foreign key SQLAlchemy reads without
    ON DELETE: every check must see it, or the other tests would pass on a broken schema."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'stale.db'}")
    run_alembic(engine, command.upgrade, BEFORE_0006)
    run_alembic(engine, command.stamp, BEFORE_0007)  # as if 0006 had run
    run_alembic(engine, command.upgrade, "head")
    with engine.connect() as connection:
        assert {d[0] for d in _schema_differences(connection)} == {"remove_fk", "add_fk"}
        assert _foreign_key_action_differences(connection) == [
            "report(assigned_to_id) -> user_account: ondelete SET NULL in the models, NO ACTION in the reflected schema"
        ]
        assert _reflex_sees_schema_changes(connection, monkeypatch)


def _schema_differences(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, SQLModel.metadata)


def _foreign_key_action_differences(connection) -> list[str]:
    """Alembic compares ON DELETE / ON UPDATE only when the dialect reflects foreign key options (it looks at the
    first foreign key of each table), so every foreign key is compared here too: as SQLAlchemy reflects it and,
    on SQLite, as SQLite itself enforces it."""
    inspector = sa.inspect(connection)
    differences = []
    for table in SQLModel.metadata.sorted_tables:
        reflected = {
            (tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"])): fk["options"]
            for fk in inspector.get_foreign_keys(table.name)
        }
        enforced = {}
        if connection.dialect.name == "sqlite":
            for row in connection.execute(sa.text(f"pragma foreign_key_list({table.name})")).mappings():
                enforced[((row["from"],), row["table"], (row["to"],))] = row
        for fk in table.foreign_key_constraints:
            key = (tuple(c.name for c in fk.columns), fk.referred_table.name, tuple(e.column.name for e in fk.elements))
            label = f"{table.name}({', '.join(key[0])}) -> {key[1]}"
            if key not in reflected:
                differences.append(f"{label}: missing in the reflected schema")
                continue
            for action in ("ondelete", "onupdate"):
                wanted, found = _action(getattr(fk, action)), _action(reflected[key].get(action))
                if wanted != found:
                    differences.append(f"{label}: {action} {wanted} in the models, {found} in the reflected schema")
                if enforced:
                    by_sqlite = _action(enforced[key]["on_delete" if action == "ondelete" else "on_update"])
                    if wanted != by_sqlite:
                        differences.append(f"{label}: {action} {wanted} in the models, {by_sqlite} enforced by SQLite")
    return differences


def _action(value: str | None) -> str:
    return (value or "NO ACTION").upper()


def _reflex_sees_schema_changes(connection, monkeypatch) -> bool:
    """The check Reflex runs at every start (prerequisites.check_schema_up_to_date), on this connection."""
    from reflex import model

    monkeypatch.chdir(ROOT)  # Reflex looks for alembic.ini in the working directory
    return model.alembic_autogenerate(connection=connection, write_migration_scripts=False)


def test_upgrade_twice_changes_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    migrate(url)
    migrate(url)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        version = connection.execute(sa.text("select version_num from alembic_version")).scalar_one()
    assert version


def test_sqlite_connections_use_wal_full_sync_and_foreign_keys(tmp_path):
    import wbs_app.db  # noqa: F401

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'pragma.db'}")
    with engine.connect() as connection:
        assert connection.execute(sa.text("pragma journal_mode")).scalar_one() == "wal"
        assert connection.execute(sa.text("pragma synchronous")).scalar_one() == 2  # FULL
        assert connection.execute(sa.text("pragma foreign_keys")).scalar_one() == 1
        assert connection.execute(sa.text("pragma busy_timeout")).scalar_one() >= 5000


def test_upgrading_a_database_with_reports_keeps_every_row(tmp_path):
    """SQLite rebuilds a table to add a foreign key; with cascades on, that would delete child rows."""
    url = f"sqlite:///{tmp_path / 'data.db'}"
    engine = sa.create_engine(url)

    run_alembic(engine, command.upgrade, "2d8f1071b610")  # the revision that added accused, messages, evidence and the timeline
    with engine.begin() as connection:
        connection.execute(sa.text(
            "insert into report (id, registration_number, channel, title, description, status, created_at, updated_at,"
            " hide_identity, reporter_name, reporter_email, reporter_phone, reporter_address, incident_address,"
            " province_code, province_name, regency_code, regency_name)"
            " values (1, 'WBS-AAAAAAAAAA', 'Pelanggaran (WBS)', 't', 'd', 'Proses Verifikasi', '2026-01-01', '2026-01-01',"
            " 0, '', '', '', '', '', '', '', '', '')"
        ))
        # A report sent without identity by an older version, which still copied the account's identity.
        connection.execute(sa.text(
            "insert into report (id, registration_number, channel, title, description, status, created_at, updated_at,"
            " hide_identity, reporter_name, reporter_email, reporter_phone, reporter_address, incident_address,"
            " province_code, province_name, regency_code, regency_name)"
            " values (2, 'WBS-BBBBBBBBBB', 'Pelanggaran (WBS)', 't', 'd', 'Proses Verifikasi', '2026-01-01', '2026-01-01',"
            " 1, 'Nama Asli', 'asli@mail.co.id', '0812', 'Jl. Rumah', '', '', '', '', '')"
        ))
        connection.execute(sa.text("insert into report_accused (report_id, position_in_list, name, position, rank,"
                                   " institution, city, classification) values (1, 0, 'Tensu', '', '', '', '', '')"))
        connection.execute(sa.text("insert into report_message (report_id, from_reporter, body, created_at)"
                                   " values (1, 1, 'halo', '2026-01-01')"))
        connection.execute(sa.text("insert into evidence (report_id, stored_name, original_name, description, kind, size,"
                                   " sha256, created_at) values (1, 'a', 'a.png', '', 'png', 1, 'x', '2026-01-01')"))
        connection.execute(sa.text("insert into report_status_change (report_id, status, public_note, internal_note,"
                                   " created_at) values (1, 'Proses Verifikasi', '', '', '2026-01-01')"))
    run_alembic(engine, command.upgrade, "head")
    with engine.connect() as connection:
        for table in ("report_accused", "report_message", "evidence", "report_status_change"):
            assert connection.execute(sa.text(f"select count(*) from {table}")).scalar_one() == 1, table
        assert connection.execute(sa.text("select count(*) from report")).scalar_one() == 2
        hidden = connection.execute(sa.text(
            "select reporter_name, reporter_email, reporter_phone, reporter_address from report where id = 2"
        )).one()
        assert tuple(hidden) == ("", "", "", "")
        assert connection.execute(sa.text("pragma foreign_keys")).scalar_one() == 1


def test_database_at_0005_keeps_every_row_and_the_assignee_rule(tmp_path, monkeypatch):
    """0006 only edits how the assignee's foreign key is written: no row moves, and deleting the assigned
    verifier still leaves the report, unassigned."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'at-0005.db'}")
    run_alembic(engine, command.upgrade, BEFORE_0006)
    with engine.begin() as connection:
        _insert_assigned_report(connection)
        sql_before = _report_sql(connection)
    run_alembic(engine, command.upgrade, BEFORE_ENCRYPTION)
    with engine.connect() as connection:
        assert _row_counts(connection) == {"report": 1, "report_accused": 1, "report_message": 1, "evidence": 1}
        assert connection.execute(sa.text("pragma integrity_check")).scalar_one() == "ok"
    # Downgrading restores exactly what 0003 wrote; upgrading again, to the newest, gives the models' schema.
    run_alembic(engine, command.downgrade, BEFORE_0006)
    with engine.connect() as connection:
        assert _report_sql(connection) == sql_before
    run_alembic(engine, command.upgrade, "head")
    with engine.connect() as connection:
        assert _schema_differences(connection) == []
        assert _foreign_key_action_differences(connection) == []
        assert not _reflex_sees_schema_changes(connection, monkeypatch)
        assert connection.execute(sa.text("pragma integrity_check")).scalar_one() == "ok"
    with engine.begin() as connection:
        connection.execute(sa.text("delete from user_account where id = 7"))
    with engine.connect() as connection:
        assert connection.execute(sa.text("select assigned_to_id from report where id = 1")).one() == (None,)
        assert _row_counts(connection) == {"report": 1, "report_accused": 1, "report_message": 1, "evidence": 1}


def test_sqlite_refusing_the_schema_edit_leaves_a_working_database(tmp_path, capfd):
    """Some SQLite builds (defensive mode) refuse edits of sqlite_schema. The upgrade must still finish, say
    why Reflex keeps reporting a change, and keep the constraint (enforced by SQLite either way)."""
    import sqlite3

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'defensive.db'}")
    run_alembic(engine, command.upgrade, BEFORE_0006)
    with engine.begin() as connection:
        _insert_assigned_report(connection)

    def refuse_schema_edits(action, table, *_):
        return sqlite3.SQLITE_DENY if action == sqlite3.SQLITE_UPDATE and table == "sqlite_master" else sqlite3.SQLITE_OK

    with engine.connect() as connection:
        connection.connection.driver_connection.set_authorizer(refuse_schema_edits)
        config = Config(str(ROOT / "alembic.ini"))
        config.set_main_option("script_location", str(ROOT / "alembic"))
        config.attributes["connection"] = connection
        command.upgrade(config, BEFORE_0007)
        # The authorizer refuses even SQLite's own schema update behind ALTER TABLE ADD COLUMN, which defensive
        # mode allows: the later migrations run without it.
        connection.connection.driver_connection.set_authorizer(None)
        command.upgrade(config, "head")
        connection.commit()
    # alembic/env.py replaces the logging handlers (caplog's too): read the console instead.
    assert "SQLite menolak mengubah teks skema tabel report" in capfd.readouterr().err
    with engine.begin() as connection:
        assert connection.execute(sa.text("select version_num from alembic_version")).scalar_one() == _head()
        connection.execute(sa.text("delete from user_account where id = 7"))
    with engine.connect() as connection:
        assert connection.execute(sa.text("select assigned_to_id from report where id = 1")).one() == (None,)
        assert _row_counts(connection) == {"report": 1, "report_accused": 1, "report_message": 1, "evidence": 1}


def test_reports_sent_without_identity_are_unlinked_and_the_others_untouched(tmp_path, monkeypatch):
    """0007 drops the account link of every report sent "tanpa identitas"; 0008 adds the draft key column.
    Both without a table rebuild: every row stays, and nothing else of any report changes."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'at-0006.db'}")
    run_alembic(engine, command.upgrade, BEFORE_0007)
    with engine.begin() as connection:
        _insert_assigned_report(connection)  # report 1: a visitor's, assigned to verifier 7
        connection.execute(sa.text(
            "insert into user_account (id, username, username_key, email, email_key, password_hash, role,"
            " account_type, identity_number, nip, position, full_name, phone, address, birth_place, institution,"
            " city, other_phone, is_active, must_change_password, created_at)"
            " values (8, 'Sari', 'sari', 'sari@mail.co.id', 'sari@mail.co.id', 'x', 'reporter', 'Umum',"
            " '3201011501900001', '', '', 'Sari Asli', '0812', 'Jl. Rumah', '', '', '', '', 1, 0, '2026-01-01')"
        ))
        for report_id, number, hidden, name in ((2, "WBS-BBBBBBBBBB", 1, ""), (3, "WBS-CCCCCCCCCC", 0, "Sari Asli")):
            connection.execute(sa.text(
                "insert into report (id, registration_number, channel, title, description, status, created_at,"
                " updated_at, reporter_id, hide_identity, reporter_name, reporter_email, reporter_phone,"
                " reporter_address, incident_address, province_code, province_name, regency_code, regency_name)"
                f" values ({report_id}, '{number}', 'Pelanggaran (WBS)', 't', 'd', 'Proses Verifikasi', '2026-01-01',"
                f" '2026-01-01', 8, {hidden}, '{name}', '', '', '', '', '', '', '', '')"
            ))
        before = [tuple(row) for row in connection.execute(sa.text("select * from report order by id"))]
    run_alembic(engine, command.upgrade, BEFORE_ENCRYPTION)
    with engine.connect() as connection:
        after = connection.execute(sa.text("select * from report order by id")).mappings().all()
        assert [(row["id"], row["reporter_id"]) for row in after] == [(1, None), (2, None), (3, 8)]
        assert all(row["draft_key_hash"] is None for row in after)
        # Nothing else changed: each row as before, except report 2's link.
        unlinked = {"reporter_id"}
        for old, new in zip(before, after, strict=True):
            changed = {key for key, value in zip(new.keys(), old, strict=False) if new[key] != value}
            assert changed == (unlinked if new["id"] == 2 else set()), (new["id"], changed)
        assert _row_counts(connection) == {"report": 3, "report_accused": 1, "report_message": 1, "evidence": 1}
        assert connection.execute(sa.text("select count(*) from user_account")).scalar_one() == 2
    # Going back removes the column with a plain DROP COLUMN: the rows stay.
    run_alembic(engine, command.downgrade, BEFORE_0007)
    with engine.connect() as connection:
        assert "draft_key_hash" not in {c["name"] for c in sa.inspect(connection).get_columns("report")}
        assert _row_counts(connection) == {"report": 3, "report_accused": 1, "report_message": 1, "evidence": 1}


def _head() -> str:
    from alembic.script import ScriptDirectory

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    return ScriptDirectory.from_config(config).get_current_head()


def _insert_assigned_report(connection) -> None:
    """A verifier (id 7) assigned to a report that has an accused, a message and an evidence file."""
    connection.execute(sa.text(
        "insert into user_account (id, username, username_key, email, email_key, password_hash, role, account_type,"
        " identity_number, nip, position, full_name, phone, address, birth_place, institution, city, other_phone,"
        " is_active, must_change_password, created_at)"
        " values (7, 'Vera', 'vera', 'vera@mail.go.id', 'vera@mail.go.id', 'x', 'verifikator', 'pegawai',"
        " '', '', '', 'Vera', '', '', '', '', '', '', 1, 0, '2026-01-01')"
    ))
    connection.execute(sa.text(
        "insert into report (id, registration_number, channel, title, description, status, created_at, updated_at,"
        " hide_identity, reporter_name, reporter_email, reporter_phone, reporter_address, incident_address,"
        " province_code, province_name, regency_code, regency_name, assigned_to_id)"
        " values (1, 'WBS-AAAAAAAAAA', 'Pelanggaran (WBS)', 't', 'd', 'Proses Verifikasi', '2026-01-01', '2026-01-01',"
        " 0, '', '', '', '', '', '', '', '', '', 7)"
    ))
    connection.execute(sa.text("insert into report_accused (report_id, position_in_list, name, position, rank,"
                               " institution, city, classification) values (1, 0, 'Tensu', '', '', '', '', '')"))
    connection.execute(sa.text("insert into report_message (report_id, from_reporter, body, created_at, author_id)"
                               " values (1, 0, 'halo', '2026-01-01', 7)"))
    connection.execute(sa.text("insert into evidence (report_id, stored_name, original_name, description, kind, size,"
                               " sha256, created_at) values (1, 'a', 'a.png', '', 'png', 1, 'x', '2026-01-01')"))


def _row_counts(connection) -> dict[str, int]:
    tables = ("report", "report_accused", "report_message", "evidence")
    return {t: connection.execute(sa.text(f"select count(*) from {t}")).scalar_one() for t in tables}


def _report_sql(connection) -> str:
    return connection.execute(sa.text("select sql from sqlite_master where type = 'table' and name = 'report'")).scalar_one()


def test_upgrade_on_empty_postgresql_database_gives_the_models_schema(postgres_url, monkeypatch):
    migrate(postgres_url)
    engine = sa.create_engine(postgres_url)
    try:
        with engine.connect() as connection:
            assert _schema_differences(connection) == []
            assert _foreign_key_action_differences(connection) == []
            assert not _reflex_sees_schema_changes(connection, monkeypatch)
    finally:
        engine.dispose()


def test_0011_ends_the_logins_opened_with_a_script_readable_cookie(tmp_path, monkeypatch):
    """Their ids sat in a cookie page scripts could read: they end; the next login gets an HttpOnly cookie."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'at-0010.db'}")
    run_alembic(engine, command.upgrade, "0010datakeys")
    with engine.begin() as connection:
        _insert_assigned_report(connection)  # user 7
        for n, revoked in ((1, "NULL"), (2, "'2026-01-02'")):
            connection.execute(sa.text(
                "insert into login_session (token_hash, user_id, created_at, last_seen_at, expires_at, revoked_at)"
                f" values ('{n:064d}', 7, '2026-01-01', '2026-01-01', '2099-01-01', {revoked})"
            ))
    run_alembic(engine, command.upgrade, "head")
    with engine.connect() as connection:
        rows = connection.execute(sa.text("select revoked_at, device from login_session order by id")).all()
        assert [device for _, device in rows] == [None, None]
        assert all(revoked is not None for revoked, _ in rows)
        assert str(rows[1][0]).startswith("2026-01-02")  # an ended login keeps its own time
        assert _row_counts(connection) == {"report": 1, "report_accused": 1, "report_message": 1, "evidence": 1}
        assert _schema_differences(connection) == []
        assert not _reflex_sees_schema_changes(connection, monkeypatch)


def test_0022_gives_an_analysed_database_statistics_for_its_new_indexes(tmp_path):
    """With the old indexes described and the new ones not, SQLite chose (status, id) over (status, created_at)
    for the status filter and sorted a whole status for each page (417 ms at a million reports)."""
    from sqlmodel import Session

    from wbs_app.models import ID_SORTED, Report, ReportStatus

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'at-0021.db'}")
    run_alembic(engine, command.upgrade, "0021accountlanguage")  # the report table's columns are the models' already
    with Session(engine) as session:
        statuses = [ReportStatus.VERIFICATION.value, ReportStatus.EXAMINATION.value]
        for n in range(40):
            session.add(Report(registration_number=f"WBS-{n:010d}", channel="pelanggaran", title="t",
                               description="d", status=statuses[n % 2]))
        session.commit()
    with engine.begin() as connection:
        connection.execute(sa.text("ANALYZE"))
    run_alembic(engine, command.upgrade, "head")
    with engine.connect() as connection:
        described = {row[0] for row in connection.execute(sa.text("select idx from sqlite_stat1 where tbl = 'report'"))}
        plan = connection.exec_driver_sql(
            "explain query plan select id from report where status = 'Proses Pemeriksaan' "
            "order by created_at desc, id desc limit 25"
        ).all()
    assert {f"ix_report_{column}_id" for column in ID_SORTED} <= described
    assert not described & {f"ix_report_{column}" for column in ID_SORTED}  # the dropped ones are forgotten
    assert "ix_report_status_created_at" in plan[-1][-1] and "TEMP B-TREE" not in str(plan)

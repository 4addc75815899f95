"""The migrations alone build exactly the schema the models describe."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import wbs_app.models  # noqa: F401 - registers the tables
from tests.conftest import migrate


def test_upgrade_on_empty_database_gives_the_models_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    migrate(url)
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = _without_inline_foreign_key_artifacts(connection, compare_metadata(context, SQLModel.metadata))
        tables = set(sa.inspect(connection).get_table_names())
    assert differences == []
    expected = {"user_account", "activation_token", "password_reset_token", "login_session", "violation_type", "unit"}
    assert expected | {"rank", "report"} <= tables


def _without_inline_foreign_key_artifacts(connection, differences: list) -> list:
    """SQLAlchemy does not read ON DELETE from a foreign key written inline in ALTER TABLE ADD COLUMN
    (migration 0003 does that on SQLite to avoid a table rebuild). Drop such a remove/add pair only when
    SQLite itself reports the same column, target and ON DELETE as the model."""
    removed = {
        (d[1].table.name, tuple(e.parent.name for e in d[1].elements)): d for d in differences if d[0] == "remove_fk"
    }
    explained = []
    for difference in differences:
        if difference[0] != "add_fk":
            continue
        fk = difference[1]
        key = (fk.table.name, tuple(e.parent.name for e in fk.elements))
        actual = connection.execute(sa.text(f"pragma foreign_key_list({fk.table.name})")).mappings().all()
        confirmed = any(
            (row["from"],) == key[1]
            and row["table"] == fk.elements[0].column.table.name
            and row["on_delete"].upper() == (fk.ondelete or "NO ACTION").upper()
            for row in actual
        )
        if key in removed and confirmed:
            explained += [removed.pop(key), difference]
    return [d for d in differences if not any(d is e for e in explained)]


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
    from alembic import command
    from alembic.config import Config

    from tests.conftest import ROOT

    url = f"sqlite:///{tmp_path / 'data.db'}"
    engine = sa.create_engine(url)

    def upgrade(target: str) -> None:
        with engine.begin() as connection:
            config = Config(str(ROOT / "alembic.ini"))
            config.set_main_option("script_location", str(ROOT / "alembic"))
            config.attributes["connection"] = connection
            command.upgrade(config, target)

    upgrade("2d8f1071b610")  # the revision that added accused, messages, evidence and the timeline
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
    upgrade("head")
    with engine.connect() as connection:
        for table in ("report_accused", "report_message", "evidence", "report_status_change"):
            assert connection.execute(sa.text(f"select count(*) from {table}")).scalar_one() == 1, table
        assert connection.execute(sa.text("select count(*) from report")).scalar_one() == 2
        hidden = connection.execute(sa.text(
            "select reporter_name, reporter_email, reporter_phone, reporter_address from report where id = 2"
        )).one()
        assert tuple(hidden) == ("", "", "", "")
        assert connection.execute(sa.text("pragma foreign_keys")).scalar_one() == 1

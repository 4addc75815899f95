"""encryption at rest, schema: wider sealed columns, keyed search and name indexes, evidence file keys

Revision ID: 0012encryption
Revises: 0011sessiondevices
Create Date: 2026-12-05 20:00:00.000000

"""
import re
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0012encryption'
down_revision: Union[str, Sequence[str], None] = '0011sessiondevices'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# Sealed text is longer than the text it holds: the new widths (None: the column stays TEXT).
WIDER = {
    "user_account": {
        "email": 400, "identity_number": 200, "nip": 200, "position": 400, "full_name": 400, "phone": 200,
        "address": 1000, "birth_place": 400, "institution": 400, "city": 400, "other_phone": 200,
    },
    "report": {
        "reporter_name": 400, "reporter_email": 600, "reporter_phone": 200, "reporter_address": 1000, "title": 600,
        "incident_address": 1000,
    },
    "report_accused": {"name": 400, "position": 400, "rank": 400, "institution": 600, "city": 400},
    "evidence": {"original_name": 400, "description": 600},
}


def upgrade() -> None:
    """No table rebuild (SQLite would delete every child row through ON DELETE CASCADE). The next revision seals
    what is already stored."""
    bind = op.get_bind()
    op.create_table(
        'report_conflict',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'report_id'),
    )
    op.create_index(op.f('ix_report_conflict_report_id'), 'report_conflict', ['report_id'], unique=False)
    op.create_table(
        'search_token',
        sa.Column('token', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token', 'report_id'),
    )
    op.create_index(op.f('ix_search_token_report_id'), 'search_token', ['report_id'], unique=False)
    op.add_column('user_account', sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.create_index(op.f('ix_user_account_name_key'), 'user_account', ['name_key'], unique=False)
    op.add_column(
        'report_accused',
        sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=''),
    )
    op.create_index(op.f('ix_report_accused_name_key'), 'report_accused', ['name_key'], unique=False)
    op.drop_index('ix_report_accused_name', table_name='report_accused')  # an index of ciphertext finds nothing
    op.add_column(
        'evidence',
        sa.Column('file_key', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=''),
    )
    if bind.dialect.name == "sqlite":
        _widen_on_sqlite(bind)
    else:
        for table, columns in WIDER.items():
            for column, width in columns.items():
                op.alter_column(table, column, type_=sqlmodel.sql.sqltypes.AutoString(length=width))
        op.execute("ALTER TABLE user_account ALTER COLUMN birth_date TYPE VARCHAR(200) USING coalesce(birth_date::text, '')")
        op.alter_column('user_account', 'birth_date', nullable=False)


def _widen_on_sqlite(bind) -> None:
    """SQLite ignores VARCHAR widths: the stored CREATE TABLE text is edited so that the schema says what the models
    say (SQLite's documented procedure for changes that leave the file format alone, as in 0006). birth_date becomes
    text: dates were stored as ISO text already; NULL becomes ''."""
    op.execute("UPDATE user_account SET birth_date = '' WHERE birth_date IS NULL")
    edits = {table: {column: f"VARCHAR({width})" for column, width in columns.items()} for table, columns in WIDER.items()}
    edits["user_account"]["birth_date"] = "VARCHAR(200) NOT NULL"
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        for table, columns in edits.items():
            sql = bind.execute(
                sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"), {"t": table}
            ).scalar_one()
            for column, new_type in columns.items():
                pattern = re.compile(rf'(?<![\w"])("?{column}"? )(VARCHAR\(\d+\)|DATE)')
                sql, found = pattern.subn(lambda m, new=new_type: m.group(1) + new, sql, count=1)
                if not found:
                    raise RuntimeError(f"{table}.{column} not found in the stored schema")
            bind.execute(sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :t"), {"sql": sql, "t": table})
        bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    if bind.exec_driver_sql("PRAGMA integrity_check").scalars().all() != ["ok"]:
        raise RuntimeError("the schema edit left the database inconsistent")


def downgrade() -> None:
    raise NotImplementedError("encryption at rest is not undone by a migration: restore a backup instead")

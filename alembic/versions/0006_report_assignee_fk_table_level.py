"""reports: the assignee's foreign key written where SQLAlchemy can read it (SQLite only)

Revision ID: c0d0f6d9dda1
Revises: 5b0c1e7f3a92
Create Date: 2026-11-25 22:37:16.000000

"""
import logging
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = 'c0d0f6d9dda1'
down_revision: Union[str, Sequence[str], None] = '5b0c1e7f3a92'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

log = logging.getLogger("alembic.runtime.migration")

# What 0003 stored on SQLite, and the same constraint as SQLAlchemy writes it in a CREATE TABLE.
INLINE_COLUMN = "assigned_to_id INTEGER REFERENCES user_account (id) ON DELETE SET NULL"
PLAIN_COLUMN = "assigned_to_id INTEGER"
TABLE_LEVEL_FK = "FOREIGN KEY(assigned_to_id) REFERENCES user_account (id) ON DELETE SET NULL"


def upgrade() -> None:
    """0003 added report.assigned_to_id on SQLite with its foreign key inline (no table rebuild, which would
    delete every accused, message and evidence row). SQLite enforces it, but SQLAlchemy reads ON DELETE only
    from a table-level FOREIGN KEY clause, so Reflex saw a schema change at every start. The same constraint
    moves into a table-level clause by editing the stored CREATE TABLE text, as SQLite's ALTER TABLE page
    allows for constraint changes that leave the file format alone: no row is read, moved or deleted.
    PostgreSQL already has a named constraint from 0003: nothing to do there."""
    sql = _report_sql()
    if sql is None or TABLE_LEVEL_FK in sql:
        return
    if sql.count(INLINE_COLUMN) != 1 or not sql.rstrip().endswith(")"):
        log.warning("Tabel report tidak seperti yang ditulis migrasi 0003; definisinya dibiarkan apa adanya.")
        return
    body = sql.replace(INLINE_COLUMN, PLAIN_COLUMN).rstrip()[:-1].rstrip()
    _rewrite_report_sql(f"{body}, \n\t{TABLE_LEVEL_FK}\n)")


def downgrade() -> None:
    """Back to the inline form 0003 wrote, with the same edit."""
    sql = _report_sql()
    if sql is None or TABLE_LEVEL_FK not in sql or INLINE_COLUMN in sql:
        return
    restored = sql.replace(f", \n\t{TABLE_LEVEL_FK}", "").replace(f"{PLAIN_COLUMN},", f"{INLINE_COLUMN},", 1)
    _rewrite_report_sql(restored)


def _report_sql() -> str | None:
    """The stored CREATE TABLE text of `report` on SQLite; None on other databases."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return None
    return bind.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'report'")).scalar_one()


def _rewrite_report_sql(new_sql: str) -> None:
    """SQLite's documented procedure: edit sqlite_schema, bump schema_version so every connection reloads
    the schema, then check the database. Inside the migration's transaction, so a failed check rolls back."""
    bind = op.get_bind()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        edited = _update_report_sql(new_sql)
        if edited:
            bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    if not edited:
        return
    integrity = bind.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    violations = bind.exec_driver_sql("PRAGMA foreign_key_check(report)").all()
    if integrity != ["ok"] or violations:
        raise RuntimeError(f"report schema edit left the database inconsistent: {integrity[:5]} {violations[:5]}")


def _update_report_sql(new_sql: str) -> bool:
    try:
        op.get_bind().execute(
            sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'report'"), {"sql": new_sql}
        )
    except sa.exc.DatabaseError as refused:
        # Some SQLite builds (defensive mode) forbid this edit. The constraint is enforced either way;
        # only Reflex's start-up notice about schema changes stays.
        log.warning(
            "SQLite menolak mengubah teks skema tabel report (%s): foreign key assigned_to_id tetap berlaku, tetapi"
            " Reflex akan terus melaporkan perubahan skema saat start.",
            refused.orig,
        )
        return False
    return True

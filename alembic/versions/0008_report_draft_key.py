"""reports: the digest of the wizard draft that made each one, so a draft sent twice makes one report

Revision ID: 9487ec53edd1
Revises: 1aa0aafa8463
Create Date: 2026-11-26 09:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '9487ec53edd1'
down_revision: Union[str, Sequence[str], None] = '1aa0aafa8463'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """A nullable column and a unique index: a plain ADD COLUMN, no table rebuild on SQLite (a rebuild would
    delete every accused, message and evidence row through their ON DELETE CASCADE). Older reports keep NULL,
    which a unique index allows any number of times."""
    op.add_column('report', sa.Column('draft_key_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.create_index(op.f('ix_report_draft_key_hash'), 'report', ['draft_key_hash'], unique=True)


def downgrade() -> None:
    """A plain DROP COLUMN too (SQLite 3.35 and later), never a rebuild."""
    op.drop_index(op.f('ix_report_draft_key_hash'), table_name='report')
    op.drop_column('report', 'draft_key_hash')

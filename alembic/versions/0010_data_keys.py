"""reports and accounts: a data key each, wrapped by the master key (encryption at rest)

Revision ID: 0010datakeys
Revises: d1000e7824b4
Create Date: 2026-12-05 12:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '0010datakeys'
down_revision: Union[str, Sequence[str], None] = 'd1000e7824b4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Nullable columns: plain ADD COLUMN, no table rebuild on SQLite (a rebuild would delete every child row
    through ON DELETE CASCADE)."""
    op.add_column('report', sa.Column('data_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))
    op.add_column('user_account', sa.Column('data_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True))


def downgrade() -> None:
    op.drop_column('user_account', 'data_key')
    op.drop_column('report', 'data_key')

"""reports: retention — legal hold, the date a report's content was purged, an index on the closing date

Revision ID: 0015retention
Revises: 0014auditchain
Create Date: 2026-12-06 09:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision: str = '0015retention'
down_revision: Union[str, Sequence[str], None] = '0014auditchain'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Plain ADD COLUMN and new indexes: no table rebuild on SQLite (a rebuild would delete every child row
    through ON DELETE CASCADE). legal_hold is NOT NULL with a server default, which SQLite adds in place."""
    op.add_column('report', sa.Column('legal_hold', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('report', sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_report_purged_at'), 'report', ['purged_at'], unique=False)
    op.create_index(op.f('ix_report_closed_at'), 'report', ['closed_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_report_closed_at'), table_name='report')
    op.drop_index(op.f('ix_report_purged_at'), table_name='report')
    op.drop_column('report', 'purged_at')
    op.drop_column('report', 'legal_hold')

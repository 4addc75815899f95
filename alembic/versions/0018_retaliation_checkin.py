"""retaliation check-in after closure, and the protection cases it opens (ISO 37002)

Revision ID: 0018retaliation
Revises: 0017institution
Create Date: 2026-12-06 13:00:00.000000

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0018retaliation'
down_revision: Union[str, Sequence[str], None] = '0017institution'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """A new table only (nothing is rebuilt)."""
    op.create_table(
        'retaliation_checkin',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('retaliation', sa.Boolean(), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column('due_on', sa.Date(), nullable=True),
        sa.Column('handled_by_id', sa.Integer(), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closing_note', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['handled_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_retaliation_checkin_report_id'), 'retaliation_checkin', ['report_id'], unique=False)
    op.create_index('ix_retaliation_checkin_status_due_on', 'retaliation_checkin', ['status', 'due_on'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_retaliation_checkin_status_due_on', table_name='retaliation_checkin')
    op.drop_index(op.f('ix_retaliation_checkin_report_id'), table_name='retaliation_checkin')
    op.drop_table('retaliation_checkin')

"""verifiers' inbox: read markers per (staff member, report), the report's latest news, waiting email notices

Revision ID: 0019staffinbox
Revises: 0018retaliation
Create Date: 2026-12-06 23:00:00.000000

"""
import datetime as dt
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0019staffinbox'
down_revision: Union[str, Sequence[str], None] = '0018retaliation'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """New tables and one new nullable column (no table is rebuilt, no report row is written): reports from before
    have no news, and every existing staff member starts with nothing unread."""
    op.add_column('report', sa.Column('staff_activity_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_report_staff_activity_at'), 'report', ['staff_activity_at'], unique=False)
    op.create_table(
        'case_read',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'report_id'),
    )
    op.create_index(op.f('ix_case_read_report_id'), 'case_read', ['report_id'], unique=False)
    op.create_index('ix_case_read_user_id_read_at', 'case_read', ['user_id', 'read_at'], unique=False)
    horizon = op.create_table(
        'case_read_horizon',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('read_before', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id'),
    )
    op.create_table(
        'staff_notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['report_id'], ['report.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_staff_notice_user_id'), 'staff_notice', ['user_id'], unique=False)
    op.create_index(op.f('ix_staff_notice_report_id'), 'staff_notice', ['report_id'], unique=False)
    op.create_index(op.f('ix_staff_notice_created_at'), 'staff_notice', ['created_at'], unique=False)
    staff = sa.table('user_account', sa.column('id', sa.Integer()), sa.column('role', sa.String()))
    now = dt.datetime.now(dt.UTC)
    ids = op.get_bind().execute(sa.select(staff.c.id).where(staff.c.role.in_(['verifier', 'admin']))).scalars().all()
    if ids:
        op.bulk_insert(horizon, [{'user_id': user_id, 'read_before': now} for user_id in ids])


def downgrade() -> None:
    op.drop_index(op.f('ix_staff_notice_created_at'), table_name='staff_notice')
    op.drop_index(op.f('ix_staff_notice_report_id'), table_name='staff_notice')
    op.drop_index(op.f('ix_staff_notice_user_id'), table_name='staff_notice')
    op.drop_table('staff_notice')
    op.drop_table('case_read_horizon')
    op.drop_index('ix_case_read_user_id_read_at', table_name='case_read')
    op.drop_index(op.f('ix_case_read_report_id'), table_name='case_read')
    op.drop_table('case_read')
    op.drop_index(op.f('ix_report_staff_activity_at'), table_name='report')
    with op.batch_alter_table('report') as batch:
        batch.drop_column('staff_activity_at')

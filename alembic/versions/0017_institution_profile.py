"""institution profile (Administrasi → Instansi) and its logo; indexes for the public statistics

Revision ID: 0017institution
Revises: 0016caselistindexes
Create Date: 2026-12-06 12:00:00.000000

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0017institution'
down_revision: Union[str, Sequence[str], None] = '0016caselistindexes'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


# /statistik counts a year of reports by month, channel and type, and closures by month and outcome, from these alone.
INDEXES = {
    'ix_report_created_at_channel_violation_type_id': ['created_at', 'channel', 'violation_type_id'],
    'ix_report_closed_at_status_created_at': ['closed_at', 'status', 'created_at'],
}


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    """New tables and indexes only. No row is written: until an administrator saves the profile, the WBS_ORG_*
    settings are its defaults."""
    op.create_table(
        'institution_profile',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('name', _text(150), nullable=False),
        sa.Column('short_name', _text(40), nullable=False),
        sa.Column('address', _text(300), nullable=False),
        sa.Column('email', _text(254), nullable=False),
        sa.Column('phone', _text(40), nullable=False),
        sa.Column('website', _text(200), nullable=False),
        sa.Column('socials', _text(1500), nullable=False),
        sa.Column('office_hours', _text(200), nullable=False),
        sa.Column('letter_address', _text(300), nullable=False),
        sa.Column('phone_line', _text(100), nullable=False),
        sa.Column('walk_in_desk', _text(300), nullable=False),
        sa.Column('lapor_url', _text(200), nullable=False),
        sa.Column('logo_sha256', _text(64), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'institution_logo',
        sa.Column('sha256', _text(64), nullable=False),
        sa.Column('content_type', _text(20), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('sha256'),
    )
    for name, columns in INDEXES.items():
        op.create_index(name, 'report', columns, unique=False)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name='report')
    op.drop_table('institution_logo')
    op.drop_table('institution_profile')

"""reports: composite indexes for the case list's counters and status filter at a million reports

Revision ID: 0016caselistindexes
Revises: 0015retention
Create Date: 2026-12-05 21:30:00.000000

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0016caselistindexes'
down_revision: Union[str, Sequence[str], None] = '0015retention'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXES = {
    "ix_report_status_created_at": ["status", "created_at"],
    "ix_report_status_acknowledged_at_created_at": ["status", "acknowledged_at", "created_at"],
    "ix_report_status_assigned_to_id": ["status", "assigned_to_id"],
}


def upgrade() -> None:
    """New indexes only (no table is rebuilt)."""
    for name, columns in INDEXES.items():
        op.create_index(name, "report", columns, unique=False)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="report")

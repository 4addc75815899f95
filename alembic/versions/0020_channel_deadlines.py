"""reports: indexes for deadlines that differ per channel (overdue counts and reminders by channel)

Revision ID: 0020channeldeadlines
Revises: 0019staffinbox
Create Date: 2026-12-05 23:00:00.000000

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0020channeldeadlines'
down_revision: Union[str, Sequence[str], None] = '0019staffinbox'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXES = {
    "ix_report_status_channel_created_at": ["status", "channel", "created_at"],
    "ix_report_status_channel_acknowledged_at_created_at": ["status", "channel", "acknowledged_at", "created_at"],
}


def upgrade() -> None:
    """New indexes only (no table is rebuilt); the per-channel rules themselves are rows of app_setting."""
    for name, columns in INDEXES.items():
        op.create_index(name, "report", columns, unique=False)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="report")

"""user_account.language and report.language: the language of emails to an account or a report's reporter
(Bahasa Indonesia for everything that exists)

Revision ID: 0021accountlanguage
Revises: 0020channeldeadlines
Create Date: 2026-12-06 02:10:00.000000

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0021accountlanguage'
down_revision: Union[str, Sequence[str], None] = '0020channeldeadlines'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("language", sa.String(length=5), nullable=False, server_default="id"))
    # A plain ADD COLUMN with a constant default: no rebuild of a table of a million reports.
    op.add_column("report", sa.Column("language", sa.String(length=5), nullable=False, server_default="id"))


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("language")

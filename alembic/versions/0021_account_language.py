"""user_account.language: the language of an account's emails (Bahasa Indonesia for every existing account)

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


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("language")

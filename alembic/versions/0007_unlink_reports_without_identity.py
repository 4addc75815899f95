"""reports sent "tanpa identitas" are linked to no account

Revision ID: 1aa0aafa8463
Revises: c0d0f6d9dda1
Create Date: 2026-11-26 09:00:00.000000

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '1aa0aafa8463'
down_revision: Union[str, Sequence[str], None] = 'c0d0f6d9dda1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Data only, one plain UPDATE (no table rebuild). Earlier versions kept the sending account on a report
    sent "tanpa identitas", and the account joins to a name, NIK, NIP, phone and address: such reports now
    keep no link. Nobody is notified. Their senders had no Kode Akses, so they can no longer open them."""
    op.execute("UPDATE report SET reporter_id = NULL WHERE hide_identity")


def downgrade() -> None:
    """Nothing to restore: the links are gone on purpose."""

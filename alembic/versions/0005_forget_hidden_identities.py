"""reports sent without identity keep none

Revision ID: 5b0c1e7f3a92
Revises: ea2156798848
Create Date: 2026-11-25 16:30:00.000000

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '5b0c1e7f3a92'
down_revision: Union[str, Sequence[str], None] = 'ea2156798848'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Data only. Earlier versions copied the account's identity into a report sent "tanpa identitas"
    (only a flag hid it); such reports now store none, and older ones are cleared the same way."""
    op.execute(
        "UPDATE report SET reporter_name = '', reporter_email = '', reporter_phone = '', reporter_address = ''"
        " WHERE hide_identity"
    )


def downgrade() -> None:
    """Nothing to restore: the cleared identities are gone on purpose."""

"""encryption at rest, data: every stored row sealed and every evidence file encrypted in place

Revision ID: 0013sealexisting
Revises: 0012encryption
Create Date: 2026-12-05 20:00:01.000000

"""
from typing import Sequence, Union

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0013sealexisting'
down_revision: Union[str, Sequence[str], None] = '0012encryption'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """In batches, each committed on its own (wbs_app/upgrades/seal_existing.py): an interrupted run leaves this
    revision unapplied and the next `reflex db migrate` continues from the last committed batch."""
    from wbs_app.upgrades import seal_existing

    bind = op.get_bind()

    def commit() -> None:
        if bind.in_transaction():
            bind.commit()

    seal_existing.run(bind, commit=commit)


def downgrade() -> None:
    raise NotImplementedError("encryption at rest is not undone by a migration: restore a backup instead")

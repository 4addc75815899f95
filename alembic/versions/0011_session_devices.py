"""login sessions: the device in words, one-time login tickets; sessions opened with a JavaScript-readable cookie end

Revision ID: 0011sessiondevices
Revises: 0010datakeys
Create Date: 2026-12-08 09:00:00.000000

"""
import datetime as dt
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = '0011sessiondevices'
down_revision: Union[str, Sequence[str], None] = '0010datakeys'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """A nullable column (plain ADD COLUMN: no table rebuild on SQLite) and a new table."""
    op.add_column('login_session', sa.Column('device', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True))
    op.create_table('login_ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('agent_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('device', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ticket_hash')
    )
    op.create_index(op.f('ix_login_ticket_user_id'), 'login_ticket', ['user_id'], unique=False)
    # Until now the session id lived in a cookie page scripts could read: logins opened that way end here, and
    # the next login puts the id in an HttpOnly cookie.
    login_session = sa.table('login_session', sa.column('revoked_at', sa.DateTime(timezone=True)))
    op.execute(
        login_session.update().where(login_session.c.revoked_at.is_(None)).values(revoked_at=dt.datetime.now(dt.UTC))
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_login_ticket_user_id'), table_name='login_ticket')
    op.drop_table('login_ticket')
    op.drop_column('login_session', 'device')

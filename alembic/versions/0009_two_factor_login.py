"""accounts: two-factor login (TOTP secrets and single-use recovery codes)

Revision ID: d1000e7824b4
Revises: 9487ec53edd1
Create Date: 2026-11-26 10:00:00.000000

"""
import datetime as dt
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = 'd1000e7824b4'
down_revision: Union[str, Sequence[str], None] = '9487ec53edd1'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # Written by hand. New tables only: no existing table is altered, so nothing is rebuilt on SQLite.
    op.create_table('second_factor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('secret', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('enabled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_step', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id')
    )
    op.create_table('recovery_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_recovery_code_user_id'), 'recovery_code', ['user_id'], unique=False)
    # Verifiers and administrators now need a second factor: logins opened with the password alone end here,
    # so each of them enrols at the next login instead of working on until the session expires.
    login_session = sa.table(
        'login_session', sa.column('user_id', sa.Integer), sa.column('revoked_at', sa.DateTime(timezone=True))
    )
    user_account = sa.table('user_account', sa.column('id', sa.Integer), sa.column('role', sa.String))
    staff = sa.select(user_account.c.id).where(user_account.c.role.in_(['verifier', 'admin']))
    op.execute(
        login_session.update()
        .where(login_session.c.revoked_at.is_(None), login_session.c.user_id.in_(staff))
        .values(revoked_at=dt.datetime.now(dt.UTC))
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index(op.f('ix_recovery_code_user_id'), table_name='recovery_code')
    op.drop_table('recovery_code')
    op.drop_table('second_factor')

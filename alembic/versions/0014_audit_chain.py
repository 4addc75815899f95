"""audit log as a hash chain: seq, prev_hash and row_hash on every row, the chain's head in audit_head

Revision ID: 0014auditchain
Revises: 0013sealexisting
Create Date: 2026-12-06 09:00:00.000000

"""
from types import SimpleNamespace
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

from wbs_app.services.audit_chain import GENESIS, row_hash

# revision identifiers, used by Alembic.
revision: str = '0014auditchain'
down_revision: Union[str, Sequence[str], None] = '0013sealexisting'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

BATCH = 2000

# The columns as they are at this revision (not the models of later ones).
audit_log = sa.table(
    'audit_log',
    sa.column('id', sa.Integer()),
    sa.column('created_at', sa.DateTime(timezone=True)),
    sa.column('actor_id', sa.Integer()),
    sa.column('action', sa.String()),
    sa.column('report_id', sa.Integer()),
    sa.column('detail', sa.Text()),
    sa.column('client_ip', sa.String()),
    sa.column('seq', sa.Integer()),
    sa.column('prev_hash', sa.String()),
    sa.column('row_hash', sa.String()),
)


def upgrade() -> None:
    """Nullable columns and a new table: plain ADD COLUMN, no table rebuild on SQLite. Then the rows already
    there are chained in id order, BATCH at a time, and the head is set to the last of them."""
    op.add_column('audit_log', sa.Column('seq', sa.Integer(), nullable=True))
    op.add_column('audit_log', sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.add_column('audit_log', sa.Column('row_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.create_index(op.f('ix_audit_log_seq'), 'audit_log', ['seq'], unique=True)
    audit_head = op.create_table(
        'audit_head',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('row_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    connection = op.get_bind()
    seq, prev_hash, after = 0, GENESIS, 0
    while True:
        rows = connection.execute(
            sa.select(audit_log).where(audit_log.c.id > after).order_by(audit_log.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        chained = []
        for row in rows:
            seq += 1
            values = {**row._mapping, 'seq': seq, 'prev_hash': prev_hash}
            prev_hash = row_hash(SimpleNamespace(**values))
            chained.append({'row_id': row.id, 'seq': seq, 'prev_hash': values['prev_hash'], 'row_hash': prev_hash})
        connection.execute(
            audit_log.update()
            .where(audit_log.c.id == sa.bindparam('row_id'))
            .values(seq=sa.bindparam('seq'), prev_hash=sa.bindparam('prev_hash'), row_hash=sa.bindparam('row_hash')),
            chained,
        )
        after = rows[-1].id
    op.bulk_insert(audit_head, [{'id': 1, 'seq': seq, 'row_hash': prev_hash}])


def downgrade() -> None:
    op.drop_table('audit_head')
    op.drop_index(op.f('ix_audit_log_seq'), table_name='audit_log')
    op.drop_column('audit_log', 'row_hash')
    op.drop_column('audit_log', 'prev_hash')
    op.drop_column('audit_log', 'seq')

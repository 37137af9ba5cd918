"""Outbox: the writing transaction of each row, so the shop's events list in commit order

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 07:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        # pg_current_xact_id() (PostgreSQL 13+) is the 64-bit transaction id, which fits a bigint.
        default = sa.text('(pg_current_xact_id()::text::bigint)')
    else:
        default = sa.text('0')
    op.add_column('outbox', sa.Column('tx', sa.BigInteger(), server_default=default, nullable=False))
    op.create_index('ix_outbox_tx_id', 'outbox', ['tx', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outbox_tx_id', table_name='outbox')
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('tx')

"""Stalled parcels: one row per order and rule, open until the parcel moves again

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 17:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

OPEN = sa.text('cleared_at IS NULL')


def upgrade() -> None:
    op.create_table(
        'stalls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('rule', sa.String(length=16), nullable=False),
        sa.Column('since', UTCDateTime(timezone=True), nullable=False),
        sa.Column('found_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('cleared_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('taken_by', sa.BigInteger(), nullable=True),
        sa.Column('taken_by_name', sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ['order_id'], ['orders.id'],
            name=op.f('fk_stalls_order_id_orders'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stalls')),
        sa.UniqueConstraint('order_id', 'rule', name='uq_stalls_order_rule'),
    )
    op.create_index(
        'ix_stalls_open_since', 'stalls', ['since', 'id'], unique=False,
        sqlite_where=OPEN, postgresql_where=OPEN,
    )


def downgrade() -> None:
    op.drop_index('ix_stalls_open_since', table_name='stalls')
    op.drop_table('stalls')

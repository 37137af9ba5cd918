"""Storage extensions: the carrier's offer to keep a waiting parcel longer and what became of it

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 18:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'storage_extensions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('shipment_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('last_free_day', sa.Date(), nullable=False),
        sa.Column('cost', sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column('carrier_reference', sa.String(length=40), nullable=True),
        sa.Column('carrier_text', sa.Text(), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('decided_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('answered_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['order_id'], ['orders.id'],
            name=op.f('fk_storage_extensions_order_id_orders'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['shipment_id'], ['shipments.id'],
            name=op.f('fk_storage_extensions_shipment_id_shipments'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_storage_extensions')),
    )
    with op.batch_alter_table('storage_extensions', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_storage_extensions_order_id'), ['order_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('storage_extensions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_storage_extensions_order_id'))
    op.drop_table('storage_extensions')

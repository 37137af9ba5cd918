"""Returns: requests, items, photos and their history

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 05:59:36.524200
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('returns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('reason_text', sa.Text(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('resolution', sa.String(length=16), nullable=False),
    sa.Column('iban', sa.String(length=34), nullable=True),
    sa.Column('account_holder', sa.String(length=200), nullable=True),
    sa.Column('exchange_wish', sa.Text(), nullable=True),
    sa.Column('carrier', sa.String(length=32), nullable=True),
    sa.Column('waybill', sa.String(length=40), nullable=True),
    sa.Column('parcel_status', sa.String(length=20), nullable=True),
    sa.Column('refund_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('manager_note', sa.Text(), nullable=True),
    sa.Column('decided_by_name', sa.String(length=200), nullable=True),
    sa.Column('card_message_id', sa.BigInteger(), nullable=True),
    sa.Column('waiting_since', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('announced_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_returns_customer_id_customers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_returns_order_id_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_returns'))
    )
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_returns_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_returns_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_returns_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_returns_waybill'), ['waybill'], unique=False)

    op.create_table('return_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.BigInteger(), nullable=True),
    sa.Column('actor_name', sa.String(length=200), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('occurred_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_return_events_return_id_returns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_events'))
    )
    with op.batch_alter_table('return_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_events_return_id'), ['return_id'], unique=False)

    op.create_table('return_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('order_item_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['order_item_id'], ['order_items.id'], name=op.f('fk_return_items_order_item_id_order_items')),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_return_items_return_id_returns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_items'))
    )
    with op.batch_alter_table('return_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_items_order_item_id'), ['order_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_items_return_id'), ['return_id'], unique=False)

    op.create_table('return_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.String(length=200), nullable=False),
    sa.Column('file_unique_id', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_return_photos_return_id_returns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_photos'))
    )
    with op.batch_alter_table('return_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_photos_return_id'), ['return_id'], unique=False)

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('return_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_outbox_return_id_returns'), 'returns', ['return_id'], ['id'], ondelete='SET NULL')




def downgrade() -> None:

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_return_id_returns'), type_='foreignkey')
        batch_op.drop_column('return_id')

    with op.batch_alter_table('return_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_photos_return_id'))

    op.drop_table('return_photos')
    with op.batch_alter_table('return_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_items_return_id'))
        batch_op.drop_index(batch_op.f('ix_return_items_order_item_id'))

    op.drop_table('return_items')
    with op.batch_alter_table('return_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_events_return_id'))

    op.drop_table('return_events')
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_returns_waybill'))
        batch_op.drop_index(batch_op.f('ix_returns_status'))
        batch_op.drop_index(batch_op.f('ix_returns_order_id'))
        batch_op.drop_index(batch_op.f('ix_returns_customer_id'))

    op.drop_table('returns')


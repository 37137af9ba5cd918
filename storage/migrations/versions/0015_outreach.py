"""Viber/SMS outreach: its messages, the customers who said stop, the orders' short links

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 16:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'outreach_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('customer_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=24), nullable=False),
        sa.Column('preference', sa.String(length=16), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('skip_reason', sa.String(length=16), nullable=True),
        sa.Column('channel', sa.String(length=8), nullable=True),
        sa.Column('provider', sa.String(length=16), nullable=False),
        sa.Column('provider_message_id', sa.String(length=64), nullable=True),
        sa.Column('parts', sa.Integer(), nullable=False),
        sa.Column('cost', sa.Numeric(precision=12, scale=4, asdecimal=True), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('checked_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('final_at', UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['customer_id'], ['customers.id'],
            name=op.f('fk_outreach_messages_customer_id_customers'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['order_id'], ['orders.id'],
            name=op.f('fk_outreach_messages_order_id_orders'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_messages')),
    )
    with op.batch_alter_table('outreach_messages', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_outreach_messages_order_id'), ['order_id'], unique=False
        )
        batch_op.create_index(
            'ix_outreach_messages_customer_id_created_at', ['customer_id', 'created_at'],
            unique=False,
        )
        batch_op.create_index('ix_outreach_messages_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_outreach_messages_state', ['state'], unique=False)
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('outreach_stopped_at', UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('outreach_stopped_by', sa.String(length=64), nullable=True))
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_code', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('short_code_at', UTCDateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_orders_short_code'), ['short_code'])


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_orders_short_code'), type_='unique')
        batch_op.drop_column('short_code_at')
        batch_op.drop_column('short_code')
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('outreach_stopped_by')
        batch_op.drop_column('outreach_stopped_at')
    with op.batch_alter_table('outreach_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_messages_state')
        batch_op.drop_index('ix_outreach_messages_created_at')
        batch_op.drop_index('ix_outreach_messages_customer_id_created_at')
        batch_op.drop_index(batch_op.f('ix_outreach_messages_order_id'))
    op.drop_table('outreach_messages')

"""Customer rating: blacklist state, flags, notes, the audit log, and indexes for reports

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 05:27:28.984573
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.types


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('customer_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('flag', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.BigInteger(), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_flags_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_flags')),
    sa.UniqueConstraint('customer_id', 'flag', name='uq_customer_flags_flag')
    )
    with op.batch_alter_table('customer_flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_flags_customer_id'), ['customer_id'], unique=False)

    op.create_table('customer_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.BigInteger(), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_customer_notes_customer_id_customers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_customer_notes'))
    )
    with op.batch_alter_table('customer_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_customer_notes_customer_id'), ['customer_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.BigInteger(), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_audit_log_customer_id_customers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_audit_log_order_id_orders'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_customer_id'), ['customer_id'], unique=False)

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blacklist_state', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('blacklist_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('blacklist_changed_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('blacklist_changed_by', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('blacklist_changed_by_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('unblock_refusals', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_customers_blacklist_state'), ['blacklist_state'], unique=False)

    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.create_index('ix_order_events_kind_to_status_at', ['kind', 'to_status', 'occurred_at'], unique=False)

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('risk_level', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('risk_score', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('risk_decision', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('risk_decided_by_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('risk_decided_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('risk_handler_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('risk_handler_name', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_orders_created_at'), ['created_at'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_created_at'))
        batch_op.drop_column('risk_handler_name')
        batch_op.drop_column('risk_handler_id')
        batch_op.drop_column('risk_decided_at')
        batch_op.drop_column('risk_decided_by_name')
        batch_op.drop_column('risk_decision')
        batch_op.drop_column('risk_score')
        batch_op.drop_column('risk_level')

    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.drop_index('ix_order_events_kind_to_status_at')

    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customers_blacklist_state'))
        batch_op.drop_column('unblock_refusals')
        batch_op.drop_column('blacklist_changed_by_name')
        batch_op.drop_column('blacklist_changed_by')
        batch_op.drop_column('blacklist_changed_at')
        batch_op.drop_column('blacklist_reason')
        batch_op.drop_column('blacklist_state')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_customer_id'))
        batch_op.drop_index(batch_op.f('ix_audit_log_created_at'))

    op.drop_table('audit_log')
    with op.batch_alter_table('customer_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_notes_customer_id'))

    op.drop_table('customer_notes')
    with op.batch_alter_table('customer_flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_customer_flags_customer_id'))

    op.drop_table('customer_flags')


"""Connections to shop platforms and CRMs, and the platform orders they brought

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 14:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'connections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('platform', sa.String(length=16), nullable=False),
        sa.Column('api_url', sa.String(length=500), nullable=False),
        sa.Column('credentials', sa.JSON(), nullable=False),
        sa.Column('signing_secret', sa.String(length=200), nullable=True),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('mapping', sa.JSON(), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('problem', sa.Text(), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_received_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_sent_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('caught_up_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('registered_url', sa.String(length=600), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_connections')),
        sa.UniqueConstraint('key', name=op.f('uq_connections_key')),
        sa.UniqueConstraint('name', name=op.f('uq_connections_name')),
    )
    op.create_table(
        'connector_orders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('connection_id', sa.Integer(), nullable=False),
        sa.Column('remote_id', sa.String(length=64), nullable=False),
        sa.Column('number', sa.String(length=64), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=True),
        sa.Column('skipped', sa.String(length=16), nullable=True),
        sa.Column('remote_updated_at', UTCDateTime(timezone=True), nullable=True),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ['connection_id'], ['connections.id'],
            name=op.f('fk_connector_orders_connection_id_connections'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['order_id'], ['orders.id'],
            name=op.f('fk_connector_orders_order_id_orders'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_connector_orders')),
        sa.UniqueConstraint('connection_id', 'remote_id', name=op.f('uq_connector_orders_connection_id')),
        sa.UniqueConstraint('order_id', name=op.f('uq_connector_orders_order_id')),
    )
    with op.batch_alter_table('orders') as batch:
        batch.add_column(sa.Column('connection_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f('fk_orders_connection_id_connections'), 'connections',
            ['connection_id'], ['id'], ondelete='SET NULL',
        )


def downgrade() -> None:
    with op.batch_alter_table('orders') as batch:
        batch.drop_constraint(op.f('fk_orders_connection_id_connections'), type_='foreignkey')
        batch.drop_column('connection_id')
    op.drop_table('connector_orders')
    op.drop_table('connections')

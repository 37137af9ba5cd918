"""Indexes for a big database (1,000,000 orders): pending timers only, an order's events by kind
and status, orders by customer and status, shipment events by status and time

Without them, with a shop's history in the tables, every round of the timers and every /metrics
scrape read all the timers that ever ran, and the customer rating read, for each finished order,
every status event of the shop (SQLite's planner chose the kind/status index over the order's).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 05:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

PENDING = sa.text("done_at IS NULL")


def upgrade() -> None:
    op.create_index('ix_timers_pending_due_at', 'timers', ['due_at', 'id'], unique=False, sqlite_where=PENDING, postgresql_where=PENDING)
    op.drop_index('ix_timers_due_at', table_name='timers')

    op.create_index('ix_order_events_order_id_kind', 'order_events', ['order_id', 'kind', 'to_status', 'occurred_at'], unique=False)
    op.drop_index('ix_order_events_order_id', table_name='order_events')

    op.create_index('ix_orders_customer_id_status', 'orders', ['customer_id', 'status'], unique=False)
    op.drop_index('ix_orders_customer_id', table_name='orders')
    op.create_index('ix_orders_status_customer_id', 'orders', ['status', 'customer_id'], unique=False)
    op.drop_index('ix_orders_status', table_name='orders')

    op.create_index('ix_shipment_events_status_recorded_at', 'shipment_events', ['status', 'recorded_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_shipment_events_status_recorded_at', table_name='shipment_events')

    op.create_index('ix_orders_status', 'orders', ['status'], unique=False)
    op.drop_index('ix_orders_status_customer_id', table_name='orders')
    op.create_index('ix_orders_customer_id', 'orders', ['customer_id'], unique=False)
    op.drop_index('ix_orders_customer_id_status', table_name='orders')

    op.create_index('ix_order_events_order_id', 'order_events', ['order_id'], unique=False)
    op.drop_index('ix_order_events_order_id_kind', table_name='order_events')

    op.create_index('ix_timers_due_at', 'timers', ['due_at'], unique=False)
    op.drop_index('ix_timers_pending_due_at', table_name='timers')

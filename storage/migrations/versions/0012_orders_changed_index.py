"""Orders: an index by (updated_at, id), for the shop's "orders changed since" list

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 05:30:00.000000
"""

from __future__ import annotations

from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_orders_updated_at_id', 'orders', ['updated_at', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_orders_updated_at_id', table_name='orders')

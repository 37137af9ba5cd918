"""Outbox: an index by order, for the webhook lanes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 06:20:00.000000
"""

from __future__ import annotations

from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_outbox_order_id_id', 'outbox', ['order_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outbox_order_id_id', table_name='outbox')

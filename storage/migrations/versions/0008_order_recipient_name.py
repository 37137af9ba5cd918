"""Orders keep the recipient name they came with

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 04:30:00.000000

Existing orders get their customer's name: it is the best we know (intake overwrote the
customer's name with each order's, so older orders' own names are lost).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_name', sa.String(length=200), nullable=True))
    op.execute(
        "UPDATE orders SET recipient_name = "
        "(SELECT customers.name FROM customers WHERE customers.id = orders.customer_id)"
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.alter_column('recipient_name', existing_type=sa.String(length=200), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('recipient_name')

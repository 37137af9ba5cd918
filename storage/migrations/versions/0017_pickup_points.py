"""Pickup points: the daily cache of carriers' branches per city, and the order's point check

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 17:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'pickup_cities',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('carrier', sa.String(length=32), nullable=False),
        sa.Column('city', sa.String(length=120), nullable=False),
        sa.Column('fetched_at', UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pickup_cities')),
        sa.UniqueConstraint('carrier', 'city', name=op.f('uq_pickup_cities_carrier')),
    )
    op.create_table(
        'pickup_points',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('city_id', sa.Integer(), nullable=False),
        sa.Column('ref', sa.String(length=36), nullable=False),
        sa.Column('number', sa.String(length=16), nullable=False),
        sa.Column('description', sa.String(length=500), nullable=False),
        sa.Column('short_address', sa.String(length=500), nullable=False),
        sa.Column('working', sa.Boolean(), nullable=False),
        sa.Column('max_weight', sa.Numeric(precision=10, scale=3, asdecimal=True), nullable=True),
        sa.Column('locker', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ['city_id'], ['pickup_cities.id'],
            name=op.f('fk_pickup_points_city_id_pickup_cities'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pickup_points')),
    )
    with op.batch_alter_table('pickup_points', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pickup_points_city_id'), ['city_id'], unique=False)
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('weight', sa.Numeric(precision=10, scale=3, asdecimal=True), nullable=True)
        )
        batch_op.add_column(sa.Column('point_ref', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('point_check', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('shop_point', sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column('point_changed_at', UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(batch_op.f('ix_orders_point_check'), ['point_check'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_orders_point_check'))
        batch_op.drop_column('point_changed_at')
        batch_op.drop_column('shop_point')
        batch_op.drop_column('point_check')
        batch_op.drop_column('point_ref')
        batch_op.drop_column('weight')
    with op.batch_alter_table('pickup_points', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pickup_points_city_id'))
    op.drop_table('pickup_points')
    op.drop_table('pickup_cities')

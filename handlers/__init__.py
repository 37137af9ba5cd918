"""aiogram routers, one module per feature, collected in an explicit order."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    admin,
    common,
    errors,
    fallback,
    managers,
    orders,
    preview,
    risk_alerts,
    start,
    stats,
    tracking,
)


def build_router() -> Router:
    """A fresh tree of routers for one dispatcher (routers can be attached only once)."""
    root = Router(name="vykup")
    for module in (
        errors,
        common,
        start,
        managers,
        admin,
        risk_alerts,
        stats,
        orders,
        tracking,
        preview,
        fallback,
    ):
        root.include_router(module.build_router())
    return root

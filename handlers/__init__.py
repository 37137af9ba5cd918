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
    return_answers,
    return_desk,
    returns,
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
        return_desk,
        stats,
        returns,
        orders,
        tracking,
        preview,
        return_answers,
        fallback,
    ):
        root.include_router(module.build_router())
    return root

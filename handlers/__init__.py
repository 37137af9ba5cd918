"""aiogram routers, one module per feature (a package for a big one: ``returns``), collected in an
explicit order."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    admin,
    common,
    errors,
    fallback,
    managers,
    orders,
    pickup_points,
    preview,
    risk_alerts,
    stalls,
    start,
    stats,
    texting,
    tracking,
)
from handlers.returns import answers as return_answers
from handlers.returns import desk as return_desk
from handlers.returns import flow as return_flow


def build_router() -> Router:
    """A fresh tree of routers for one dispatcher (routers can be attached only once)."""
    root = Router(name="vykup")
    for module in (
        errors,
        common,
        start,
        managers,
        admin,
        stalls,
        risk_alerts,
        return_desk,
        stats,
        return_flow,
        orders,
        pickup_points,
        tracking,
        preview,
        return_answers,
        texting,
        fallback,
    ):
        root.include_router(module.build_router())
    return root

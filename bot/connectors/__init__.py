"""Shop platforms and CRMs: one package per platform behind ``bot.connectors.base.Adapter``."""

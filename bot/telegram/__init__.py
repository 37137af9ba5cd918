"""aiogram plumbing shared by the handlers: middlewares, dialog states, the command menu."""

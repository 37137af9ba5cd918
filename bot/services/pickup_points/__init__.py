"""Pickup points: the order's branch or parcel locker checked after intake, and the customer's
choice of another one ("Change the branch"). The carrier is reached through
``bot.carriers.capabilities.PickupPoints``; its lists are cached a day in the database."""

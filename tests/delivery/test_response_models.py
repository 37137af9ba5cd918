"""aiogram's response models survive garbage collection once kept, so answers are read cheaply."""

from __future__ import annotations

import gc
import weakref

from aiogram.client.session.base import Response
from aiogram.methods import GetMyShortDescription
from aiogram.types import BotShortDescription

from bot.telegram.response_models import ResponseModels


def test_a_kept_response_model_is_not_rebuilt_after_a_garbage_collection() -> None:
    # The problem: pydantic holds parametrised models weakly, so a collection drops them.
    dropped = weakref.ref(Response[BotShortDescription])
    gc.collect()
    assert dropped() is None

    models = ResponseModels()
    models.keep(GetMyShortDescription())
    kept = weakref.ref(Response[BotShortDescription])
    gc.collect()
    assert kept() is not None
    assert Response[BotShortDescription] is kept()  # pydantic's cache hands out the same model

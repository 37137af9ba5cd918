"""aiogram's response models survive garbage collection once kept, so answers are read cheaply."""

from __future__ import annotations

import gc
import weakref

from aiogram.client.session.base import Response
from aiogram.methods import GetMyDescription
from aiogram.types import BotDescription, BotShortDescription

from bot.telegram.response_models import ResponseModels


def test_a_kept_response_model_is_not_rebuilt_after_a_garbage_collection() -> None:
    models = ResponseModels()
    models.keep(GetMyDescription())
    kept = weakref.ref(Response[BotDescription])
    dropped = weakref.ref(Response[BotShortDescription])  # a model nobody keeps

    gc.collect()  # one full collection: they are slow in a big test process

    assert dropped() is None  # the problem: pydantic holds parametrised models weakly
    assert kept() is not None
    assert Response[BotDescription] is kept()  # pydantic's cache hands out the same model

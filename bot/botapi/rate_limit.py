"""Pace outgoing Telegram messages: Telegram's limits are physics.

About 30 messages per second for the whole bot, one per second in a private chat (``chat_id > 0``)
and 20 per minute in a group or channel (``chat_id < 0``). Callers wait for their chat, then line
up for the global pace; the first in line computes its moment from the state as it is then and
sleeps exactly until it, so nobody polls and nothing is booked ahead at a pace that may change.
``pause_chat``/``pause_all`` honour ``retry_after``; ``slow_down``/``recover`` lower the global
pace after a 429 and raise it back as sends succeed.

Telegram counts a message when it arrives, and a request takes its time on the way: spacing
slots alone, the 31st send of a busy second can overtake a slower first one into the same
second (and a group's 21st into the same minute). So a send made inside ``slot`` counts until its
answer: the next send to its chat waits an interval from that answer, and a new send waits until
the send ``per_second`` sends back was answered a full second ago.

Time is the event loop's unless a ``Pacing`` is passed in: in-process end-to-end tests share a
virtual pacing clock with the Telegram stand-in (``bot.standin.pacing``), so waiting costs no real
time while the stand-in still judges every send by the same clock. Send inside ``slot``, not after
``acquire``: the block tells such a clock that a send is on its way, and time waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

# Added to every interval. Spacing sends at exactly the limit puts every 30th one (every 21st in a
# group) on the edge of Telegram's window, where float rounding alone decides about a 429.
EDGE = 1e-8

TimeSource = Callable[[], float]
Sleeper = Callable[[float], Awaitable[object]]


# A send not answered this long after it left counts as arrived then: a request stuck in the
# network must not hold up every send behind it (at worst its late arrival earns one 429).
STRAGGLER = 5.0


class Pacing(Protocol):
    """Where pacing time comes from, and how a send tells it that it is under way."""

    def now(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...

    def sending(self) -> AbstractContextManager[object]: ...


@dataclass
class _Send:
    granted_at: float
    answered_at: float | None = None  # None: still on its way to Telegram

    def arrived_by(self, now: float) -> float | None:
        """When it had surely reached Telegram; None while that is not known yet."""
        if self.answered_at is not None:
            return self.answered_at
        given_up = self.granted_at + STRAGGLER
        return given_up if now >= given_up else None


class RateLimiter:
    def __init__(
        self,
        *,
        per_second: float = 30.0,
        private_interval: float = 1.0,
        group_interval: float = 3.0,
        min_per_second: float = 1.0,
        recovery_step: float = 0.25,
        time: TimeSource | None = None,
        sleep: Sleeper = asyncio.sleep,
        pacing: Pacing | None = None,
    ) -> None:
        if per_second <= 0 or min_per_second <= 0 or min_per_second > per_second:
            raise ValueError("rates must be positive and min_per_second <= per_second")
        self.max_per_second = per_second
        self.min_per_second = min_per_second
        self.per_second = per_second
        self.private_interval = private_interval
        self.group_interval = group_interval
        self.recovery_step = recovery_step
        self._time = time if pacing is None else pacing.now
        self._sleep = sleep if pacing is None else pacing.sleep
        self._sending: Callable[[], AbstractContextManager[object]] = (
            contextlib.nullcontext if pacing is None else pacing.sending
        )
        # The line for the global pace (first come, first served): only the first one waits for
        # its moment, from the state as it is then (pace, pauses, Telegram's window).
        self._line = asyncio.Lock()
        self._last_grant = -math.inf
        self._all_paused_until = 0.0
        self._chat_next: dict[int, float] = {}
        self._chat_paused_until: dict[int, float] = {}
        self._prune_at = 1024
        # The last ``per_second`` sends, and when everything older left Telegram's 1 s window.
        self._recent: deque[_Send] = deque(maxlen=max(1, math.floor(per_second)))
        self._window_free_at = -math.inf
        self._answer = asyncio.Event()  # replaced at every answer: waiters hold the old one

    def now(self) -> float:
        return self._time() if self._time is not None else asyncio.get_running_loop().time()

    def interval_for(self, chat_id: int) -> float:
        return self.private_interval if chat_id > 0 else self.group_interval

    async def acquire(self, chat_id: int | None = None) -> float:
        """Wait for a slot to send one message to ``chat_id``; return the slot's time.

        The send counts as answered at once; ``slot`` counts it until its answer (better)."""
        granted, send = await self._acquire(chat_id)
        send.answered_at = self.now()
        return granted

    @contextlib.asynccontextmanager
    async def slot(self, chat_id: int | None = None) -> AsyncIterator[float]:
        """Wait for a slot, then make the send inside the block (the slot's time is yielded)."""
        granted, send = await self._acquire(chat_id)
        # No await between the grant and here: a virtual clock cannot move in between.
        try:
            with self._sending():
                yield granted
        finally:
            self._answered(chat_id, send)

    async def _acquire(self, chat_id: int | None) -> tuple[float, _Send]:
        if chat_id is not None:
            await self._wait_for_chat(chat_id)
        granted = await self._wait_for_global()
        send = _Send(granted)
        if len(self._recent) == self._recent.maxlen:
            leaving = self._recent[0].arrived_by(self.now())
            assert leaving is not None  # _wait_for_global waited for it
            self._window_free_at = max(self._window_free_at, leaving + 1.0 + EDGE)
        self._recent.append(send)
        if chat_id is not None:
            self._chat_next[chat_id] = max(
                self._chat_next.get(chat_id, 0.0), granted + self.interval_for(chat_id) + EDGE
            )
            self._maybe_prune(granted)
        return granted, send

    def _answered(self, chat_id: int | None, send: _Send) -> None:
        send.answered_at = now = self.now()
        if chat_id is not None:
            self._chat_next[chat_id] = max(
                self._chat_next.get(chat_id, 0.0), now + self.interval_for(chat_id) + EDGE
            )
        answer, self._answer = self._answer, asyncio.Event()
        answer.set()

    async def _window_opens(self) -> float:
        """When one more send fits Telegram's 1 s window (the oldest counted send must be done)."""
        while len(self._recent) == self._recent.maxlen:
            oldest = self._recent[0]
            now = self.now()
            arrived = oldest.arrived_by(now)
            if arrived is not None:
                return max(self._window_free_at, arrived + 1.0 + EDGE)
            await self._answer_or_sleep(oldest.granted_at + STRAGGLER - now)
        return self._window_free_at

    async def _answer_or_sleep(self, seconds: float) -> None:
        answer = asyncio.ensure_future(self._answer.wait())
        nap = asyncio.ensure_future(self._sleep(seconds))
        try:
            await asyncio.wait((answer, nap), return_when=asyncio.FIRST_COMPLETED)
        finally:
            answer.cancel()
            nap.cancel()

    async def _wait_for_chat(self, chat_id: int) -> None:
        while True:
            now = self.now()
            ready = max(
                self._chat_next.get(chat_id, 0.0), self._chat_paused_until.get(chat_id, 0.0)
            )
            if ready <= now:
                # Hold the chat at once, before any await, so a second caller for the same chat
                # queues behind this one; the hold is moved to the real send time in ``acquire``.
                self._chat_next[chat_id] = now + self.interval_for(chat_id)
                return
            await self._sleep(ready - now)

    async def _wait_for_global(self) -> float:
        async with self._line:
            return await self._first_in_line()

    async def _first_in_line(self) -> float:
        while True:
            opens = await self._window_opens()
            now = self.now()
            spacing = 1.0 / self.per_second + EDGE
            ready = max(self._last_grant + spacing, self._all_paused_until, opens)
            if ready <= now:
                # On the pace's grid when only a little late (a sleep overslept), so the pace
                # does not drift; from now after a quiet spell, so no burst makes up for it.
                self._last_grant = max(ready, now - spacing)
                return now
            await self._sleep(ready - now)

    def pause_chat(self, chat_id: int, seconds: float) -> None:
        """Send nothing more to ``chat_id`` for ``seconds`` (Telegram's ``retry_after``)."""
        until = self.now() + max(0.0, seconds)
        self._chat_paused_until[chat_id] = max(self._chat_paused_until.get(chat_id, 0.0), until)

    def pause_all(self, seconds: float) -> None:
        """Send nothing at all for ``seconds``."""
        self._all_paused_until = max(self._all_paused_until, self.now() + max(0.0, seconds))

    def slow_down(self) -> None:
        """A 429 arrived: halve the global pace (not below ``min_per_second``)."""
        self.per_second = max(self.min_per_second, self.per_second / 2)

    def recover(self) -> None:
        """A send succeeded: creep back towards the full pace."""
        self.per_second = min(self.max_per_second, self.per_second + self.recovery_step)

    def _maybe_prune(self, now: float) -> None:
        if len(self._chat_next) + len(self._chat_paused_until) < self._prune_at:
            return
        for table in (self._chat_next, self._chat_paused_until):
            for chat_id in [chat for chat, until in table.items() if until <= now]:
                del table[chat_id]
        self._prune_at = max(1024, 2 * (len(self._chat_next) + len(self._chat_paused_until)))

"""Time as a dependency: the real clock in production, a hand-moved one in tests and the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware UTC."""
        ...

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` whenever time jumps (only hand-moved clocks ever jump)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def subscribe(self, listener: Callable[[], None]) -> None:
        return None


class ManualClock:
    """A clock that moves only when told, and wakes the timers when it does."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> datetime:
        return self._now

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        for listener in list(self._listeners):
            listener()
        return self._now


class ShiftedClock:
    """Real time plus a shift that only grows: the sandbox's "+15 min" and "+1 day" buttons.

    Time keeps running between jumps, so retries and pacing behave as in production; a jump
    wakes the timers like a hand-moved clock does.
    """

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._real = now
        self._shift = timedelta()
        self._listeners: list[Callable[[], None]] = []

    @property
    def shift(self) -> timedelta:
        return self._shift

    def now(self) -> datetime:
        return self._real() + self._shift

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def advance(self, delta: timedelta) -> datetime:
        if delta <= timedelta():
            raise ValueError("the clock only moves forward")
        self._shift += delta
        for listener in list(self._listeners):
            listener()
        return self.now()

"""TrackingPoller: ask the carrier about the parcels on the road every so often, hand on what it says.

The poller knows no database: ``source`` says which parcels to ask about, ``sink`` records one
update (the service that writes shipment events). One failed batch or one failed update never
stops the rest, and the loop itself never dies of them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.background import Pause
from bot.carriers.base import (
    CarrierClient,
    CarrierKeyRejected,
    CarrierUnavailable,
    CarrierUpdate,
    TrackingQuery,
)


class KeyWatch(Protocol):
    """Hears whether the carrier takes the API key (``bot.services.carrier_keys``)."""

    async def rejected(self, reason: str) -> None:
        """The carrier refused the key."""

    async def accepted(self) -> None:
        """A poll was answered."""


@dataclass(frozen=True)
class PollReport:
    queried: int = 0  # parcels the source named
    batches: int = 0  # batches sent to the carrier
    failed_batches: int = 0  # batches the carrier did not answer (tried again next poll)
    updates: int = 0  # updates the carrier returned
    delivered: int = 0  # updates the sink accepted
    sink_errors: int = 0  # updates the sink raised on
    source_failed: bool = False
    key_rejected: bool = False  # the carrier refused the API key (the poll stopped there)


class TrackingPoller:
    def __init__(
        self,
        client: CarrierClient,
        *,
        source: Callable[[], Awaitable[Sequence[TrackingQuery]]],
        sink: Callable[[CarrierUpdate], Awaitable[None]],
        interval: float,
        key_watch: KeyWatch | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        if interval <= 0:
            raise ValueError("interval must be positive")
        self._client = client
        self._source = source
        self._sink = sink
        self._interval = interval
        self._key_watch = key_watch
        self._log = logger or logging.getLogger(__name__)
        self._pause = Pause()

    async def poll_once(self) -> PollReport:
        """Ask about every parcel the source names, batch by batch, and sink each update."""
        try:
            queries = list(await self._source())
        except Exception:
            self._log.exception("%s: cannot list the parcels to track", self._client.name)
            return PollReport(source_failed=True)
        size = max(1, self._client.max_batch)
        batches = failed = updates = delivered = sink_errors = 0
        key_rejected = answered = False
        for start in range(0, len(queries), size):
            batch = queries[start : start + size]
            batches += 1
            try:
                answer = await self._client.track(batch)
            except CarrierKeyRejected as exc:  # every batch would be refused alike: stop here
                failed += 1
                key_rejected = True
                self._log.error(
                    "%s rejects the API key, %d parcels are not tracked: %s",
                    self._client.name,
                    len(queries),
                    exc.reason,
                )
                await self._tell_key(rejected=exc.reason)
                break
            except CarrierUnavailable as exc:
                failed += 1
                self._log.warning(
                    "%s unavailable, %d parcels wait for the next poll: %s",
                    self._client.name,
                    len(batch),
                    exc.reason,
                )
                continue
            except Exception:
                failed += 1
                self._log.exception("%s failed on a batch of %d", self._client.name, len(batch))
                continue
            if not answered:  # the carrier took the key
                answered = True
                await self._tell_key(rejected=None)
            updates += len(answer)
            for update in answer:
                try:
                    await self._sink(update)
                except Exception:
                    sink_errors += 1
                    self._log.exception(
                        "%s: cannot record the update for %s",
                        self._client.name,
                        update.tracking_number,
                    )
                else:
                    delivered += 1
        return PollReport(
            queried=len(queries),
            batches=batches,
            failed_batches=failed,
            updates=updates,
            delivered=delivered,
            sink_errors=sink_errors,
            key_rejected=key_rejected,
        )

    async def _tell_key(self, *, rejected: str | None) -> None:
        if self._key_watch is None:
            return
        try:
            if rejected is None:
                await self._key_watch.accepted()
            else:
                await self._key_watch.rejected(rejected)
        except Exception:  # the incident is told on a later poll; tracking goes on
            self._log.exception("%s: cannot record whether the API key works", self._client.name)

    async def run(self) -> None:
        """Poll now and then every ``interval`` seconds until :meth:`stop`; :meth:`wake` polls early."""
        while not self._pause.stopped:
            self._pause.begin_round()
            try:
                report = await self.poll_once()
            except Exception:  # poll_once guards its parts; this is the last line of defence
                self._log.exception("%s: the poll failed", self._client.name)
            else:
                self._log.debug("%s poll: %s", self._client.name, report)
            await self._pause.wait(self._interval)

    def stop(self) -> None:
        """Make :meth:`run` return after the poll in progress, if any. Stopping is for good."""
        self._pause.stop()

    def wake(self) -> None:
        """Poll now instead of waiting for the interval (a poll in progress finishes first)."""
        self._pause.wake()

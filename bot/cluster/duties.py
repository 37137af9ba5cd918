"""Background loops that start together when a process is elected and stop together when it is not.

Each term builds its loops afresh from factories (a loop that was stopped stays stopped), except
where a factory hands back the same object on purpose (the outbox worker keeps its counters).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Protocol

log = logging.getLogger(__name__)


class Loop(Protocol):
    async def run(self) -> None: ...

    def stop(self) -> None:
        """Ask ``run`` to return soon; in-flight work finishes first."""
        ...


class Duties:
    def __init__(self, factories: Mapping[str, Callable[[], Loop]], *, stop_timeout: float) -> None:
        self._factories = dict(factories)
        self._stop_timeout = stop_timeout
        self.loops: dict[str, Loop] = {}
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        for name, make in self._factories.items():
            loop = make()
            self.loops[name] = loop
            task = asyncio.create_task(loop.run(), name=name)
            task.add_done_callback(_report_crash)
            self._tasks.append(task)

    async def stop(self) -> None:
        for loop in self.loops.values():
            loop.stop()
        tasks, self._tasks = self._tasks, []
        self.loops = {}
        if not tasks:
            return
        _done, pending = await asyncio.wait(tasks, timeout=self._stop_timeout)
        for task in pending:
            log.warning(
                "%s did not stop within %ss; cancelling it", task.get_name(), self._stop_timeout
            )
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


def _report_crash(task: asyncio.Task[None]) -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.error("%s stopped unexpectedly", task.get_name(), exc_info=error)

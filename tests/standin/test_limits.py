from __future__ import annotations

from bot.standin.limits import FloodConfig, FloodControl
from tests.standin.conftest import ManualSeconds

USER = 1001
GROUP = -100500


def flood(seconds: ManualSeconds, **config: object) -> FloodControl:
    return FloodControl(FloodConfig(**config), clock=seconds)  # type: ignore[arg-type]


def test_private_chat_allows_a_burst_of_three_then_429(seconds: ManualSeconds) -> None:
    control = flood(seconds)

    assert [control.check(USER) for _ in range(3)] == [None, None, None]
    assert control.check(USER) == 1


def test_private_chat_recovers_after_time_passes(seconds: ManualSeconds) -> None:
    control = flood(seconds)
    for _ in range(3):
        control.check(USER)

    seconds.advance(0.5)
    assert control.check(USER) == 1  # half a token: still a whole second to wait
    seconds.advance(0.5)
    assert control.check(USER) is None
    assert control.check(USER) == 1


def test_steady_one_per_second_never_hits_the_limit(seconds: ManualSeconds) -> None:
    control = flood(seconds)

    for _ in range(20):
        assert control.check(USER) is None
        seconds.advance(1.0)


def test_group_allows_twenty_per_minute(seconds: ManualSeconds) -> None:
    control = flood(seconds)
    for _ in range(20):
        assert control.check(GROUP) is None
        seconds.advance(1.0)

    assert control.check(GROUP) == 40  # the first send leaves the window 60 s after it
    seconds.advance(39.5)
    assert control.check(GROUP) == 1
    seconds.advance(0.5)
    assert control.check(GROUP) is None


def test_global_limit_is_thirty_per_second_across_chats(seconds: ManualSeconds) -> None:
    control = flood(seconds)

    assert all(control.check(user) is None for user in range(1, 31))
    assert control.check(31) == 1
    seconds.advance(1.0)
    assert control.check(31) is None


def test_refused_sends_do_not_count(seconds: ManualSeconds) -> None:
    control = flood(seconds, private_burst=1)
    control.check(USER)
    for _ in range(5):
        assert control.check(USER) == 1

    seconds.advance(1.0)
    assert control.check(USER) is None


def test_limits_can_be_switched_off(seconds: ManualSeconds) -> None:
    control = flood(seconds, enabled=False)

    assert all(control.check(USER) is None for _ in range(1000))
    control.enabled = True
    assert control.check(USER) is None


def test_forced_storm_refuses_the_next_calls_even_when_off(seconds: ManualSeconds) -> None:
    control = flood(seconds, enabled=False)
    control.force_storm(2, retry_after=3)

    assert [control.check(USER), control.check(GROUP), control.check(USER)] == [3, 3, None]
    assert control.storm_remaining == 0


def test_media_group_costs_one_send_per_item(seconds: ManualSeconds) -> None:
    control = flood(seconds)

    assert control.check(GROUP, cost=10) is None
    assert control.check(GROUP, cost=10) is None
    assert control.check(GROUP, cost=1) == 60

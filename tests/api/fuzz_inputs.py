"""What the fuzzer needs beyond the OpenAPI document: generators for its formats, stored names.

The document states every rule of the request bodies (patterns, lengths, ``oneOf`` by status or
carrier), so generated positive requests are sent as generated; the format ``phone``
needs a generator (JSON Schema names a format, it cannot spell one out). Path
parameters sometimes name rows that exist (``fuzz_seed``), so that the code behind "found" is
reached too. Negative cases are never touched: they must stay invalid.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import schemathesis
from hypothesis import strategies as st
from schemathesis.generation.meta import TestPhase

from tests.api.fuzz_seed import SEEDED_NAMES

PHONES = ("+380501234567", "0671112233", "+48 601 234 567", "380931234567", "+1 202 555 0143")
UA_MOBILE = ("50", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99")
# What a client may get wrong about a stored name: a NUL, a space, an invisible character.
NEAR_MISSES = ("\x00", " ", "\u200b")


@dataclass(frozen=True)
class Choice:
    """What to change in one case; drawn by hypothesis while fuzzing, derived from it otherwise."""

    # Index of a stored name for the path parameter; None keeps the generated one.
    seeded: int | None
    near_miss: int | None  # index of a suffix that makes the stored name name nothing


CHOICES = st.builds(
    Choice,
    seeded=st.none() | st.integers(min_value=0, max_value=15),
    near_miss=st.none() | st.integers(min_value=0, max_value=len(NEAR_MISSES) - 1),
)


def is_positive(case: schemathesis.Case) -> bool:
    meta = case.meta
    return meta is not None and meta.generation.mode is schemathesis.GenerationMode.POSITIVE


def choice_for(case: schemathesis.Case) -> Choice:
    """A stable choice for cases that hypothesis did not draw (coverage, examples): from the case."""
    digest = zlib.crc32(
        repr((case.path_parameters, case.query, case.body)).encode("utf-8", "replace")
    )
    return Choice(
        seeded=digest >> 1 & 15 if digest & 1 else None,
        near_miss=(digest >> 5) % len(NEAR_MISSES) if digest >> 8 & 3 == 0 else None,
    )


def fitted(case: schemathesis.Case, choice: Choice) -> schemathesis.Case:
    """``case`` with the path parameter ``choice`` asks for; the case is changed in place."""
    if choice.seeded is not None and len(case.path_parameters) == 1:
        [(name, _)] = case.path_parameters.items()
        names = SEEDED_NAMES.get(name)
        if names:
            value = names[choice.seeded % len(names)]
            if choice.near_miss is not None:
                value += NEAR_MISSES[choice.near_miss]
            case.path_parameters = {name: value}
    return case


def register(schema: schemathesis.BaseSchema) -> None:
    """Seed path parameters of positive cases: all in the coverage and examples phases, some in
    fuzzing."""

    @schema.hook
    def map_case(context: schemathesis.HookContext, case: schemathesis.Case) -> schemathesis.Case:
        meta = case.meta
        if not is_positive(case) or meta is None or meta.phase.name is TestPhase.FUZZING:
            return case
        return fitted(case, choice_for(case))

    @schema.hook
    def flatmap_case(context: schemathesis.HookContext, case: schemathesis.Case) -> Any:
        meta = case.meta
        if not is_positive(case) or meta is None or meta.phase.name is not TestPhase.FUZZING:
            return st.just(case)
        return CHOICES.map(lambda choice: fitted(case, choice))


# --- generators for the document's own formats --------------------------------------------------


def phones() -> st.SearchStrategy[str]:
    """Format ``phone``: numbers libphonenumber takes, in the spellings shops use."""
    local = st.integers(min_value=0, max_value=9_999_999).map(lambda n: f"{n:07d}")
    ukrainian = st.tuples(st.sampled_from(UA_MOBILE), local).flatmap(
        lambda parts: st.sampled_from(
            (
                f"+380{parts[0]}{parts[1]}",
                f"0{parts[0]}{parts[1]}",
                f"380{parts[0]}{parts[1]}",
                f"+38 (0{parts[0]}) {parts[1][:3]}-{parts[1][3:5]}-{parts[1][5:]}",
            )
        )
    )
    return ukrainian | st.sampled_from(PHONES)


def register_formats() -> None:
    schemathesis.openapi.format("phone", phones())

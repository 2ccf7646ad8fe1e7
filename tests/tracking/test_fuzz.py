"""Bad input of every kind: ingest and classify never crash; refusals are DomainErrors with a code."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edge.cli.tracking import classify_stream
from edge.errors import DomainError
from tests.tracking.conftest import Env

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
events = st.lists(
    st.fixed_dictionaries({}, optional={"time": json_values | st.just("2026-03-11T02:00:00Z"),
                                        "text": json_values | st.sampled_from(["已揽收", "Delivered"]),
                                        "location": json_values, "code": json_values}) | json_values,
    max_size=5,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tn=json_values | st.sampled_from(["SF1234567890123", "", "x" * 50]), carrier=json_values, evs=events | json_values)
async def test_ingest_never_crashes(env: Env, tn: Any, carrier: Any, evs: Any) -> None:
    try:
        res = await env.service.ingest(tn, carrier, evs, "fuzz")
    except DomainError as exc:
        assert exc.code in ("invalid_tracking_number", "invalid_events", "too_many_events")
        return
    assert res["stored"] + res["duplicates"] + len(res["rejected"]) == len(evs)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=60).map(lambda b: b.decode("utf-8", "replace").replace("\n", " ")), max_size=6))
def test_cli_classify_one_line_out_per_line_in(lines: list[str]) -> None:
    out = io.StringIO()
    classify_stream(io.StringIO("".join(line + "\n" for line in lines)), out)
    assert len(out.getvalue().splitlines()) == len(lines)

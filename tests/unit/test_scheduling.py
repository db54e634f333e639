"""Queue messages and time budgets: small pieces the fetch loop leans on."""

from __future__ import annotations

import pytest

from reviewpulse.scheduling import FetchRequest
from reviewpulse.sources.base import Budget


def test_a_fetch_request_survives_the_queue() -> None:
    request = FetchRequest("acme-tp", reason="continue")
    assert FetchRequest.from_json(request.to_json()) == request


@pytest.mark.parametrize("body", ["not json", "[]", '{"source": "x"}', '{"source_id": 7}'])
def test_a_malformed_fetch_request_is_refused(body: str) -> None:
    with pytest.raises(ValueError, match=r".+"):
        FetchRequest.from_json(body)


def test_the_budget_runs_out_on_the_clock_and_keeps_a_margin_for_storing() -> None:
    times = iter([100.0, 100.0, 150.0])
    budget = Budget(50, clock=lambda: next(times))
    assert budget.remaining() == 50
    assert budget.exhausted()
    assert Budget.from_remaining_ms(5_000, margin_s=10).exhausted()

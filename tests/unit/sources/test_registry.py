"""A source's platform name picks its adapter; unknown names are configuration errors."""

from __future__ import annotations

import pytest

from reviewpulse.sources import PLATFORMS, adapter_for
from reviewpulse.sources.errors import SourceConfigError
from reviewpulse.sources.feed import FeedAdapter
from reviewpulse.sources.trustpilot import TrustpilotAdapter


def test_each_platform_gets_its_own_adapter(make_source) -> None:
    trustpilot = adapter_for(make_source(business_unit_id="5f1c2d3e4a5b6c7d8e9f0a1b"))
    feed = adapter_for(
        make_source(
            "feed",
            credentials=None,
            url="https://x.test/r.json",
            format="json",
            fields={"id": "id", "created_at": "date"},
        )
    )

    assert isinstance(trustpilot, TrustpilotAdapter)
    assert isinstance(feed, FeedAdapter)
    assert {"trustpilot", "feed"} <= set(PLATFORMS)


def test_an_unknown_platform_names_the_known_ones(make_source) -> None:
    with pytest.raises(SourceConfigError, match=r"'myspace'.*known platforms: .*feed.*trustpilot"):
        adapter_for(make_source("myspace"))

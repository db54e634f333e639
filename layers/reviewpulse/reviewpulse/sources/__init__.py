"""The platform registry: a source's `platform` name → its adapter, imported only when first used.

Lazy imports keep cold starts small: a function that reads one feed never imports the Trustpilot adapter.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from reviewpulse.sources.errors import SourceConfigError

if TYPE_CHECKING:
    from reviewpulse.models import Source
    from reviewpulse.sources.base import ReviewSource

# platform → "module:Class"; add a line here when a new adapter lands
_ADAPTERS: dict[str, str] = {
    "trustpilot": "reviewpulse.sources.trustpilot:TrustpilotAdapter",
    "feed": "reviewpulse.sources.feed:FeedAdapter",
}

PLATFORMS: tuple[str, ...] = tuple(sorted(_ADAPTERS))


def adapter_for(source: Source) -> ReviewSource:
    """The adapter for `source`; SourceConfigError for an unknown platform or a bad config."""
    target = _ADAPTERS.get(source.platform)
    if target is None:
        raise SourceConfigError(
            f"unknown platform {source.platform!r} for source {source.source_id}; "
            f"known platforms: {', '.join(PLATFORMS)}"
        )
    module_name, _, class_name = target.partition(":")
    adapter_class: type[ReviewSource] = getattr(import_module(module_name), class_name)
    return adapter_class(source)

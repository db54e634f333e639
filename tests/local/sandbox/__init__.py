"""A local review platform that speaks Trustpilot's reviews API and a generic feed, and keeps moving."""

from tests.local.sandbox.server import API_KEY, API_SECRET, Sandbox, feed_source_config
from tests.local.sandbox.world import Happening, SandboxReview, World

__all__ = ["API_KEY", "API_SECRET", "Happening", "Sandbox", "SandboxReview", "World", "feed_source_config"]

"""reviewpulse: listen to customers, classify what they say, escalate what needs a human."""

__version__ = "0.1.0"

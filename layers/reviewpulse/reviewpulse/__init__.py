"""reviewpulse: listen to customers, classify what they say, escalate what needs a human."""

"""Optional classifier backends behind one interface: the built-in rules (default), Amazon Comprehend, or a
Bedrock model. The deployer picks one with the `ClassifierBackend` template parameter, which becomes the
`CLASSIFIER_BACKEND` env var (`BEDROCK_MODEL_ID` names the model for bedrock).

Every backend answers with the same `Classification` and falls back to the built-in rules on any error, so a
throttled or misconfigured AWS service never loses a review. boto3 is imported only by the AWS backends:
picking `builtin` costs no cold-start time.
"""

from __future__ import annotations

import os
from typing import Protocol, runtime_checkable

from reviewpulse.classify.model import Classification, Kind, Polarity, ReviewText, Severity

BACKENDS = ("builtin", "comprehend", "bedrock")
DEFAULT_BACKEND = "builtin"


class UnknownBackendError(ValueError):
    """CLASSIFIER_BACKEND names no backend we ship."""


class BackendConfigError(ValueError):
    """A backend was chosen without the settings it needs (e.g. bedrock without BEDROCK_MODEL_ID)."""


@runtime_checkable
class Classifier(Protocol):
    def classify(self, review: ReviewText) -> Classification: ...


class BuiltinClassifier:
    """The rule-based engine in `reviewpulse.classify`: offline, deterministic, no AWS calls."""

    name = "builtin"

    def classify(self, review: ReviewText) -> Classification:
        from reviewpulse.classify import classify

        return classify(review)


_SEVERITY_ORDER = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)


def fallback(base: Classification, reason: str) -> Classification:
    """The built-in answer, marked with why the chosen backend could not give its own."""
    return base.model_copy(update={"reasons": [*base.reasons, reason], "backend": "builtin"})


def max_severity(*levels: Severity) -> Severity:
    return max(levels, key=_SEVERITY_ORDER.index)


def repolarise(base: Classification, polarity: Polarity, *, mismatch: bool) -> tuple[Kind | None, Severity]:
    """Kind and severity once another backend changed the polarity the built-in rules graded.

    Critical findings (safety, health, fraud, leaked data) come from the built-in rules and always stand; a
    review that turned negative is at least medium and gets a kind; one that stopped being negative drops the
    built-in's negativity-only grade back to low.
    """
    kind = (base.kind or Kind.SUBJECTIVE) if polarity is Polarity.NEGATIVE else None
    if base.severity is Severity.CRITICAL:
        return kind, Severity.CRITICAL
    if polarity is Polarity.NEGATIVE:
        return kind, max_severity(base.severity, Severity.MEDIUM)
    if mismatch:
        return None, max_severity(base.severity, Severity.MEDIUM)
    was_negative = base.sentiment.polarity is Polarity.NEGATIVE or base.sentiment.mismatch
    return None, (Severity.LOW if was_negative else base.severity)


def classifier_for(name: str | None) -> Classifier:
    """The backend called `name` (builtin | comprehend | bedrock); empty means builtin."""
    key = (name or DEFAULT_BACKEND).strip().lower() or DEFAULT_BACKEND
    if key == "builtin":
        return BuiltinClassifier()
    if key == "comprehend":
        from reviewpulse.classify.backends.comprehend import ComprehendClassifier

        return ComprehendClassifier()
    if key == "bedrock":
        model_id = os.environ.get("BEDROCK_MODEL_ID", "").strip()
        if not model_id:
            raise BackendConfigError("CLASSIFIER_BACKEND=bedrock needs BEDROCK_MODEL_ID")
        from reviewpulse.classify.backends.bedrock import BedrockClassifier

        return BedrockClassifier(model_id=model_id)
    raise UnknownBackendError(f"unknown classifier backend {name!r}; expected one of {', '.join(BACKENDS)}")


def configured_classifier() -> Classifier:
    """The backend the environment asks for (CLASSIFIER_BACKEND, default builtin)."""
    return classifier_for(os.environ.get("CLASSIFIER_BACKEND"))

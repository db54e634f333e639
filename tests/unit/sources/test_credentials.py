"""Secrets come from Secrets Manager or SSM by name; minted tokens live as long as they are valid."""

from __future__ import annotations

import json

import boto3
import pytest

from reviewpulse.sources.credentials import TokenCache, read_secret
from reviewpulse.sources.errors import SourceAuthError, SourceConfigError

SECRET = {"api_key": "k-123", "api_secret": "s-456"}


def test_a_secrets_manager_reference_resolves_to_its_json(aws: None) -> None:
    boto3.client("secretsmanager").create_secret(Name="reviewpulse/tp", SecretString=json.dumps(SECRET))

    assert read_secret("secretsmanager:reviewpulse/tp") == SECRET


def test_an_ssm_reference_resolves_to_its_decrypted_json(aws: None) -> None:
    boto3.client("ssm").put_parameter(Name="/reviewpulse/feed", Value=json.dumps(SECRET), Type="SecureString")

    assert read_secret("ssm:/reviewpulse/feed") == SECRET


@pytest.mark.parametrize("ref", ["secretsmanager:reviewpulse/nope", "ssm:/reviewpulse/nope"])
def test_a_missing_secret_is_an_auth_error_that_names_it(aws: None, ref: str) -> None:
    with pytest.raises(SourceAuthError, match=r"reviewpulse/nope.*not found"):
        read_secret(ref)


def test_a_secret_that_is_not_json_is_a_config_error_without_its_value(aws: None) -> None:
    boto3.client("secretsmanager").create_secret(Name="reviewpulse/raw", SecretString="plain-key-789")

    with pytest.raises(SourceConfigError, match="not a JSON object") as raised:
        read_secret("secretsmanager:reviewpulse/raw")
    assert "plain-key-789" not in str(raised.value)


@pytest.mark.parametrize("ref", ["reviewpulse/tp", "vault:reviewpulse/tp", "ssm:"])
def test_a_reference_to_an_unknown_store_is_a_config_error(ref: str) -> None:
    with pytest.raises(SourceConfigError):
        read_secret(ref)


def test_a_token_is_minted_once_and_reused_until_shortly_before_expiry(clock) -> None:
    cache = TokenCache(clock=clock)
    minted: list[str] = []

    def mint() -> tuple[str, float]:
        minted.append(f"tok-{len(minted) + 1}")
        return minted[-1], 3600

    assert {cache.get("tp", mint) for _ in range(5)} == {"tok-1"}
    clock.now += 3600 - 121  # still well before the refresh margin
    assert cache.get("tp", mint) == "tok-1"
    clock.now += 5  # inside the last two minutes: refresh before the platform refuses it
    assert cache.get("tp", mint) == "tok-2"


def test_a_short_lived_token_is_not_reminted_on_every_call(clock) -> None:
    cache = TokenCache(clock=clock)
    mints = 0

    def mint() -> tuple[str, float]:
        nonlocal mints
        mints += 1
        return "tok", 60

    cache.get("tp", mint)
    clock.now += 30
    cache.get("tp", mint)

    assert mints == 1


def test_a_dropped_token_is_minted_again(clock) -> None:
    cache = TokenCache(clock=clock)
    tokens = iter(["tok-1", "tok-2"])

    cache.get("tp", lambda: (next(tokens), 3600))
    cache.drop("tp")

    assert cache.get("tp", lambda: (next(tokens), 3600)) == "tok-2"

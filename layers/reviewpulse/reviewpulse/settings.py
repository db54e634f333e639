"""Configuration from the environment, validated once per container."""

from __future__ import annotations

import os
from typing import Self

from pydantic import BaseModel, ConfigDict, Field


class _FromEnv(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    @classmethod
    def from_env(cls) -> Self:
        return cls.model_validate(dict(os.environ))


class IngestSettings(_FromEnv):
    table_name: str = Field(alias="TABLE_NAME", min_length=1)
    fetch_queue_url: str = Field(alias="FETCH_QUEUE_URL", min_length=1)

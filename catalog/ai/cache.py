"""Answers kept by (content hash, model, prompt version): the same image is never paid twice.

A photo imported twice, moved or renamed keeps its content hash, so its answer is found
again. Refusals are cached too: asking the same model the same thing again would only
cost another refusal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from catalog.ai.errors import AnswerError
from catalog.ai.schema import Description, validate
from catalog.models import AiCacheEntry


@dataclass(frozen=True)
class CacheKey:
    content_hash: str
    model: str
    prompt_version: str


@dataclass(frozen=True)
class Refusal:
    text: str


Answer = Description | Refusal


def lookup(session: Session, key: CacheKey) -> Answer | None:
    """The stored answer, or None (also for an entry that no longer validates)."""
    row = session.scalar(_select(key))
    if row is None:
        return None
    try:
        data = json.loads(row.result)
        if isinstance(data, dict) and set(data) == {"refusal"}:
            return Refusal(str(data["refusal"]))
        return validate(data)
    except (json.JSONDecodeError, AnswerError):
        return None


def store(session: Session, key: CacheKey, answer: Answer) -> None:
    """Insert or replace the entry for ``key`` (inside the caller's write transaction)."""
    if isinstance(answer, Refusal):
        value = json.dumps({"refusal": answer.text})
    else:
        value = answer.to_json()
    row = session.scalar(_select(key))
    if row is None:
        session.add(
            AiCacheEntry(
                content_hash=key.content_hash,
                model=key.model,
                prompt_hash=key.prompt_version,
                result=value,
            )
        )
    else:
        row.result = value


def _select(key: CacheKey) -> Select[AiCacheEntry]:
    return select(AiCacheEntry).where(
        AiCacheEntry.content_hash == key.content_hash,
        AiCacheEntry.model == key.model,
        AiCacheEntry.prompt_hash == key.prompt_version,
    )

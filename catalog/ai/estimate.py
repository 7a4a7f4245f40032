"""A dry run's bill: requests and tokens, estimated before anything is spent.

Text is counted at ~4 characters a token; a low-detail image costs a fixed number of
tokens that depends on the model (OpenAI bills the mini models' images far higher).
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT_CHARS_PER_TOKEN = 4
SCHEMA_TOKENS = 120  # the response format, the message framing
OUTPUT_TOKENS = 150  # a title, three sentences and ten tags
IMAGE_TOKENS_LOW_DETAIL = 85
IMAGE_TOKENS_BY_MODEL = {"gpt-4o-mini": 2833}


@dataclass(frozen=True)
class Estimate:
    photos: int  # asked for
    cached: int  # already answered: free
    requests: int
    input_tokens: int
    output_tokens: int


def image_tokens(model: str) -> int:
    for prefix, tokens in IMAGE_TOKENS_BY_MODEL.items():
        if model.startswith(prefix):
            return tokens
    return IMAGE_TOKENS_LOW_DETAIL


def estimate_tokens(prompt: str, model: str) -> int:
    """Input tokens for one request carrying ``prompt`` and one low-detail image."""
    return len(prompt) // TEXT_CHARS_PER_TOKEN + SCHEMA_TOKENS + image_tokens(model)

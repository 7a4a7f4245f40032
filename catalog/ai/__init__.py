"""AI titles, descriptions and tags from any OpenAI-compatible endpoint (no Qt here)."""

from catalog.ai.client import RetryPolicy
from catalog.ai.describe import DescribeResult, all_ids, approve, describe, missing_ids
from catalog.ai.estimate import Estimate

__all__ = [
    "DescribeResult",
    "Estimate",
    "RetryPolicy",
    "all_ids",
    "approve",
    "describe",
    "missing_ids",
]

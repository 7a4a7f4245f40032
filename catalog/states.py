"""A photo's states as plain enums: status, visibility, and who wrote a value.

Apart from the ORM models so that the privacy policy and the settings, which name them,
load without SQLAlchemy (issue 15: a command that answers from the SQLite file alone).
"""

from __future__ import annotations

import enum


class Status(enum.StrEnum):
    PENDING = "pending"
    PROCESSED = "processed"
    FAILED = "failed"
    REJECTED = "rejected"


class Visibility(enum.StrEnum):
    PUBLIC = "public"
    UNLISTED = "unlisted"  # reachable by link, kept out of lists, feeds and the sitemap
    PRIVATE = "private"


class Source(enum.StrEnum):
    """Who wrote a value: owner edits always win over AI."""

    AI = "ai"
    OWNER = "owner"

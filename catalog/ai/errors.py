"""The AI package's errors: each names the photo or setting it concerns and the cause.

A batch turns one photo's error into that photo's ``ai_error``; only configuration errors
(no key, a missing prompt template) stop a run before it spends anything.
"""

from __future__ import annotations

from catalog.errors import CatalogError


class AiError(CatalogError):
    """Base of every error raised by ``catalog.ai``."""


class AiConfigError(AiError):
    """The run cannot start: no API key for OpenAI's endpoint, an unreadable prompt, ..."""


class AnswerError(AiError):
    """The model answered, but not with a valid title, description and tags."""

    def __init__(self, cause: str) -> None:
        super().__init__(f"invalid answer: {cause}")
        self.cause = cause


class RefusalError(AiError):
    """The model declined to describe the image; recorded as such, never retried."""

    def __init__(self, text: str) -> None:
        super().__init__(f"refused: {text}" if text else "refused")
        self.text = text


class RequestFailedError(AiError):
    """The endpoint could not be reached or kept failing after the bounded retries."""

    def __init__(self, cause: str, attempts: int) -> None:
        plural = "s" if attempts != 1 else ""
        super().__init__(f"{cause} (after {attempts} attempt{plural})")
        self.cause = cause
        self.attempts = attempts


class ThumbnailMissingError(AiError):
    """No cached thumbnail to send; the original is never sent instead."""

    def __init__(self, content_hash: str) -> None:
        super().__init__(
            f"no readable cached thumbnail for image {content_hash[:12]}; re-import the photo"
        )
        self.content_hash = content_hash


class DescribeCancelled(AiError):
    """The run was stopped while this photo waited to retry; it stays undescribed."""

    def __init__(self) -> None:
        super().__init__("cancelled")


class PhotoSkipped(AiError):
    """This photo is not to be described (gone, rejected, not processed yet)."""

    def __init__(self, photo_id: str, reason: str) -> None:
        super().__init__(reason)
        self.photo_id = photo_id
        self.reason = reason

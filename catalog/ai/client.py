"""One vision request per photo through the official ``openai`` client, made robust.

Structured output (a strict JSON schema) where the endpoint supports it, JSON mode plus
the same validation where it does not. The client's own retries are off: this module
decides, so that 429 honours ``Retry-After``, other transient failures back off
exponentially with jitter, a stopped run stops waiting, and the count stays bounded.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import openai

from catalog.ai.errors import (
    AiConfigError,
    AnswerError,
    DescribeCancelled,
    RefusalError,
    RequestFailedError,
)
from catalog.ai.schema import RESPONSE_FORMAT, Description, parse_answer

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionUserMessageParam

log = logging.getLogger(__name__)

# Local servers (Ollama, LM Studio, vLLM) need no key, but the client insists on one.
NO_KEY = "not-needed"
MAX_REASON_CHARS = 240  # a failure reason, as the status line and the catalog keep it
JSON_MODE_HINT = (
    "\n\nAnswer with only a JSON object with exactly these keys: "
    '"title" (string), "description" (string), "tags" (array of strings).'
)


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per photo, and the backoff between them."""

    max_attempts: int = 4
    base_delay_s: float = 1.0
    max_delay_s: float = 30.0
    max_retry_after_s: float = 120.0  # a server asking for longer is capped, not obeyed blindly

    def backoff_s(self, attempt: int, rng: random.Random) -> float:
        """Exponential in the attempt number, with jitter so workers do not retry in step."""
        ceiling = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
        return ceiling * (0.5 + rng.random() / 2)


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0


class _Retry(Exception):
    """Internal: this attempt failed in a way worth another try.

    ``asked_s`` is the wait the server asked for (``Retry-After``); None means back off.
    """

    def __init__(self, cause: str, asked_s: float | None = None) -> None:
        super().__init__(cause)
        self.cause = cause
        self.asked_s = asked_s


class _SchemaUnsupported(Exception):
    """Internal: the endpoint rejected the ``json_schema`` response format."""


class DescriptionClient:
    """A thread-safe client for one endpoint and model; counts the requests it sends."""

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None,
        api_key: str | None,
        timeout_s: float,
        retry: RetryPolicy | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.model = model
        self.timeout_s = timeout_s
        self.retry = retry or RetryPolicy()
        self._cancel = cancel or threading.Event()
        try:
            self._openai = openai.OpenAI(
                api_key=api_key or NO_KEY, base_url=base_url, timeout=timeout_s, max_retries=0
            )
        except Exception as exc:  # noqa: BLE001 - httpx's InvalidURL and friends
            raise AiConfigError(
                f"the AI endpoint URL cannot be used ({type(exc).__name__})"
            ) from None
        # A base URL may carry credentials (https://user:token@host/v1): messages name the
        # endpoint without them, and redact() masks them wherever an answer echoes them.
        full = urlsplit(str(self._openai.base_url))
        shown = full._replace(netloc=full.netloc.rpartition("@")[2])
        self.base_url = urlunsplit(shown)
        self._secrets = [s for s in (api_key, full.password, full.username) if s and len(s) >= 4]
        self._lock = threading.Lock()
        self._rng = random.Random()
        self.is_structured = True  # flips to JSON mode once if the endpoint rejects schemas
        self.requests = 0
        self.usage = Usage()

    def describe(self, prompt: str, image_url: str) -> Description:
        """Send one photo; raises AnswerError, RefusalError, RequestFailedError."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._attempt(prompt, image_url)
            except _Retry as retry:
                if attempt >= self.retry.max_attempts:
                    raise RequestFailedError(self._clean(retry.cause), attempt) from None
                delay = self._delay_s(retry, attempt)
                cause = self._clean(retry.cause)
                log.info("AI request failed (%s); retrying in %.2f s", cause, delay)
                if self._cancel.wait(delay):
                    raise DescribeCancelled() from None

    def redact(self, text: str) -> str:
        """Whatever an endpoint echoes back, the key never reaches a log, the user or the DB."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _clean(self, text: str) -> str:
        """Redacted first, then shortened: cut first, a key split at the cut would survive."""
        text = self.redact(text)
        return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1] + "…"

    def close(self) -> None:
        self._openai.close()

    def _attempt(self, prompt: str, image_url: str) -> Description:
        try:
            completion = self._send(prompt, image_url)
        except _SchemaUnsupported:
            log.info("endpoint lacks structured output; falling back to JSON mode")
            self.is_structured = False
            completion = self._send(prompt, image_url)
        return self._read(completion)

    def _send(self, prompt: str, image_url: str) -> Any:
        """One HTTP request; transient failures become ``_Retry``, others raise."""
        structured = self.is_structured
        text = prompt if structured else prompt + JSON_MODE_HINT
        with self._lock:
            self.requests += 1
        try:
            return self._openai.chat.completions.create(
                model=self.model,
                messages=[_user_message(text, image_url)],
                response_format=RESPONSE_FORMAT if structured else {"type": "json_object"},
            )
        except openai.RateLimitError as exc:
            raise _Retry("rate limited (HTTP 429)", _retry_after_s(exc.response.headers)) from None
        except openai.APITimeoutError:
            raise _Retry(f"timed out after {self.timeout_s:g} s") from None
        except openai.APIConnectionError as exc:
            raise _Retry(f"cannot reach {self.base_url}: {exc.__cause__ or exc}") from None
        except openai.APIStatusError as exc:
            if exc.status_code >= 500:
                raise _Retry(_status_text(exc)) from None
            if structured and exc.status_code in (400, 422) and _mentions_schema(exc):
                raise _SchemaUnsupported() from None
            raise RequestFailedError(self._clean(_status_text(exc)), 1) from None

    def _read(self, completion: Any) -> Description:
        if not completion.choices:
            raise AnswerError("no choices in the response")
        choice = completion.choices[0]
        self._add_usage(completion.usage)
        message = choice.message
        if getattr(message, "refusal", None):
            raise RefusalError(self.redact(message.refusal))
        if choice.finish_reason == "content_filter":
            raise RefusalError("blocked by the endpoint's content filter")
        if choice.finish_reason == "length":
            raise AnswerError("the answer was cut off (token limit)")
        return parse_answer(message.content)

    def _delay_s(self, retry: _Retry, attempt: int) -> float:
        """The server's ``Retry-After`` (capped) when it gave one, else our backoff."""
        if retry.asked_s is not None:
            return min(retry.asked_s, self.retry.max_retry_after_s)
        with self._lock:
            return self.retry.backoff_s(attempt, self._rng)

    def _add_usage(self, usage: Any) -> None:
        if usage is None:
            return
        with self._lock:
            self.usage = Usage(
                self.usage.input_tokens + (usage.prompt_tokens or 0),
                self.usage.output_tokens + (usage.completion_tokens or 0),
            )


def _user_message(text: str, image_url: str) -> ChatCompletionUserMessageParam:
    return {
        "role": "user",
        "content": [
            {"type": "text", "text": text},
            {"type": "image_url", "image_url": {"url": image_url, "detail": "low"}},
        ],
    }


def _mentions_schema(exc: openai.APIStatusError) -> bool:
    text = str(exc).lower()
    return "response_format" in text or "json_schema" in text


def _status_text(exc: openai.APIStatusError) -> str:
    """``HTTP 500: upstream failed`` from the error body (shortened once redacted)."""
    body = exc.body
    message = body.get("message") if isinstance(body, dict) else None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        message = body["error"].get("message")
    return f"HTTP {exc.status_code}: {message or exc.message}"


def _retry_after_s(headers: Any) -> float | None:
    """Seconds the server asked us to wait: ``retry-after-ms``, ``retry-after`` or a date."""
    for name, divisor in (("retry-after-ms", 1000), ("retry-after", 1)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) / divisor)
        except ValueError:
            pass
    value = headers.get("retry-after")
    try:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None
    return max(0.0, parsed.timestamp() - time.time()) if parsed else None

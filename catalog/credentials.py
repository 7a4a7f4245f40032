"""Secrets (API keys, S3 and database passwords): the system keyring, else the environment.

Never the catalog database, never a log line. On a headless machine with no keyring backend
the environment variables documented in the README are the explicit fallback.
"""

from __future__ import annotations

import os

import keyring
from keyring.errors import KeyringError, NoKeyringError

SERVICE = "exiftree"

# name → environment variables consulted, in order, when the keyring has nothing
ENVIRONMENT = {
    "openai_api_key": ("EXIFTREE_OPENAI_API_KEY", "OPENAI_API_KEY"),
    "s3_access_key_id": ("AWS_ACCESS_KEY_ID",),
    "s3_secret_access_key": ("AWS_SECRET_ACCESS_KEY",),
    "database_password": ("EXIFTREE_DATABASE_PASSWORD", "PGPASSWORD"),
}


class SecretStoreUnavailable(Exception):
    """No keyring backend: say so, and point at the environment variables."""

    def __init__(self, name: str) -> None:
        names = " or ".join(ENVIRONMENT.get(name, ())) or "an environment variable"
        super().__init__(f"no system keyring is available to store {name}; set {names} instead")


def get_secret(name: str) -> str | None:
    """The secret from the keyring, else from its environment variables, else None."""
    try:
        value = keyring.get_password(SERVICE, name)
    except (NoKeyringError, KeyringError):
        value = None
    if value:
        return value
    for var in ENVIRONMENT.get(name, ()):
        if os.environ.get(var):
            return os.environ[var]
    return None


def ai_endpoint_ready(base_url: str | None) -> bool:
    """Whether an AI run could reach an endpoint: a URL set up (a local endpoint needs no
    key) or an OpenAI API key stored. Lets the front ends offer Describe only when it can work."""
    return bool(base_url or os.environ.get("OPENAI_BASE_URL") or get_secret("openai_api_key"))


def set_secret(name: str, value: str) -> None:
    """Store in the system keyring; raises SecretStoreUnavailable where there is none."""
    try:
        keyring.set_password(SERVICE, name, value)
    except (NoKeyringError, KeyringError) as exc:
        raise SecretStoreUnavailable(name) from exc


def keyring_available() -> bool:
    try:
        keyring.get_keyring().get_password(SERVICE, "__probe__")
    except (NoKeyringError, KeyringError):
        return False
    return True

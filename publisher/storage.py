"""Two object stores behind one small interface: a local folder and S3-compatible storage.

Objects are immutable and content-addressed, so every upload is idempotent: retrying one,
or re-uploading after a killed publish, can never corrupt what visitors load.
"""

from __future__ import annotations

import base64
import hashlib
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, TypeVar

from catalog.files import write_atomically
from publisher.errors import StorageError, TargetError

CACHE_CONTROL = "public, max-age=31536000, immutable"
# Attempts per S3 request, the first included: botocore's "standard" retry mode is the one
# retry layer (it knows which errors are transient and backs off with jitter).
S3_ATTEMPTS = 4
T = TypeVar("T")


class ObjectStore(Protocol):
    """What the publisher needs from storage; keys are relative to the media base URL."""

    description: str

    def check(self) -> None:
        """Raise StorageError/TargetError now if the store cannot be written."""

    def put(self, key: str, data: bytes, content_type: str) -> None: ...

    def delete(self, keys: Iterable[str]) -> None: ...

    def list_objects(self) -> dict[str, int]:
        """Every object the store holds: its key and its size in bytes."""
        ...


def store_call(key: str, action: Callable[[], T]) -> T:
    """Run one store operation; any failure becomes a :class:`StorageError` naming ``key``.

    Not a retry loop: an S3 store's client already retried what is transient (5xx,
    throttling, dropped connections) with jittered backoff, :data:`S3_ATTEMPTS` in all, and
    a local folder that fails once (full, read-only, gone) fails again at once.
    """
    try:
        return action()
    except Exception as exc:
        if isinstance(exc, (OSError, *_boto_errors())):
            raise StorageError(key, _describe(exc)) from exc
        raise


def _boto_errors() -> tuple[type[Exception], ...]:
    """botocore's errors, once an S3 store has loaded it: boto3 is imported only by
    :class:`S3Store` (~0.1 s of every publish to a local folder otherwise), and until then
    no store call can raise them."""
    errors = sys.modules.get("botocore.exceptions")
    return (errors.BotoCoreError, errors.ClientError) if errors is not None else ()


def _describe(exc: Exception) -> str:
    errors = sys.modules.get("botocore.exceptions")
    if errors is not None and isinstance(exc, errors.ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'error')}: {error.get('Message', '')}".strip(": ")
    return str(exc) or type(exc).__name__


class LocalStore:
    """A folder: ``DIR/media/<key>``; written through a temp file and ``os.replace``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.description = str(self.root)

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TargetError(f"cannot create the media folder {self.root}: {exc}") from exc

    def put(self, key: str, data: bytes, content_type: str) -> None:
        write_atomically(self.root / key, data)

    def delete(self, keys: Iterable[str]) -> None:
        for key in keys:
            (self.root / key).unlink(missing_ok=True)

    def list_objects(self) -> dict[str, int]:
        if not self.root.is_dir():
            return {}
        return {
            p.relative_to(self.root).as_posix(): p.stat().st_size
            for p in self.root.rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-")
        }


class S3Store:
    """An S3-compatible bucket (Tigris, AWS, MinIO, moto) through boto3."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None,
        region: str = "auto",
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
        max_connections: int = 16,
        public_read: bool = True,
    ) -> None:
        if not 3 <= len(bucket) <= 63:
            raise TargetError(f"S3 bucket names are 3-63 characters: {bucket!r}")
        self.bucket = bucket
        self.description = f"s3://{bucket} at {endpoint_url or 'AWS'}"
        # Published objects are the public site: mark them readable by anyone, unless the
        # bucket disables ACLs and is made public by its policy instead.
        self._acl = {"ACL": "public-read"} if public_read else {}
        import boto3  # here, not at the top: a publish to a folder never needs it
        from botocore.config import Config

        config = Config(
            retries={"total_max_attempts": S3_ATTEMPTS, "mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
            max_pool_connections=max_connections,
        )
        try:
            self.client = boto3.client(
                "s3",
                endpoint_url=endpoint_url,
                region_name=None if region == "auto" and endpoint_url is None else region,
                aws_access_key_id=access_key_id,
                aws_secret_access_key=secret_access_key,
                config=config,
            )
        except ValueError as exc:  # botocore: "Invalid endpoint: ..."
            raise TargetError(f"the S3 endpoint URL cannot be used: {exc}") from None

    def check(self) -> None:
        store_call(f"s3://{self.bucket}", lambda: self.client.head_bucket(Bucket=self.bucket))

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Upload with Content-MD5: the server refuses a body cut short or damaged on the way
        instead of storing it (BadDigest: this publish fails the photo, the next sends it
        again). The ETag is not compared: with SSE-KMS it is not the MD5."""
        md5 = hashlib.md5(data, usedforsecurity=False).digest()
        self.client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentMD5=base64.b64encode(md5).decode("ascii"),
            ContentType=content_type,
            CacheControl=CACHE_CONTROL,
            **self._acl,
        )

    def delete(self, keys: Iterable[str]) -> None:
        """Delete up to 1,000 keys a request; a key S3 could not delete is an error (a quiet
        DeleteObjects still lists them), so nothing is forgotten that is still there."""
        batch = list(keys)
        for start in range(0, len(batch), 1000):
            chunk = [{"Key": k} for k in batch[start : start + 1000]]
            answer = self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": chunk, "Quiet": True}
            )
            errors = answer.get("Errors") or []
            if errors:
                first = errors[0]
                message = f"{len(errors)} object(s) not deleted, e.g. {first.get('Key')}: "
                message += str(first.get("Message") or "")
                error = {"Code": first.get("Code") or "DeleteFailed", "Message": message}
                from botocore.exceptions import ClientError

                raise ClientError({"Error": error}, "DeleteObjects")

    def list_objects(self) -> dict[str, int]:
        sizes: dict[str, int] = {}
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket):
            sizes.update((item["Key"], int(item["Size"])) for item in page.get("Contents", []))
        return sizes

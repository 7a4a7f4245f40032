"""One retry layer for S3 uploads: botocore's, S3_ATTEMPTS requests in all (it used to be a
loop of 4 around boto's own 2: 8 requests, and minutes of waiting, per failing upload)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from publisher.errors import StorageError
from publisher.storage import S3_ATTEMPTS, S3Store, store_call

_ERROR = "<Error><Code>{code}</Code><Message>{code} here</Message></Error>"


class _FailingS3(BaseHTTPRequestHandler):
    """Answers every request with the status and S3 error code the server was given."""

    def do_PUT(self) -> None:  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        server = self.server
        server.requests += 1  # type: ignore[attr-defined]
        body = _ERROR.format(code=server.code).encode()  # type: ignore[attr-defined]
        self.send_response(server.status)  # type: ignore[attr-defined]
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def failing_s3() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FailingS3)
    server.requests = 0  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _store(server: ThreadingHTTPServer) -> S3Store:
    return S3Store(
        "bucket",
        endpoint_url=f"http://127.0.0.1:{server.server_address[1]}",
        region="us-east-1",
        access_key_id="test",
        secret_access_key="test",
    )


@pytest.mark.parametrize(
    ("status", "code", "requests"),
    [(500, "InternalError", S3_ATTEMPTS), (403, "AccessDenied", 1)],
    ids=["transient", "permanent"],
)
def test_a_failing_upload_is_tried_once_per_attempt_then_named(
    failing_s3: ThreadingHTTPServer, status: int, code: str, requests: int
) -> None:
    failing_s3.status, failing_s3.code = status, code  # type: ignore[attr-defined]
    with pytest.raises(StorageError, match=code) as raised:
        store = _store(failing_s3)  # as publisher/upload.py calls it
        store_call("p/ab/cd.jpg", lambda: store.put("p/ab/cd.jpg", b"jpeg", "image/jpeg"))
    assert "p/ab/cd.jpg" in str(raised.value)
    assert failing_s3.requests == requests  # type: ignore[attr-defined]

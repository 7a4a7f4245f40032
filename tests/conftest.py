"""Fixtures shared by every test package: a fresh catalog, real PostgreSQL, real S3 (moto)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from catalog.catalog import Catalog

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "exif-samples"
TEST_DATA = Path(__file__).resolve().parent / "data"


class MemoryKeyring(KeyringBackend):
    """The system keyring's stand-in: headless machines have none."""

    priority = 1

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def _migrated_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated empty catalog per run; copying it is ~40x cheaper than migrating."""
    root = tmp_path_factory.mktemp("template") / "catalog"
    Catalog.open(root).close()
    return root


@pytest.fixture
def catalog(tmp_path: Path, _migrated_catalog: Path) -> Iterator[Catalog]:
    """A fresh, migrated catalog in a temporary folder."""
    root = tmp_path / "catalog"
    shutil.copytree(_migrated_catalog, root)
    with Catalog.open(root) as cat:
        yield cat


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared camera corpus; tests that need all of it skip when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the exif-samples corpus is not at {CORPUS}")
    return CORPUS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout_s}s")


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The running PostgreSQL server (never started by pytest: it refuses to run as root)."""
    return os.environ.get(
        "EXIFTREE_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty database on the real server for one test, dropped afterwards."""
    name = f"exiftree_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - report the server, not a traceback
        admin.dispose()
        pytest.fail(f"PostgreSQL at {postgres_server_url} is not usable: {exc}")
    yield make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class MotoServer:
    """A real S3 server (moto in server mode) on a free local port, in its own process."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def s3_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoServer]:
    """A fresh moto S3 server per test; credentials are moto's dummies."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    server = MotoServer()
    server.start()
    yield server
    server.stop()


# --- tiers: `make test-fast` leaves out what needs a server or a browser -----------------
_POSTGRES_FIXTURES = {"postgres_url", "postgres_server_url", "postgres_snap", "fresh_postgres_snap"}
_S3_FIXTURES = {"s3_server", "shared_moto"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the servers it uses, whether it asks for them by name or through a
    parametrised fixture (``site[s3]``, ``snap[postgres]``), so the tiers need no list."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        if names & _POSTGRES_FIXTURES or params.get("snap") == "postgres":
            item.add_marker(pytest.mark.postgres)
        if params.get("site") == "s3":
            item.add_marker(pytest.mark.postgres)
            item.add_marker(pytest.mark.s3)
        if names & _S3_FIXTURES:
            item.add_marker(pytest.mark.s3)

"""AI description throughput against the local OpenAI-compatible server, 300 ms per answer.

Measures, in the same run: photos/s with the default concurrency (Settings.ai_workers)
versus one request at a time (goal: >= 3.5x with 4 workers), and the number of requests
for a catalog already described (goal: 0). Throughput is timed from the first photo handed
to the pool to the last one finished; the one-off start-up (HTTP client, key lookup) is
printed apart.

    .venv/bin/python bench/ai.py [--photos 16] [--latency-ms 300]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from catalog.ai import all_ids, describe  # noqa: E402
from catalog.catalog import Catalog  # noqa: E402
from catalog.jobs import ItemOutcome, JobObserver  # noqa: E402
from catalog.settings import Settings  # noqa: E402
from tests.catalog.ai_fixtures import add_photo_with_thumb, ai_settings  # noqa: E402


class FakeEndpoint:
    """What ``ai_settings`` reads from a server: its URL, model and image size limit."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.model = "test-vision"
        self.max_image_px = 512


class _Clock(JobObserver):
    """Times the pool itself: from the first photo handed out to the last one finished."""

    def started(self, total: int | None) -> None:
        self.start = self.end = time.perf_counter()

    def item_finished(self, outcome: ItemOutcome) -> None:
        self.end = time.perf_counter()


def timed_run(
    catalog: Catalog, ids: list[str], settings: Settings, workers: int
) -> tuple[float, float]:
    """(photos per second, seconds of start-up before the first photo) for one run."""
    clock = _Clock()
    begin = time.perf_counter()
    result = describe(catalog, ids, settings=settings, workers=workers, observer=clock)
    assert result.described == len(ids), result
    return len(ids) / (clock.end - clock.start), clock.start - begin


class ServerProcess:
    """The fake endpoint in its own process: a real endpoint does not share our GIL."""

    def __init__(self, latency_ms: float, workdir: Path) -> None:
        port_file = workdir / "port"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.catalog.ai_server", "--latency-ms", str(latency_ms),
             "--port-file", str(port_file)],
            cwd=REPO,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while not port_file.exists():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("the AI test server did not start")
            time.sleep(0.05)
        self.root = f"http://127.0.0.1:{port_file.read_text()}"
        self.url = f"{self.root}/v1"

    def stats(self) -> dict:
        with urllib.request.urlopen(f"{self.root}/stats") as response:
            return json.load(response)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=16, help="photos per timed run")
    parser.add_argument("--latency-ms", type=float, default=300.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, Catalog.open(Path(tmp)) as catalog:
        server = ServerProcess(args.latency_ms, Path(tmp))
        try:
            settings = ai_settings(FakeEndpoint(server.url))
            serial = [add_photo_with_thumb(catalog).id for _ in range(args.photos)]
            pooled = [add_photo_with_thumb(catalog).id for _ in range(args.photos)]
            one, startup = timed_run(catalog, serial, settings, workers=1)
            many, _ = timed_run(catalog, pooled, settings, workers=settings.ai_workers)
            before = server.stats()["count"]
            again = describe(catalog, all_ids(catalog), settings=settings)
            stats = server.stats()
        finally:
            server.stop()
    repeat_requests = stats["count"] - before

    print(f"latency {args.latency_ms:.0f} ms, {args.photos} photos per run")
    print(f"1 worker:  {one:6.2f} photos/s")
    print(f"{settings.ai_workers} workers: {many:6.2f} photos/s")
    print(f"speed-up:  {many / one:6.2f}x (goal >= 3.5x)")
    print(f"start-up before the first photo (client, key lookup): {startup:.2f} s per run")
    print(f"already described: {again.cached} from cache, {repeat_requests} requests (goal 0)")
    assert not stats["violations"], stats["violations"]


if __name__ == "__main__":
    main()

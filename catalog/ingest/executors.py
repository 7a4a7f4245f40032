"""Where the CPU-bound stage runs: inline (tests, debugging) or in worker processes.

Processes, not threads: decoding and resizing hold the GIL often enough that threads do not
scale (../shared/notes/ingest-speed.md). At most two tasks per worker are in flight, so a
cancel takes effect within a couple of photos and memory stays flat. A worker that dies
(a decoder crash, the OOM killer) fails only the files it held; a fresh pool takes the rest.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection

from catalog.ingest import forkserver
from catalog.ingest.tasks import Failed, FileResult, FileStat, FileTask
from catalog.jobs import Cancel

IN_FLIGHT_PER_WORKER = 2


def worker_count(requested: int | None) -> int:
    """``None`` or 0: one worker per core."""
    return requested if requested and requested > 0 else (os.cpu_count() or 1)


def run_tasks(
    tasks: Sequence[FileTask],
    workers: int,
    known_hashes: frozenset[str],
    max_pixels: int,
    cancel: Cancel,
) -> Generator[FileResult, None, None]:
    """Each task's result as soon as it is ready (pool: in completion order). Closing the
    generator early (a full disk, an error in the caller) shuts the workers down."""
    if workers <= 1 or len(tasks) <= 1:
        from catalog.ingest.worker import process_file  # inline: the imaging libraries here

        for task in tasks:
            if cancel.is_set():
                return
            yield process_file(task, known_hashes, max_pixels)
        return
    remaining = list(tasks)
    while remaining and not cancel.is_set():
        remaining = yield from _run_pool(remaining, workers, known_hashes, max_pixels, cancel)


def _run_pool(
    tasks: list[FileTask],
    workers: int,
    known_hashes: frozenset[str],
    max_pixels: int,
    cancel: Cancel,
) -> Generator[FileResult, None, list[FileTask]]:
    """Run ``tasks`` on one pool; returns the tasks never started if the pool broke."""
    context = forkserver.context()
    # Each worker watches the read end; nothing is ever written. When this process ends,
    # however it ends (an error, kill -9), the write end closes and the workers exit.
    parent_alive, keep_open = context.Pipe(duplex=False)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(known_hashes, max_pixels, parent_alive),
    )
    try:
        return (yield from _feed(pool, tasks, workers, cancel))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        keep_open.close()
        parent_alive.close()


def _feed(
    pool: ProcessPoolExecutor, tasks: list[FileTask], workers: int, cancel: Cancel
) -> Generator[FileResult, None, list[FileTask]]:
    """Keep at most two tasks a worker in flight; yield results as they complete."""
    queue = iter(tasks)
    started = 0
    in_flight: dict[Future[FileResult], FileTask] = {}
    while True:
        while len(in_flight) < workers * IN_FLIGHT_PER_WORKER and not cancel.is_set():
            task = next(queue, None)
            if task is None:
                break
            started += 1
            try:
                in_flight[pool.submit(_process_in_worker, task)] = task
            except BrokenProcessPool:
                yield from _crashed([task, *in_flight.values()], cancel)
                return tasks[started:]
        if not in_flight:
            return []
        done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
        for future in done:
            task = in_flight.pop(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                yield from _crashed([task, *in_flight.values()], cancel)
                return tasks[started:]
            except Exception as exc:  # noqa: BLE001 - e.g. a result too big to send back
                reason = f"could not be processed: {type(exc).__name__}: {exc}"
                result = Failed(FileStat(task.path, 0, 0), reason)
            yield result


def _init_worker(known_hashes: frozenset[str], max_pixels: int, parent_alive: Connection) -> None:
    """Runs in a worker, where the forkserver has already imported the worker module: the
    parent names the worker's functions through this light module, so it never loads the
    imaging libraries itself (their ~1 s of CPU would be taken from the workers)."""
    from catalog.ingest.worker import init_worker

    init_worker(known_hashes, max_pixels, parent_alive)


def _process_in_worker(task: FileTask) -> FileResult:
    from catalog.ingest.worker import process_in_worker

    return process_in_worker(task)


def _crashed(tasks: list[FileTask], cancel: Cancel) -> Iterator[FileResult]:
    """The files a dead worker held. After Ctrl-C (a worker may die of the signal itself)
    they are simply not done: the next import takes them, nothing is marked failed."""
    if cancel.is_set():
        return
    for task in tasks:
        reason = "the decoder crashed (worker process died) on this file or one beside it"
        yield Failed(FileStat(task.path, 0, 0), reason)

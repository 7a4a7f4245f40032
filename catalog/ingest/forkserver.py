"""The worker processes' parent: a forkserver that has imported the worker module once.

Started as soon as an import knows it will use a pool, so that the forkserver's imports
(numpy, Pillow, exiv2, simplejpeg: ~0.2-0.4 s of CPU) run while this process imports its own
commit side, instead of one after the other before the first photo (issue 15: on two
cores that serial second was most of what kept two workers from twice one worker's speed).
Light on purpose: importing this module loads no imaging library.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver
from multiprocessing.context import BaseContext

WORKER_MODULE = "catalog.ingest.worker"


def context() -> BaseContext:
    """The forkserver context, preloading the worker module."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([WORKER_MODULE])
    return ctx


def start_early() -> None:
    """Start the forkserver now; it imports the worker module in the background (the
    first worker it forks waits for that, not this call)."""
    context()
    forkserver.ensure_running()

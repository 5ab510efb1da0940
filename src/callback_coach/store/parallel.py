"""Work spread over several processes, where the machine has the cores and it is safe.

Used where one command has thousands of independent pieces of work (reading every note
to build the index, rendering a large export). Results come back in the order of the
jobs, and at most a few jobs ahead of the one being consumed, so memory stays flat
however many jobs there are and however slowly the results are written out.

Workers are forked: they start at once with everything this process has imported and
set up (nothing is sent to them but each job). Where forking is not available or not
safe (Windows, a process running threads) or there is one core, the work runs here, in
order, with the same results.
"""

from __future__ import annotations

import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

_J = TypeVar("_J")
_R = TypeVar("_R")
MAX_WORKERS = 4


def worker_count() -> int:
    """How many processes can share the work (0: it stays in this process)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    if cores < 2 or sys.platform == "win32" or threading.active_count() > 1:
        return 0  # forking a threaded program is not safe
    return min(MAX_WORKERS, cores)


def ordered_map(function: Callable[[_J], _R], jobs: Iterable[_J]) -> Iterator[_R]:
    """`map(function, jobs)`, computed by forked workers when `worker_count()` allows:
    the same results in the same order. `function` must be a module-level function."""
    workers = worker_count()
    if workers == 0:
        yield from map(function, jobs)
        return
    import multiprocessing  # (about 10 ms: only for thousands of pieces of work)

    try:
        pool = multiprocessing.get_context("fork").Pool(workers)
    except (OSError, ValueError):
        yield from map(function, jobs)
        return
    with pool:  # closing the generator early (a closed pipe, Ctrl-C) stops the workers
        waiting: deque[AsyncResult[_R]] = deque()
        queue = iter(jobs)
        ahead = 2 * workers
        for job in queue:
            waiting.append(pool.apply_async(function, (job,)))
            if len(waiting) >= ahead:
                break
        while waiting:
            result = waiting.popleft().get()
            for job in queue:
                waiting.append(pool.apply_async(function, (job,)))
                break
            yield result

"""parallel.ordered_map: the results of map(), in order, never far ahead of the reader."""

from __future__ import annotations

import os

from callback_coach.store import parallel


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_results_come_in_order_and_ahead_by_a_few_jobs_at_most() -> None:
    pulled = 0

    def jobs():
        nonlocal pulled
        for n in range(200):
            pulled += 1
            yield n

    ahead = 2 * max(parallel.worker_count(), 1)  # (the pool's own threads come later)
    results = parallel.ordered_map(_square_and_pid, jobs())
    squares = []
    for square, _pid in results:
        squares.append(square)
        # Memory stays flat: only a few jobs are handed out beyond those read.
        assert pulled - len(squares) <= ahead
    assert squares == [n * n for n in range(200)]


def test_workers_do_the_work_where_the_machine_allows() -> None:
    pids = {pid for _, pid in parallel.ordered_map(_square_and_pid, range(50))}
    if parallel.worker_count() == 0:
        assert pids == {os.getpid()}
    else:
        assert os.getpid() not in pids


def test_a_reader_that_stops_early_stops_the_workers() -> None:
    results = parallel.ordered_map(_square_and_pid, range(10_000))
    assert next(results)[0] == 0
    results.close()  # a closed pipe: no hang, no stray processes left working
    import multiprocessing

    assert multiprocessing.active_children() == []

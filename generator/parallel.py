"""Two jobs at once on two cores: one in a forked process, one here.

A cold build of a large catalog spends seconds in work that splits cleanly (reading
half of the paper files, rendering half of the pages, computing the related papers
while the downloads are written). A forked child starts with everything this process
holds, so the job it runs needs no arguments sent to it: only its result comes back,
pickled. Each caller decides from how much work forking pays (`PARALLEL_FROM` in
`review.reading` and `site.paperpages`); with one core, or where fork does not exist,
both jobs run here, one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")

_inherited: Callable[[], object] | None = None
"""The job the child runs: set just before the fork, so the child finds it here."""


def _run_inherited() -> str:
    """In the child: run the job, pickle its result into a file, and send back the path.
    Sent through the pool, megabytes of result (the related papers' 14 MB at 10,000
    papers) reach this process by a thread that needs the interpreter lock for every
    chunk, while the main thread holds it rendering (`more`): the transfer took 0.7 s. A
    file is read at once, after the wait."""
    assert _inherited is not None
    result = _inherited()
    fd, path = tempfile.mkstemp(prefix="paper-index-", suffix=".pickle")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        os.unlink(path)
        raise
    return path


def _discard(future: Future[str]) -> None:
    """Wait for the child, and remove the file of its result if it made one: this process
    failed, and nothing will read it."""
    try:
        os.unlink(future.result())
    except BaseException:  # noqa: S110 - the child's own error: this process's is raised
        pass


def can_fork() -> bool:
    """True when a second process can run beside this one."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def beside(child: Callable[[], A], here: Callable[[], B],
           more: Callable[[], bool] = lambda: False) -> tuple[A, B]:
    """(child(), here()), `child` run by a forked process while this one runs `here`.
    `child` must return something picklable and change nothing this process needs: its
    changes stay in the child. Its exception is raised here, after `here` finished.
    `more`: one more piece of work this process would do later anyway, called again and
    again after `here` while the child is still running, until it returns False: the
    time otherwise spent waiting for the child."""
    global _inherited
    if not can_fork():
        return child(), here()
    _inherited = child
    try:
        with ProcessPoolExecutor(max_workers=1,
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            future = pool.submit(_run_inherited)  # forks now, with _inherited set
            try:
                mine = here()
                while not future.done() and more():
                    pass
            except BaseException:
                _discard(future)
                raise
            path = future.result()
        try:
            with open(path, "rb") as handle:
                theirs = pickle.load(handle)  # noqa: S301 - written by our own child just now
        finally:
            os.unlink(path)
    finally:
        _inherited = None
    return theirs, mine  # type: ignore[return-value]

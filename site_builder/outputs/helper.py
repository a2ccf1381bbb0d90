"""A second process for a full build's own work, on the core Pagefind leaves free.

The build's process is the busier one (MkDocs renders every page in it); work that needs no MkDocs
and returns little (Pagefind's requests while pages are made, half of the link check at the end) is
handed to one spawned helper process made at the start of a full build. Where none can be started
(no semaphores in some containers), or it has died, that work is done in the build's process, as
before; the results are the same either way.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def helper_process() -> ProcessPoolExecutor | None:
    """The helper, started at once (it imports while the build goes on), or None."""
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        pool.submit(int)  # starts the process now, not when the first work is sent
    except (OSError, NotImplementedError, ImportError, RuntimeError):
        return None
    return pool

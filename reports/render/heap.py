"""Keep Python's cyclic garbage collector off the objects a document is made from.

Rendering a document (a PDF layout, a chart) creates and drops many small
objects, so the collector runs often, and now and then it walks every object
of the process: with a run's data and metrics loaded, one such walk costs a
leadership PDF about a quarter of a second, more with more accounts. Those
objects outlive the document anyway. :func:`new_objects_only` sets them
aside (``gc.freeze``) while a document is made, so collections look only at
what the document creates, and hands them back (``gc.unfreeze``) afterwards:
nothing is kept that would otherwise be freed. Both calls take constant time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def new_objects_only() -> Iterator[None]:
    """Within the block, garbage collections consider only objects created inside it."""
    if gc.get_freeze_count():  # an enclosing block already set the older objects aside
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()

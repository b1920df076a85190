"""new_objects_only: older objects are set aside while a document is made, and handed back."""

from __future__ import annotations

import gc
import weakref

from reports.render.heap import new_objects_only


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def make_cycle() -> weakref.ref:
    a, b = Node(), Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_older_garbage_waits_until_the_block_ends_and_is_then_freed() -> None:
    gc.collect()
    older = make_cycle()  # garbage already, but only the cyclic collector can free it
    with new_objects_only():
        assert gc.get_freeze_count() > 0
        newer = make_cycle()
        gc.collect()
        assert older() is not None  # set aside: not looked at
        assert newer() is None  # made inside the block: collected
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert older() is None  # handed back: nothing kept that would otherwise be freed


def test_a_nested_block_leaves_the_outer_one_in_force() -> None:
    with new_objects_only():
        with new_objects_only():
            pass
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_the_block_hands_objects_back_when_it_raises() -> None:
    try:
        with new_objects_only():
            raise ValueError("boom")
    except ValueError:
        pass
    assert gc.get_freeze_count() == 0

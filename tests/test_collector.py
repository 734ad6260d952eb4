"""The cyclic collector paused while isodocs builds its long-lived objects."""

from __future__ import annotations

import gc

from isodocs.readers.collector import collector_paused


def test_no_collection_inside_and_the_collector_as_it_was_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        kept = [[index] for index in range(50_000)]  # containers: tracked by the collector
        assert gc.get_count()[0] >= 50_000  # nothing collected them meanwhile
    assert gc.isenabled()
    # What was allocated went to the oldest generation untraversed: no collection is due over
    # it, and nothing stays frozen (frozen objects are never collected).
    assert gc.get_count()[0] < 1_000
    assert gc.get_freeze_count() == 0
    assert len(kept) == 50_000


def test_a_disabled_collector_stays_disabled():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_garbage_cycles_made_inside_are_still_collected_later():
    class Node:
        pass

    with collector_paused():
        first, second = Node(), Node()
        first.other, second.other = second, first  # a cycle refcounting cannot free
        del first, second
    assert gc.collect() >= 2

"""The trend views' results, drawn once per data version and kept in each web worker's memory.

A view's results block (its numbers, chart, table and, on the dashboard, the signals) depends
only on the trend data, the names of cities, committees and topics, the request's filters, the
cities the viewer may see, the day and the county's zone. The data version
(`jcpp.trends.data_version`) is written anew by every change to the first two, so a block drawn
for a key holding the version read before drawing it can be given to every later request with the
same key: a change makes a new version and with it a new key, and the old block is never read
again (it leaves the cache as newer ones come in). Before any change was recorded (version
"none") nothing is kept.

The key also names the database, so that one process serving several databases (the tests) never
mixes them. Blocks are kept least recently used first out, up to MAX_BYTES of text per worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from cachetools import LRUCache
from sqlmodel import Session

from jcpp.config import get_settings
from jcpp.trends import data_version

MAX_BYTES = 16 * 2**20

_lock = threading.Lock()
_kept: LRUCache[tuple[Hashable, ...], str] = LRUCache(maxsize=MAX_BYTES, getsizeof=len)


def block(session: Session, key: tuple[Hashable, ...], draw: Callable[[], str]) -> str:
    """The block of `key` drawn at the data version now: kept, or drawn by `draw` and kept."""
    version = data_version.current(session)
    if version == "none":
        return draw()
    database = session.get_bind().engine.url.render_as_string(hide_password=True)
    full = (database, version, str(get_settings().zone), key)
    with _lock:
        kept = _kept.get(full)
    if kept is not None:
        return kept
    drawn = draw()
    if len(drawn) <= MAX_BYTES:
        with _lock:
            _kept[full] = drawn
    return drawn

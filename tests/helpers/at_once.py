"""Work run on threads at once, taking turns as often as the interpreter lets them: where a race
between threads that share state would show."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable


def run_at_once(work: Callable[[int], None], count: int) -> None:
    """``work(k)`` for k in range(``count``), each on a thread of its own, all at once."""
    switching = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switching)

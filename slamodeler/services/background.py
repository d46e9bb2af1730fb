"""What a re-pricing thread of the desktop does before its job: ``yield_to_others``, so that it
runs below the thread that draws, as the engine's pool threads do (``engine.threads``), now that
a job's thread takes its share of the engine's array work."""

from __future__ import annotations

from slamodeler.engine.threads import yield_to_others

__all__ = ["yield_to_others"]

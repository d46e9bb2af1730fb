"""JSON read back from the workspace file: text that the program wrote, unless someone edited
the file behind its back. Such text is reported as damage naming what holds it, never parsed
into a traceback (nested thousands deep, Python's parser runs out of stack)."""

from __future__ import annotations

import json
from typing import Any

from slamodeler.domain.errors import InputError


def loads(text: str, what: str) -> Any:
    """``text`` parsed, or InputError naming ``what`` (e.g. "cloud@2's terms")."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else "not JSON"
        raise InputError(
            f"{what}: the stored data is damaged ({reason}); the workspace file was changed "
            "outside SLA Modeler: restore it from a backup"
        ) from None

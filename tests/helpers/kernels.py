"""A compiled kernel made to count its calls, so that a test comparing it with the numpy path
can check it ran (and is not comparing numpy with itself)."""

from __future__ import annotations

import pytest

from slamodeler.engine import compiled_kernels


def counting_kernel(monkeypatch: pytest.MonkeyPatch, name: str) -> list[int]:
    """``compiled_kernels.<name>()``'s kernel, counting each call into the list returned."""
    kernel = getattr(compiled_kernels, name)()
    assert kernel is not None, "numba is a dependency: the compiled kernel must load here"
    calls: list[int] = []

    def counted(*args):  # type: ignore[no-untyped-def]
        calls.append(1)
        return kernel(*args)

    monkeypatch.setattr(compiled_kernels, name, lambda: counted)
    return calls

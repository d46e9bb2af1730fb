"""Connecting to a Dask scheduler (`simulate --dask ADDRESS`) without trusting the address:
its form is checked before any connection, and the scheduler must answer Dask's identity call
within the timeout. Dask's own client waits forever on a peer that accepts and never answers,
and reads an HTTP answer as a frame length of exabytes."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from slamodeler.domain.errors import InputError

TIMEOUT_SECONDS = 5.0
SCHEMES = ("tcp", "tls", "ws", "wss")
_ADDRESS = re.compile(
    r"^(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?"
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)"
    r":(?P<port>\d{1,5})$"
)
FORM = f"{' or '.join(s + '://HOST:PORT' for s in SCHEMES)}, e.g. tcp://10.0.0.5:8786"


def checked_address(address: str) -> str:
    """``address`` with its scheme (tcp when none is given), or InputError saying the form."""
    found = _ADDRESS.match(address.strip())
    if not found:
        raise InputError(f"--dask {address!r}: not a scheduler address; write {FORM}")
    scheme = found["scheme"] or "tcp"
    host = found["host"]
    if not host.startswith("[") and (
        len(host) > 253 or not all(1 <= len(label) <= 63 for label in host.split("."))
    ):
        raise InputError(
            f"--dask {address!r}: not a host name (each part between dots is 1 to 63 "
            f"characters, 253 in all); write {FORM}"
        )
    if scheme not in SCHEMES:
        raise InputError(f"--dask {address!r}: unknown scheme {scheme!r}; write {FORM}")
    if not 1 <= int(found["port"]) <= 65535:
        raise InputError(f"--dask {address!r}: the port must be 1 to 65535; write {FORM}")
    return f"{scheme}://{found['host']}:{found['port']}"


def client_for(address: str, seconds: float = TIMEOUT_SECONDS) -> Any:
    """A ``distributed.Client`` on the scheduler at ``address``, once it has answered."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "--dask needs the optional Dask support: pip install 'slamodeler[dask]'"
        ) from None
    url = checked_address(address)
    _identify(url, address, seconds)
    try:
        return Client(url, timeout=seconds)
    except OSError as exc:
        raise InputError(f"--dask {address}: cannot reach the Dask scheduler ({exc})") from None


def _identify(url: str, address: str, seconds: float) -> None:
    """Ask the peer who it is. First whether anything accepts a connection there (refused or
    unreachable: "cannot reach", at once), then Dask's identity call, bounded by ``seconds``
    (a peer that accepts and stays silent: "no answer"). Dask's own connect retries a refused
    connection until its timeout, which raced the exchange's deadline for the message."""
    from distributed.comm import connect

    found = _ADDRESS.match(url)
    assert found is not None  # checked_address made it
    host, port = found["host"].strip("[]"), int(found["port"])

    async def accepts() -> None:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), seconds)
        writer.close()

    async def identity() -> object:
        comm = await connect(url, timeout=seconds)
        try:
            await comm.write({"op": "identity"})
            return await comm.read()
        finally:
            comm.abort()

    try:
        asyncio.run(accepts())
    except (OSError, TimeoutError) as exc:
        reason = exc if isinstance(exc, OSError) else f"no connection within {seconds:g} s"
        raise InputError(f"--dask {address}: cannot reach the Dask scheduler ({reason})") from None
    try:
        answer = asyncio.run(asyncio.wait_for(identity(), seconds))
    except TimeoutError:
        raise InputError(
            f"--dask {address}: no answer from a Dask scheduler within {seconds:g} s"
        ) from None
    except OSError as exc:
        raise InputError(f"--dask {address}: cannot reach the Dask scheduler ({exc})") from None
    except Exception:  # whatever a foreign peer's bytes make of Dask's reader
        answer = None
    if not isinstance(answer, dict) or answer.get("type") != "Scheduler":
        raise InputError(
            f"--dask {address}: the peer there does not answer as a Dask scheduler (a "
            "dashboard or web port? schedulers listen on port 8786 unless told otherwise)"
        )

"""Block outbound (non-loopback) network access during tests.

Usage from a conftest::

    from tests.support import netguard

    def pytest_configure(config):
        netguard.install()

    def pytest_unconfigure(config):
        netguard.uninstall()

(or load this module as a plugin: ``-p tests.support.netguard`` / ``pytest_plugins``;
its ``pytest_configure``/``pytest_unconfigure`` hooks do the same.)

Patched: ``socket.socket.connect`` / ``connect_ex`` / ``sendto``,
``socket.create_connection``, ``socket.getaddrinfo``, ``socket.gethostbyname``
and ``socket.gethostbyname_ex``.  Allowed: AF_UNIX (and other non-inet
families), 127.0.0.0/8, ::1, ::ffff:127.x, 0.0.0.0 / :: (local), and the
host names "localhost", "*.localhost", "ip6-localhost", "ip6-loopback" and
this machine's own hostname (resolution only).  Any other target raises
:class:`NetworkBlockedError` ("network access blocked in tests: <addr>").

``NetworkBlockedError`` subclasses both ``RuntimeError`` and ``OSError``:
``pytest.raises(RuntimeError)`` works, and libraries that handle connection
failures (httpx -> ``httpx.ConnectError`` -> ``openai.APIConnectionError``,
requests, telemetry threads) degrade as if offline instead of crashing with an
unexpected exception type.  The message always names the blocked address.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from typing import Any

__all__ = [
    "NetworkBlockedError",
    "install",
    "uninstall",
    "is_installed",
    "is_local_host",
    "blocked_attempts",
]


class NetworkBlockedError(RuntimeError, OSError):
    """Raised when a test tries to reach a non-loopback address."""


_lock = threading.RLock()
_originals: dict | None = None
_attempts: list[str] = []
_own_hostnames: set = set()

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def blocked_attempts() -> list[str]:
    """Addresses blocked since install() (copy; cleared on install())."""
    with _lock:
        return list(_attempts)


def is_installed() -> bool:
    return _originals is not None


def _host_str(host: Any) -> str:
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("idna", "replace")
    return str(host).strip()


def is_local_host(host: Any, *, allow_own_hostname: bool = False) -> bool:
    """True for loopback/unspecified IP literals and local host names."""
    if host is None:
        return True  # e.g. getaddrinfo(None, port) for binding
    h = _host_str(host).lower().rstrip(".")
    if h == "":
        return True  # INADDR_ANY
    if h.startswith("[") and h.endswith("]"):
        h = h[1:-1]
    h = h.split("%", 1)[0]  # strip IPv6 zone id
    try:
        ip = ipaddress.ip_address(h)
    except ValueError:
        if h in _LOCAL_NAMES or h.endswith(".localhost"):
            return True
        return allow_own_hostname and h in _own_hostnames
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified


def _is_ip_literal(host: Any) -> bool:
    h = _host_str(host).strip("[]").split("%", 1)[0]
    try:
        ipaddress.ip_address(h)
        return True
    except ValueError:
        return False


def _blocked(what: Any) -> NetworkBlockedError:
    msg = f"network access blocked in tests: {what}"
    with _lock:
        _attempts.append(str(what))
    return NetworkBlockedError(msg)


def _check_sock_address(family: int, address: Any) -> None:
    if family not in (socket.AF_INET, socket.AF_INET6):
        return  # AF_UNIX, AF_NETLINK, ... are local
    if not isinstance(address, tuple) or not address:
        return  # let the real call raise its own TypeError
    host = address[0]
    if not is_local_host(host):
        port = address[1] if len(address) > 1 else "?"
        raise _blocked(f"{_host_str(host)}:{port}")


# ------------------------------------------------------------------ patched callables


def _connect(self, address, *args, **kwargs):
    _check_sock_address(self.family, address)
    return _originals["connect"](self, address, *args, **kwargs)


def _connect_ex(self, address, *args, **kwargs):
    _check_sock_address(self.family, address)
    return _originals["connect_ex"](self, address, *args, **kwargs)


def _sendto(self, data, *args):
    # sendto(data, address) or sendto(data, flags, address)
    if args:
        _check_sock_address(self.family, args[-1])
    return _originals["sendto"](self, data, *args)


def _create_connection(address, *args, **kwargs):
    host = address[0] if isinstance(address, tuple) and address else None
    if host is not None and not is_local_host(host):
        port = address[1] if len(address) > 1 else "?"
        raise _blocked(f"{_host_str(host)}:{port}")
    return _originals["create_connection"](address, *args, **kwargs)


def _check_resolve(host: Any, port: Any = None) -> None:
    # IP literals need no DNS; connecting to them is checked by connect().
    if host is None or _is_ip_literal(host):
        return
    if not is_local_host(host, allow_own_hostname=True):
        raise _blocked(f"{_host_str(host)}:{port}" if port is not None else _host_str(host))


def _getaddrinfo(host, port, *args, **kwargs):
    _check_resolve(host, port)
    return _originals["getaddrinfo"](host, port, *args, **kwargs)


def _gethostbyname(hostname):
    _check_resolve(hostname)
    return _originals["gethostbyname"](hostname)


def _gethostbyname_ex(hostname):
    _check_resolve(hostname)
    return _originals["gethostbyname_ex"](hostname)


# ------------------------------------------------------------------ install / uninstall


def install() -> None:
    """Patch the socket module (idempotent)."""
    global _originals
    with _lock:
        if _originals is not None:
            return
        try:
            own = socket.gethostname()
            _own_hostnames.update({own.lower(), own.lower().split(".", 1)[0]})
        except OSError:
            pass
        _attempts.clear()
        _originals = {
            "connect": socket.socket.connect,
            "connect_ex": socket.socket.connect_ex,
            "sendto": socket.socket.sendto,
            "create_connection": socket.create_connection,
            "getaddrinfo": socket.getaddrinfo,
            "gethostbyname": socket.gethostbyname,
            "gethostbyname_ex": socket.gethostbyname_ex,
        }
        socket.socket.connect = _connect
        socket.socket.connect_ex = _connect_ex
        socket.socket.sendto = _sendto
        socket.create_connection = _create_connection
        socket.getaddrinfo = _getaddrinfo
        socket.gethostbyname = _gethostbyname
        socket.gethostbyname_ex = _gethostbyname_ex


def uninstall() -> None:
    """Restore the original socket functions (idempotent)."""
    global _originals
    with _lock:
        if _originals is None:
            return
        o = _originals
        # socket.socket.connect & co. are inherited from _socket.socket: drop
        # our override if the original was the inherited one, else restore it.
        for name in ("connect", "connect_ex", "sendto"):
            if getattr(socket.socket, name) is not globals()["_" + name]:
                continue  # someone else re-patched on top of us; leave theirs
            if name in socket.socket.__dict__ and o[name] is getattr(socket.socket.__mro__[1], name, None):
                delattr(socket.socket, name)
            else:
                setattr(socket.socket, name, o[name])
        for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
            if getattr(socket, name) is globals()["_" + name]:
                setattr(socket, name, o[name])
        _originals = None


# ------------------------------------------------------------------ pytest plugin hooks


def pytest_configure(config):  # pragma: no cover - used when loaded with -p
    install()


def pytest_unconfigure(config):  # pragma: no cover
    uninstall()

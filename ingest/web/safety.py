"""What may be fetched at all: http(s) addresses only, and, unless private
networks are allowed, only hosts whose every address is public. The UI refuses
loopback, private, link-local (cloud metadata), shared and reserved ranges, so
an editor's link cannot make the server read an internal service."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urldefrag, urlsplit

from rag.errors import WebError

SCHEMES = ("http", "https")


def normalise_url(url: str) -> str:
    """The address as given, trimmed and without its #fragment; WebError for
    anything that is not an http(s) address with a host."""
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (raises ValueError for a port that is not one)
    except ValueError as exc:
        raise WebError(f"{text}: not a valid web address ({exc})", code="web_bad_url",
                       url=text) from exc
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise WebError(f"{text or '(empty)'}: not a web address (it must start with http:// or "
                       "https://)", code="web_bad_url", url=text)
    return urldefrag(text)[0]


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _not_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast


def check_public(url: str) -> None:
    """WebError unless every address the URL's host resolves to is public."""
    host = host_of(url)
    port = urlsplit(url).port or (443 if url.lower().startswith("https") else 80)
    try:
        addresses = {ipaddress.ip_address(host.strip("[]"))}
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
        except OSError as exc:
            raise WebError(f"{url}: the host {host} could not be found ({exc})",
                           code="web_dns", url=url, host=host) from exc
        addresses = {ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos}
    for address in sorted(addresses, key=str):
        if _not_public(address):
            raise WebError(
                f"{url}: {host} is on a loopback, private or link-local network ({address}); "
                "such addresses are refused here (RAG_WEB__ALLOW_PRIVATE=true allows them)",
                code="web_private", url=url, host=host, address=str(address))

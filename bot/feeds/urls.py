"""URL helpers for the feed engine: normalisation for dedupe and SSRF address classification.

``normalize_url`` and ``normalize_title`` give the comparison keys the store uses to spot the
same story twice. ``blocked_address_reason`` says why an IP address must never be fetched
(loopback, private, link-local, cloud metadata, ...); the network edge (``fetch.py``) calls it
after DNS resolution. Everything here is pure.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Query parameters that only track the reader and never change the page.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "cmpid",
        "ocid",
        "smid",
        "sr_share",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "spm",
        "at_medium",
        "at_campaign",
    }
)
_TRACKING_PREFIXES = ("utm_", "itm_", "pk_", "mtm_", "hsa_", "__twitter")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in _TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def normalize_url(url: str) -> str:
    """Return a comparison key for ``url``: the same article gives the same key.

    Lower-cases scheme and host, drops the default port, the fragment, tracking parameters
    (utm_*, fbclid, gclid, mc_cid, ref, ...), an empty query and a trailing "/" on the bare host,
    and sorts the remaining query parameters. A string that is not a URL is returned stripped.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text
    scheme = parts.scheme.lower()
    if not parts.netloc:
        return urlunsplit((scheme, "", parts.path, parts.query, ""))
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    netloc = host
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{host}"
    if port is not None and _DEFAULT_PORTS.get(scheme) != port:
        netloc = f"{netloc}:{port}"
    pairs = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(name)
    ]
    pairs.sort()
    query = urlencode(pairs)
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


_PUNCT_OR_SPACE = re.compile(r"[\W_]+", re.UNICODE)


def normalize_title(title: str) -> str:
    """Return a comparison key for a title: NFKC, casefolded, punctuation and spaces removed."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return _PUNCT_OR_SPACE.sub("", folded)


# Networks that are globally routable according to ``ipaddress`` but must still be refused.
_EXTRA_BLOCKED = (
    ipaddress.ip_network("100.64.0.0/10"),  # carrier-grade NAT (Alibaba metadata lives here)
    ipaddress.ip_network("192.0.0.0/24"),  # IETF protocol assignments
    ipaddress.ip_network("198.18.0.0/15"),  # benchmarking
    ipaddress.ip_network("255.255.255.255/32"),
    ipaddress.ip_network("fd00:ec2::254/128"),  # AWS metadata over IPv6 (also inside fc00::/7)
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address tunnelled inside an IPv6 one (mapped, 6to4, Teredo, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    # IPv4-compatible form ::a.b.c.d (deprecated, but some stacks still route it).
    if int(address) >> 32 == 0 and int(address) > 1:
        return ipaddress.IPv4Address(int(address))
    return None


def blocked_address_reason(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched ("loopback", "private", ...), or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return "scoped IPv6"
        inner = _embedded_ipv4(address)
        if inner is not None:
            reason = blocked_address_reason(inner)
            if reason is not None:
                return f"{reason} (embedded in IPv6)"
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local or cloud metadata", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    )
    for reason, hit in checks:
        if hit:
            return reason
    if any(address in network for network in _EXTRA_BLOCKED):
        return "special-purpose"
    if not address.is_global:
        return "not globally routable"
    return None


def parse_ip(host: str) -> IPAddress | None:
    """``host`` as an IP address when it is a literal one (brackets and zone allowed), else None."""
    text = host.strip().strip("[]")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def host_allowed(host: str, allow_hosts: frozenset[str]) -> bool:
    """True when an admin allow-listed ``host`` (case-insensitive, trailing dot ignored)."""
    if not allow_hosts:
        return False
    wanted = host.strip().strip("[]").rstrip(".").lower()
    return any(wanted == allowed.strip().strip("[]").rstrip(".").lower() for allowed in allow_hosts)

"""Behind a reverse proxy: trust X-Forwarded-For/-Proto only from the configured proxies.

``KINERJA_TRUSTED_PROXY`` lists the proxy's address(es) or networks (``127.0.0.1``,
``10.0.0.5,10.0.0.6`` or ``10.0.0.0/24``). For a request whose peer is one of them, waitress
takes the client address (REMOTE_ADDR, used by the login lockout and the audit log) from the
last X-Forwarded-For entry and the scheme (``https``, so secure cookies, CSRF and
SECURE_PROXY_SSL_HEADER work) from X-Forwarded-Proto. From any other peer these headers are
removed before Django sees them, so nobody can forge them by talking to the server directly.
"""

from __future__ import annotations

import ipaddress

TRUSTED_HEADERS = {"x-forwarded-for", "x-forwarded-proto"}


def _networks(entries: list[str]) -> list:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry]


def _is_trusted(peer: str, networks: list) -> bool:
    try:
        address = ipaddress.ip_address(peer.split("%", 1)[0])
    except ValueError:
        return False
    return any(address in network for network in networks)


def behind_proxies(application, trusted: list[str]):
    """Wrap a WSGI ``application``: proxy headers apply from ``trusted`` peers only and are
    cleared from everyone else (pass ``clear_untrusted_proxy_headers=False`` to waitress,
    this does it)."""
    from waitress.proxy_headers import proxy_headers_middleware

    networks = _networks(trusted)
    from_proxy = proxy_headers_middleware(
        application,
        trusted_proxy="*",
        trusted_proxy_count=1,
        trusted_proxy_headers=TRUSTED_HEADERS,
        clear_untrusted=True,
    )
    direct = proxy_headers_middleware(application, trusted_proxy=None, clear_untrusted=True)

    def dispatch(environ, start_response):
        peer = environ.get("REMOTE_ADDR", "")
        app = from_proxy if networks and _is_trusted(peer, networks) else direct
        return app(environ, start_response)

    return dispatch

"""The suite's loopback-only guard (tests/conftest.py) really refuses the network."""

from __future__ import annotations

import socket

import pytest


def test_the_guard_refuses_names_and_remote_addresses() -> None:
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("news.example.org", 443)
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        with pytest.raises(OSError, match="only loopback"):
            probe.connect(("192.0.2.1", 53))  # TEST-NET-1: refused before any packet
    finally:
        probe.close()
    assert socket.getaddrinfo("127.0.0.1", 80)

"""normalize_url / normalize_title for dedupe, and the SSRF address classification."""

from __future__ import annotations

import ipaddress

import pytest

from bot.feeds.urls import blocked_address_reason, host_allowed, normalize_title, normalize_url, parse_ip


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://News.Example.COM:80/a/b", "http://news.example.com/a/b"),
        ("https://news.example.com:443/a", "https://news.example.com/a"),
        ("https://news.example.com:8443/a", "https://news.example.com:8443/a"),
        ("https://news.example.com", "https://news.example.com/"),
        ("https://news.example.com/a#comments", "https://news.example.com/a"),
        (
            "https://news.example.com/a?utm_source=rss&utm_medium=feed&id=7&fbclid=X&gclid=Y",
            "https://news.example.com/a?id=7",
        ),
        ("https://news.example.com/a?mc_cid=1&mc_eid=2&ref=home", "https://news.example.com/a"),
        ("https://news.example.com/a?b=2&a=1", "https://news.example.com/a?a=1&b=2"),
        ("https://news.example.com/a?", "https://news.example.com/a"),
        ("https://news.example.com./A/Case", "https://news.example.com/A/Case"),
        ("  https://news.example.com/a  ", "https://news.example.com/a"),
        ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_normalize_url_keeps_meaningful_params_and_paths_distinct() -> None:
    assert normalize_url("https://e.example/story?id=1") != normalize_url("https://e.example/story?id=2")
    assert normalize_url("https://e.example/a") != normalize_url("https://e.example/b")


def test_normalize_url_tolerates_non_urls() -> None:
    assert normalize_url("not a url") == "not a url"
    assert normalize_url("http://[broken/") == "http://[broken/"


def test_normalize_title() -> None:
    assert normalize_title("  Storm Closes the Pass! ") == normalize_title("storm closes the pass")
    assert normalize_title("“Quoted” — title…") == "quotedtitle"
    assert normalize_title("ＦＵＬＬＷＩＤＴＨ") == "fullwidth"
    assert normalize_title("Straße") == normalize_title("STRASSE")
    assert normalize_title("Gaza ceasefire") != normalize_title("Gaza cease fire talks")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.0.0.5",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.100.100.200",
        "0.0.0.0",
        "224.0.0.251",
        "255.255.255.255",
        "240.0.0.1",
        "198.18.0.1",
        "::1",
        "::",
        "fc00::1",
        "fd00:ec2::254",
        "fe80::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:c0a8:0101::1",
        "::127.0.0.1",
    ],
)
def test_blocked_addresses(address: str) -> None:
    assert blocked_address_reason(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses(address: str) -> None:
    assert blocked_address_reason(ipaddress.ip_address(address)) is None


def test_reasons_are_readable() -> None:
    assert blocked_address_reason(ipaddress.ip_address("127.0.0.1")) == "loopback"
    assert "link-local" in str(blocked_address_reason(ipaddress.ip_address("169.254.169.254")))
    assert "embedded" in str(blocked_address_reason(ipaddress.ip_address("::ffff:10.0.0.1")))


def test_parse_ip_and_allow_list() -> None:
    assert parse_ip("[::1]") == ipaddress.ip_address("::1")
    assert parse_ip("example.com") is None
    assert host_allowed("LocalHost.", frozenset({"localhost"}))
    assert host_allowed("127.0.0.1", frozenset({"127.0.0.1"}))
    assert not host_allowed("127.0.0.2", frozenset({"127.0.0.1"}))
    assert not host_allowed("localhost", frozenset())

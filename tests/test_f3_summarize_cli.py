"""`python -m bot summarize`: plain text and Markdown files and text/plain URLs are summarised,
posts.quotes_per_post is honoured, an empty source gets a usage line, and page-parsing
libraries do not log at the user. Texts are written for these tests; HTTP is loopback only."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from bot.__main__ import summarize_one
from tests.support import STORY_PARAGRAPHS, LoopbackServer, article_html, test_settings

REPO = Path(__file__).resolve().parents[1]
STORY = "\n\n".join(STORY_PARAGRAPHS)
MARKDOWN = "# Port Avalon closes its ferry terminal\n\n" + "\n\n".join(
    f"> {p}" if p.startswith("\u201c") else p for p in STORY_PARAGRAPHS
)


def quote_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("  \u201c")]


@pytest.mark.parametrize(("name", "text"), [("story.txt", STORY), ("story.md", MARKDOWN)])
async def test_local_text_and_markdown_files_are_summarised(
    name: str, text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert await summarize_one(test_settings(tmp_path), str(path)) == 0
    out = capsys.readouterr().out
    assert "ferry terminal" in out and "#" not in out.split("\n\n", 1)[1]
    assert any("Okonkwo-Hale" in line for line in quote_lines(out))


async def test_text_plain_url_is_summarised(
    server: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.set("/story.txt", STORY, content_type="text/plain")
    assert await summarize_one(test_settings(tmp_path), server.url("/story.txt")) == 0
    out = capsys.readouterr().out
    assert "ferry terminal" in out and quote_lines(out)


@pytest.mark.parametrize("per_post", [0, 1, 2])
async def test_quotes_per_post_is_honoured(
    per_post: int, server: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server.set("/ferry", article_html("Ferry terminal closes", STORY_PARAGRAPHS),
               content_type="text/html")
    settings = test_settings(tmp_path, quotes_per_post=per_post)
    assert await summarize_one(settings, server.url("/ferry")) == 0
    assert len(quote_lines(capsys.readouterr().out)) == per_post


async def _run_cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    config = tmp_path / "cli.toml"
    config.write_text(
        f'[bot]\ndata_dir = "{tmp_path.as_posix()}"\n[fetch]\nallow_hosts = ["127.0.0.1"]\n',
        encoding="utf-8",
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "summarize", *args,
        cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_cli_empty_source_gets_a_usage_line(tmp_path: Path) -> None:
    code, out, err = await _run_cli(tmp_path, "")
    assert code == 2 and out == ""
    assert err.strip() == (
        "Usage: python -m bot summarize "
        "<article URL, file:// URL or local HTML, text or Markdown file>"
    )


async def test_cli_non_article_shows_our_message_without_library_logs(tmp_path: Path) -> None:
    page = tmp_path / "blank.html"
    page.write_bytes(b"\x00\x01<html><body><div></div></body></html>")
    code, out, err = await _run_cli(tmp_path, str(page))
    assert code == 1 and out == ""
    assert err.strip() == f"Could not read {page}: no article text found at {page}"

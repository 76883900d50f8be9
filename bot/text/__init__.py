"""Pure text processing: sentences, clean-up, summaries, quotes. No I/O, no asyncio, no chat imports."""

"""Newsbot: watches news feeds, posts extractive summaries with attributed quotes, answers who-said."""

__version__ = "0.1.0"

"""The platform-neutral core: pipeline, commands, poller."""

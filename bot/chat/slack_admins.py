"""Who may manage feeds in a Slack workspace: workspace admins and owners, or configured IDs.

``AdminCheck`` asks users.info for the admin/owner flags and usergroups.users.list for the
configured user groups ("S..." IDs); configured user IDs are admins outright. Answers are
cached for a few minutes; any API failure means "not an admin" (fail closed).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import aiohttp
from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

ADMIN_CACHE_SECONDS = 300.0


class AdminCheck:
    """Who may manage feeds: workspace admins/owners (users.info), or configured user/group IDs.

    Answers are cached for a few minutes; any API failure means "not an admin" (fail closed).
    """

    def __init__(self, client: AsyncWebClient, allowed: frozenset[str],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.users = frozenset(a for a in allowed if not a.startswith("S"))
        self.groups = frozenset(a for a in allowed if a.startswith("S"))
        self.clock = clock
        self._cache: dict[str, tuple[float, bool]] = {}

    async def is_admin(self, user: str) -> bool:
        """Whether ``user`` (a Slack user ID) may manage feeds."""
        if user in self.users:
            return True
        cached = self._cache.get(user)
        if cached is not None and cached[0] > self.clock():
            return cached[1]
        allowed = await self._workspace_admin(user) or await self._in_admin_group(user)
        self._cache[user] = (self.clock() + ADMIN_CACHE_SECONDS, allowed)
        return allowed

    async def _workspace_admin(self, user: str) -> bool:
        try:
            info = await self.client.users_info(user=user)
        except (TimeoutError, SlackClientError, aiohttp.ClientError) as exc:
            log.warning("users.info for %s failed (%s): treating as not an admin", user, exc)
            return False
        profile = info.get("user") or {}
        return any(bool(profile.get(flag)) for flag in ("is_admin", "is_owner", "is_primary_owner"))

    async def _in_admin_group(self, user: str) -> bool:
        for group in sorted(self.groups):
            try:
                answer = await self.client.usergroups_users_list(usergroup=group)
            except (TimeoutError, SlackClientError, aiohttp.ClientError) as exc:
                log.warning("usergroups.users.list %s failed (%s)", group, exc)
                continue
            if user in (answer.get("users") or []):
                return True
        return False

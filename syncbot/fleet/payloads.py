"""What a webhook's payload says about a fleet: the repositories it names, and whether a push may have
changed the configuration file.  Pure functions of the payload."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from syncbot.fleet.config import CONFIG_PATH

# GitHub lists at most this many commits in a push payload; a longer push may touch the file unseen.
_PUSH_COMMITS_LISTED = 2048


def config_touched(payload: Mapping[str, Any], path: str = CONFIG_PATH) -> bool:
    """Whether a push's commits add, change or remove the configuration file (or may have: a forced
    push, or more commits than the payload lists; GitLab says how many in ``total_commits_count``)."""
    commits = payload.get("commits")
    if not isinstance(commits, list) or payload.get("forced") or len(commits) >= _PUSH_COMMITS_LISTED:
        return True
    total = payload.get("total_commits_count")
    if isinstance(total, int) and total > len(commits):
        return True
    for c in commits:
        if not isinstance(c, dict):
            continue
        for kind in ("added", "modified", "removed"):
            files = c.get(kind)
            if isinstance(files, list) and path in files:
                return True
    return False


def repo_names(items: object) -> list[str]:
    """``full_name`` of each repository in a webhook's list."""
    if not isinstance(items, list):
        return []
    return [str(i["full_name"]) for i in items if isinstance(i, dict) and isinstance(i.get("full_name"), str)]


def renamed_from(payload: Mapping[str, Any]) -> str | None:
    """The full name a ``repository`` event's repository had before it was renamed or transferred."""
    repo, changes = payload.get("repository"), payload.get("changes")
    if not isinstance(repo, dict) or not isinstance(changes, dict):
        return None
    owner = (repo.get("owner") or {}).get("login") if isinstance(repo.get("owner"), dict) else None
    name = repo.get("name")
    old_name = ((changes.get("repository") or {}).get("name") or {}).get("from")
    if isinstance(old_name, str) and isinstance(owner, str):
        return f"{owner}/{old_name}"
    old_owner = (changes.get("owner") or {}).get("from") or {}
    for kind in ("user", "organization"):
        login = (old_owner.get(kind) or {}).get("login") if isinstance(old_owner, dict) else None
        if isinstance(login, str) and isinstance(name, str):
            return f"{login}/{name}"
    return None

"""The forge a command talks to, chosen from :class:`~syncbot.settings.Settings`.

The local forge is the default, so a new user needs no token.  The GitHub and GitLab adapters are imported
only when chosen: ``syncbot plan`` on the local forge never loads PyGithub or python-gitlab.
"""

from __future__ import annotations

from pathlib import Path

from syncbot.errors import UserError
from syncbot.forge.base import Forge
from syncbot.forge.local import DEFAULT_DB, LocalForge
from syncbot.settings import Settings
from syncbot.statedir import ensure_state_dir


def repo_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``.git``; ``start`` itself when there is none."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def local_db_path(settings: Settings, root: Path | None = None) -> Path:
    if settings.local_db is not None:
        return settings.local_db
    return (root or repo_root()) / DEFAULT_DB


def make_forge(settings: Settings, root: Path | None = None, *, create: bool = True) -> Forge:
    """The configured forge; a remote forge without its token or repository is a :class:`UserError`.
    ``create=False`` (for ``plan``) leaves a missing local forge file uncreated."""
    if settings.forge == "local":
        db = local_db_path(settings, root)
        if create and settings.local_db is None:
            ensure_state_dir(db.parent)
        return LocalForge(db, create=create)
    if not settings.repo:
        example = "owner/name" if settings.forge == "github" else "group/project"
        raise UserError(f"SYNCBOT_REPO is not set; put the {settings.forge} repository there ({example})")
    if settings.forge == "github":
        from syncbot.auth import github_app_cache_key, github_app_configured, installation_tokens

        if github_app_configured(settings):  # installation tokens, renewed before they expire
            from syncbot.forge.github import GitHubForge

            tokens = installation_tokens(settings)
            return GitHubForge(  # type: ignore[no-any-return,unused-ignore]
                settings.repo,
                "",
                settings.github_url,
                cache_dir=_cache_dir(settings, root),
                token_source=tokens.get,
                cache_key=github_app_cache_key(settings),
            )
        if settings.github_token is None or not settings.github_token.get_secret_value():
            raise UserError("SYNCBOT_GITHUB_TOKEN is not set; put a GitHub token with issues write access there")
        from syncbot.forge.github import GitHubForge

        return GitHubForge(  # type: ignore[no-any-return,unused-ignore]
            settings.repo,
            settings.github_token.get_secret_value(),
            settings.github_url,
            cache_dir=_cache_dir(settings, root),
        )
    if settings.gitlab_token is None or not settings.gitlab_token.get_secret_value():
        raise UserError("SYNCBOT_GITLAB_TOKEN is not set; put a GitLab token with the api scope there")
    from syncbot.forge.gitlab import GitLabForge

    return GitLabForge(  # type: ignore[no-any-return,unused-ignore]
        settings.repo,
        settings.gitlab_token.get_secret_value(),
        settings.gitlab_url,
        cache_dir=_cache_dir(settings, root),
    )


def _cache_dir(settings: Settings, root: Path | None) -> Path:
    """Where ETags of listings are kept between runs (per token fingerprint, inside the adapters), so a
    one-shot `syncbot sync` on an unchanged repository gets 304s, which GitHub does not count."""
    return state_path(settings, root) / "http-cache"


def state_path(settings: Settings, root: Path | None) -> Path:
    """The state directory (``SYNCBOT_STATE_DIR``); a relative one sits at the repository root."""
    state = settings.state_dir
    return state if state.is_absolute() else (root or repo_root()) / state

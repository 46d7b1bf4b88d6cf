"""One settings object, built at the entry point and passed down.  Nothing reads the environment at
import time: call :func:`load_settings`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ForgeName = Literal["github", "gitlab", "local"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="SYNCBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    forge: ForgeName = Field("local", description="github, gitlab or local (an SQLite file in .syncbot/)")
    repo: str = Field("", description="owner/name on GitHub, group/project on GitLab")
    tracker: Path | None = Field(None, description="the tracker file, relative to the repository root")
    github_token: SecretStr | None = Field(None, description="GitHub token (repo scope / issues write)")
    github_url: str = Field("https://api.github.com", description="GitHub API base URL (Enterprise)")
    gitlab_token: SecretStr | None = Field(None, description="GitLab personal, project or group token")
    gitlab_url: str = Field("https://gitlab.com", description="GitLab instance URL")
    local_db: Path | None = Field(None, description="local forge file; default .syncbot/forge.db")
    title_template: str = Field("Session {key}: {title}", description="issue title template")
    milestones: Literal["phase", "wave", "none"] = Field("phase", description="phase, wave or none")
    max_close_fraction: float = Field(0.3, description="refuse plans closing more than this share")
    trailer_key: str = Field("Session", description="commit trailer key read by pull")


def load_settings(**overrides: object) -> Settings:
    """Build settings from flags (``overrides``, ``None`` values ignored), environment and ``.env``."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]

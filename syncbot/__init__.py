"""syncbot: mirror markdown session trackers kept in git into GitHub/GitLab issues, and back."""

__version__ = "0.1.0"

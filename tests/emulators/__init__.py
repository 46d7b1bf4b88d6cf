"""Loopback emulators of the GitHub and GitLab REST APIs, for tests and the request-count benchmark."""

# Distinctive fake tokens: tests/test_cassettes.py fails if one of them is ever found in a cassette.
GITHUB_TOKEN = "ghp_FAKEsyncbotTESTtoken0000000000000000"
GITLAB_TOKEN = "glpat-FAKEsyncbotTESTtoken00000"

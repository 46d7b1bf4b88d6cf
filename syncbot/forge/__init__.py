"""Forges: GitHub, GitLab and the embedded local forge, behind one narrow interface (:mod:`.base`)."""

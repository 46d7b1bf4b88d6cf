#!/usr/bin/env bash
# The whole loop on the bundled example, offline: a throwaway git repository in .syncbot/demo holding a copy
# of examples/SESSION_TRACKER.md, synced with the embedded local forge (no token needed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sb="$root/.venv/bin/syncbot"
demo="$root/.syncbot/demo"
rm -rf "$demo" && mkdir -p "$demo" && cd "$demo"
git init -q -b main .
git config user.name "Demo User" && git config user.email "demo@example.invalid"
cp "$root/examples/SESSION_TRACKER.md" .
git add SESSION_TRACKER.md && git commit -qm "Add session tracker"
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "syncbot inspect SESSION_TRACKER.md"
"$sb" inspect SESSION_TRACKER.md
step "syncbot validate SESSION_TRACKER.md"
"$sb" validate SESSION_TRACKER.md && echo "clean"

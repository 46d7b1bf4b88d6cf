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
export COLUMNS=${COLUMNS:-120} SYNCBOT_LOG_FORMAT=${SYNCBOT_LOG_FORMAT:-text}
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "syncbot inspect SESSION_TRACKER.md"
"$sb" inspect SESSION_TRACKER.md
step "syncbot validate SESSION_TRACKER.md"
"$sb" validate SESSION_TRACKER.md

step "syncbot plan SESSION_TRACKER.md   (what a first sync would do; nothing written)"
plan=$("$sb" plan SESSION_TRACKER.md)
printf '%s\n  …\n' "$(printf '%s\n' "$plan" | head -n 12)"
step "syncbot sync SESSION_TRACKER.md   (mirror into the local forge at .syncbot/forge.db)"
"$sb" sync SESSION_TRACKER.md | tail -n 3
step "syncbot local issues"
"$sb" local issues

number_of() { "$sb" local issues --json | "$root/.venv/bin/python" -c "
import json, sys
print(next(i['number'] for i in json.load(sys.stdin) if i['title'].startswith(sys.argv[1])))" "$1"; }

step "Someone closes Session 2's issue, and a commit lands with the trailer 'Session: 3 in-progress'"
"$sb" local close "$(number_of 'Session 2:')"
git commit -q --allow-empty -m "Start the import pipeline" -m "Session: 3 in-progress"
git log -1 --format='  %h %s%n%n%b' | sed 's/^/  /'

step "syncbot sync SESSION_TRACKER.md   (pull both back into the tracker, then push)"
"$sb" sync SESSION_TRACKER.md
step "git diff HEAD~1 -- SESSION_TRACKER.md   (only the status cells and summary lines changed)"
git --no-pager diff --no-color HEAD~1 -- SESSION_TRACKER.md
step "The summary comment on the tracking issue"
"$sb" local show "$(number_of 'Tracking:')" --json | "$root/.venv/bin/python" -c "
import json, sys
print(next(c['body'] for c in json.load(sys.stdin)['comments'] if 'syncbot:summary' in c['body']))"
step "syncbot sync SESSION_TRACKER.md   (again: nothing changed, so nothing is written or posted)"
"$sb" sync SESSION_TRACKER.md
echo
echo "The demo repository is in $demo (its local forge: $demo/.syncbot/forge.db)."

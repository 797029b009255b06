#!/usr/bin/env bash
# Build the web UI (frontend/) into internal/web/dist, which the Go binary embeds. Skips the work when
# nothing in frontend/ changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=internal/web/dist/.build-stamp
if [ -f "$stamp" ] && [ -z "$(find frontend -path frontend/node_modules -prune -o -type f -newer "$stamp" -print | head -n 1)" ]; then
  exit 0
fi
cd frontend
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
rm -rf ../internal/web/dist/assets ../internal/web/dist/index.html
npm run build
touch "../$stamp"

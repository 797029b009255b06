#!/usr/bin/env bash
# Build the web UI (frontend/) into internal/web/dist, which the Go binary embeds. The API's types are
# generated from internal/web/openapi.yaml first (npm run gen:api), so a field renamed on the server
# breaks this build. Skips the work when nothing in frontend/ nor the API contract changed since the
# last build.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=internal/web/dist/.build-stamp
if [ -f "$stamp" ] && [ ! internal/web/openapi.yaml -nt "$stamp" ] &&
  [ -z "$(find frontend -path frontend/node_modules -prune -o -type f -newer "$stamp" -print | head -n 1)" ]; then
  exit 0
fi
cd frontend
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
rm -rf ../internal/web/dist/assets ../internal/web/dist/index.html ../internal/web/dist/favicon.svg
npm run build
touch "../$stamp"

#!/usr/bin/env bash
# The web UI's tests: unit tests (vitest), then the end-to-end run in real Chromium against the built
# server. Without Chromium the browser run is skipped with a loud message, except under CI=true.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
npx --no-install vitest run
../scripts/frontend-reproducible.sh # two builds of the same sources, byte for byte the same
chromium=${CHROMIUM_PATH:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
  if [ "${CI:-}" = true ]; then
    echo "!!! Chromium is missing (apt-get install chromium): the browser tests cannot run" >&2
    exit 1
  fi
  echo "!!! Chromium is missing: browser tests NOT RUN (apt-get install chromium)" >&2
  exit 0
fi
CHROMIUM_PATH="$chromium" node e2e/run.mjs
CHROMIUM_PATH="$chromium" node e2e/encrypted.mjs
CHROMIUM_PATH="$chromium" node e2e/paper.mjs

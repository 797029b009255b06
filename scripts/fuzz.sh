#!/usr/bin/env bash
# Runs every fuzz target for FUZZTIME each (default 3s: the short run of make test; make
# test-reliability runs them longer). A crasher is saved by go test under testdata/fuzz and becomes a
# regression test of the package.
set -euo pipefail
cd "$(dirname "$0")/.."
t=${FUZZTIME:-5s}
for target in \
  "./internal/ballot FuzzParseCode" \
  "./internal/tally FuzzTallyInvariants" \
  "./internal/web FuzzCastRequest" \
  "./internal/web FuzzBatchEntry" \
  "./internal/roster FuzzCSVImports" \
  "./internal/protocol FuzzDecodePoint" \
  "./internal/protocol FuzzDecodeScalar" \
  "./internal/protocol FuzzPublicKey" \
  "./internal/protocol FuzzParseCode" \
  "./internal/protocol FuzzParseBallot" \
  "./internal/protocol FuzzCeremonyMessage" \
  "./internal/protocol FuzzTallyMessage" \
  "./internal/protocol FuzzStatement" \
  "./internal/protocol FuzzPaperTotals" \
  "./internal/record FuzzDecode"; do
  set -- $target
  echo "fuzz $2 ($t)"
  if ! out=$(go test -run '^$' -fuzz "^$2\$" -fuzztime "$t" "$1" 2>&1); then
    echo "$out" | grep -v '^fuzz: elapsed' >&2
    exit 1
  fi
  echo "$out" | grep -E '^fuzz: elapsed' | tail -n 1
done

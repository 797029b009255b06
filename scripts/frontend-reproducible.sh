#!/usr/bin/env bash
# The web app's build is reproducible: the same sources give the same bytes. This builds the bundle
# twice, into two fresh directories, and compares them file by file (diff -r); then prints the
# build's hash as the server computes it (internal/web.FrontendHash: every file in path order, each
# framed by its path and length), the hash `tinnhiem version` and GET /api/v1/build report.
#
#   scripts/frontend-reproducible.sh            check, and print the hash
#   scripts/frontend-reproducible.sh --hash DIR print the hash of a built directory only
set -euo pipefail
if [ "${1:-}" = --hash ]; then target=$(cd "$2" && pwd); fi
cd "$(dirname "$0")/../frontend"

hash_of() {
  node -e '
    const fs = require("fs"), path = require("path"), crypto = require("crypto")
    const root = process.argv[1], h = crypto.createHash("sha256")
    const walk = (rel) => {
      for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
        const p = rel ? rel + "/" + name : name
        if (fs.statSync(path.join(root, p)).isDirectory()) walk(p)
        else if (!name.startsWith(".")) {
          const b = fs.readFileSync(path.join(root, p))
          h.update(p + "\0" + b.length + "\0"); h.update(b)
        }
      }
    }
    walk("")
    console.log(h.digest("hex"))' "$1"
}

if [ "${1:-}" = --hash ]; then
  hash_of "$target"
  exit 0
fi

a=$(mktemp -d) b=$(mktemp -d)
trap 'rm -rf "$a" "$b"' EXIT
npx --no-install vite build --logLevel error --outDir "$a/dist" --emptyOutDir
npx --no-install vite build --logLevel error --outDir "$b/dist" --emptyOutDir
if ! diff -r "$a/dist" "$b/dist"; then
  echo "!!! the frontend build is not reproducible: two builds of the same sources differ" >&2
  exit 1
fi
echo "frontend build reproducible: $(hash_of "$a/dist")"

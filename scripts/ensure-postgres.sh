#!/usr/bin/env bash
# Make sure the PostgreSQL server used by the tests answers. Under CI=true a PostgreSQL that cannot be
# reached fails the tests (they do not skip); elsewhere they skip with a loud message.
set -u
url="${TINNHIEM_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -d "$url" 2>/dev/null; then
  exit 0
fi
if [ -z "${TINNHIEM_TEST_DATABASE_URL:-}" ] && command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  ver=$(ls /etc/postgresql | head -n 1)
  echo "PostgreSQL is down: starting cluster $ver/main"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>&1 || true
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
    sleep 1
  done
fi
echo "!!! PostgreSQL at $url does not answer: its tests will $( [ "${CI:-}" = true ] && echo FAIL || echo be SKIPPED )"
exit 0

-- State that several server processes on one database must share (docs/OPERATIONS.md): the
-- throttles' counts and the latest turnout snapshots. The embedded database is served by one process
-- only, which keeps both in its memory: these tables exist so that both dialects have one schema, and
-- stay empty.
CREATE TABLE throttle_counts (
    key      TEXT PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures >= 0),
    last_ms  BIGINT NOT NULL
) WITHOUT ROWID;

CREATE TABLE turnout_snapshots (
    vote_id  TEXT PRIMARY KEY,
    taken_ms BIGINT NOT NULL,
    body     TEXT NOT NULL
) WITHOUT ROWID;

-- State that several server processes on one database must share (docs/OPERATIONS.md): the
-- throttles' counts of failed attempts (logins, ballot codes) and the latest turnout snapshot of each
-- open vote. Both are UNLOGGED: nothing of them goes to the write-ahead log, so to no WAL archive,
-- backup or standby, and a crash of the database empties them (as a restart of a single server
-- forgets its own): throttle keys name addresses and usernames, and snapshots are times and counts.
CREATE UNLOGGED TABLE throttle_counts (
    key      TEXT PRIMARY KEY,  -- a digest of the throttle's name and its key (a username, an address, a kiosk)
    failures INTEGER NOT NULL CHECK (failures >= 0),
    last_ms  BIGINT NOT NULL    -- the last attempt, milliseconds since 1970 (the backoff runs from it)
);

CREATE UNLOGGED TABLE turnout_snapshots (
    vote_id  TEXT PRIMARY KEY,
    taken_ms BIGINT NOT NULL,   -- when it was read, milliseconds since 1970
    body     TEXT NOT NULL      -- the turnout shown until it is TurnoutPeriod old (JSON)
);

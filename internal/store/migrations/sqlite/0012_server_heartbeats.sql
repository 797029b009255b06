-- The server processes counting throttles together (docs/OPERATIONS.md). The embedded database is
-- served by one process, which counts in memory: the table exists so that both dialects have one
-- schema, and stays empty.
CREATE TABLE server_heartbeats (
    instance TEXT PRIMARY KEY,
    seen_ms  BIGINT NOT NULL
) WITHOUT ROWID;

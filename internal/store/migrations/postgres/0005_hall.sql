-- The session in the hall: projector links, and drafts that a double click cannot make twice.

-- A read-only link for the hall's projector: a council's current vote, its turnout while open and its
-- result once announced, nothing else. Only the token's digest is kept; it can be revoked.
CREATE TABLE display_links (
    id         TEXT PRIMARY KEY,
    council_id TEXT NOT NULL REFERENCES councils (id),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX display_links_council ON display_links (council_id);

-- A request that creates something, sent again with the same Idempotency-Key by the same account,
-- answers with what the first one made.
CREATE TABLE idempotency_keys (
    user_id    TEXT NOT NULL REFERENCES users (id),
    key        TEXT NOT NULL CHECK (length(key) BETWEEN 8 AND 100),
    object_id  TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);

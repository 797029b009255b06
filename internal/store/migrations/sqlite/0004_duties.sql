-- The same schema as migrations/postgres, in SQLite's dialect.

-- Upgrading while a vote is open, or with codes printed for a draft, would strand them: refuse (a CHECK
-- that fails when such a vote exists).
CREATE TEMP TABLE upgrade_guard (open_votes INTEGER CHECK (open_votes = 0));
INSERT INTO upgrade_guard SELECT COUNT(*) FROM votes WHERE status = 'open' OR (status = 'draft' AND codes_generated > 0);
DROP TABLE upgrade_guard;

DROP TABLE ballot_codes;
CREATE TABLE sealed_codes (
    digest  TEXT PRIMARY KEY,
    vote_id TEXT NOT NULL REFERENCES votes (id)
) WITHOUT ROWID;
CREATE INDEX sealed_codes_vote ON sealed_codes (vote_id);

CREATE TABLE code_routes (
    code_id TEXT PRIMARY KEY,
    vote_id TEXT NOT NULL REFERENCES votes (id)
) WITHOUT ROWID;
CREATE INDEX code_routes_vote ON code_routes (vote_id);

UPDATE votes SET code_key = '' WHERE status <> 'draft';
ALTER TABLE votes ADD COLUMN announced_at TIMESTAMP;
ALTER TABLE votes ADD COLUMN wipe_pending BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE vote_board ADD COLUMN absent BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE users ADD COLUMN official_id TEXT REFERENCES officials (id);

CREATE TABLE cancel_confirmations (
    vote_id      TEXT NOT NULL REFERENCES votes (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    confirmed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (vote_id, user_id)
);

CREATE TABLE account_approvals (
    id          TEXT PRIMARY KEY,
    vote_id     TEXT NOT NULL REFERENCES votes (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    change      TEXT NOT NULL CHECK (change IN ('password', 'deactivate')),
    approved_by TEXT NOT NULL REFERENCES users (id),
    approved_at TIMESTAMP NOT NULL,
    used_at     TIMESTAMP
);
CREATE INDEX account_approvals_user ON account_approvals (user_id);

ALTER TABLE audit_events ADD COLUMN vote_seq INTEGER;
ALTER TABLE audit_events ADD COLUMN vote_hash TEXT;
CREATE TABLE audit_vote_heads (
    vote_id TEXT PRIMARY KEY REFERENCES votes (id),
    seq     INTEGER NOT NULL,
    hash    TEXT NOT NULL
);

-- INSERT OR REPLACE deletes the old row first; with recursive_triggers on (the store's connection
-- setting) that delete fires audit_events_no_delete. This trigger refuses the insert itself too, so a
-- connection without the setting cannot replace an event either.
CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: REPLACE refused');
END;

DELETE FROM app_settings WHERE key = 'jwt_secret';

-- Kiosks registered by the board at the desk: each has its own budget of failed code uses, which no
-- other device's failures can exhaust. Only the token's digest is kept.
CREATE TABLE kiosk_devices (
    id         TEXT PRIMARY KEY,
    vote_id    TEXT NOT NULL REFERENCES votes (id),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX kiosk_devices_vote ON kiosk_devices (vote_id);

-- The vote's audit anchor each member saw when certifying (HASH:COUNT), recorded with the certification.
ALTER TABLE certifications ADD COLUMN anchor TEXT;

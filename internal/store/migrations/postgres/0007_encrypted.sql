-- Encrypted ballots (docs/PROTOCOL.md): the board's key ceremony, the public credentials, the sealed
-- encrypted ballots, the encrypted sums, the partial decryptions, share destruction.

-- A dealer-free key ceremony of a vote's board. Every message is kept as the member signed it.
CREATE TABLE ceremonies (
    id           TEXT PRIMARY KEY,
    council_id   TEXT NOT NULL REFERENCES councils (id),
    vote_id      TEXT NOT NULL REFERENCES votes (id),
    threshold    INTEGER NOT NULL CHECK (threshold >= 2),
    members      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('running', 'complete', 'aborted')),
    abort_reason TEXT,
    transcript   TEXT,
    group_key    TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ
);
CREATE INDEX ceremonies_council ON ceremonies (council_id);

CREATE TABLE ceremony_members (
    ceremony_id TEXT NOT NULL REFERENCES ceremonies (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    identifier  TEXT NOT NULL,
    round1      TEXT,
    round2      TEXT,
    round3      TEXT,
    reopen      TEXT,
    lost        BOOLEAN NOT NULL DEFAULT FALSE,
    destruction TEXT,
    PRIMARY KEY (ceremony_id, user_id)
);

ALTER TABLE votes ADD COLUMN ballot_mode TEXT NOT NULL DEFAULT 'plain' CHECK (ballot_mode IN ('plain', 'encrypted'));
ALTER TABLE votes ADD COLUMN seat_tablets BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE votes ADD COLUMN ceremony_id TEXT REFERENCES ceremonies (id);
ALTER TABLE votes ADD COLUMN manifest TEXT;
ALTER TABLE votes ADD COLUMN sums TEXT;
ALTER TABLE votes ADD COLUMN counts TEXT;

-- The public credentials the board's browser made (the codes never reach the server), with the signed
-- list messages. Written before casting; casting never touches them.
CREATE TABLE credential_lists (
    id         TEXT PRIMARY KEY,
    vote_id    TEXT NOT NULL REFERENCES votes (id),
    message    TEXT NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE vote_credentials (
    vote_id    TEXT NOT NULL REFERENCES votes (id),
    credential TEXT NOT NULL,
    PRIMARY KEY (vote_id, credential)
);

-- The sealed encrypted ballots of closed votes (sorted by their hash; the live ones are in the vote's
-- live tables while it is open).
CREATE TABLE encrypted_ballots (
    vote_id     TEXT NOT NULL REFERENCES votes (id),
    ballot_hash TEXT NOT NULL,
    body        TEXT NOT NULL,
    ciphertexts TEXT NOT NULL,
    PRIMARY KEY (vote_id, ballot_hash)
);

CREATE TABLE partial_decryptions (
    vote_id      TEXT NOT NULL REFERENCES votes (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    message      TEXT NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (vote_id, user_id)
);

ALTER TABLE certifications ADD COLUMN statement TEXT;
